package tail

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"regexp/syntax"
	"runtime"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/payload"
	"github.com/kinspect/kinspect/ui/screen"
)

// kindFilter numbers the filters typed: a search for an older text is
// not shown.
const kindFilter = "filter"

// filterSpec is a parsed filter: "[!][key:|shard:|data:]REGEX",
// case-insensitive. A nil re is no filter.
type filterSpec struct {
	re     *regexp.Regexp
	lit    []byte // the query when it is plain ASCII text: searched without the regex engine
	need   []byte // ASCII text any match contains: where it is absent, the regex is not run
	invert bool
	field  string // "", "key", "shard" or "data"
	dec    Decoder
}

// parseFilter parses a filter as typed.
func parseFilter(q string, dec Decoder) (filterSpec, error) {
	f := filterSpec{dec: dec, invert: strings.HasPrefix(q, "!")}
	q = strings.TrimPrefix(q, "!")
	for _, name := range []string{"key:", "shard:", "data:"} {
		if rest, ok := strings.CutPrefix(q, name); ok {
			f.field, q = strings.TrimSuffix(name, ":"), rest
		}
	}
	if q == "" && !f.invert {
		return filterSpec{}, nil
	}
	re, err := regexp.Compile("(?i)" + q)
	if err != nil {
		return filterSpec{}, fmt.Errorf("filter %q: %w", q, err)
	}
	f.re = re
	if regexp.QuoteMeta(q) == q && isASCII(q) {
		f.lit = []byte(q)
	} else {
		f.need = requiredText(q)
	}
	return f, nil
}

// match applies the filter to the key, the shard ID and the payload (inner
// is the payload unwrapped, nil when not kept). It only reads its
// arguments, so a search runs off the event loop.
func (f filterSpec) match(r *kinesisx.Record, inner []byte) bool {
	hit := false
	switch f.field {
	case "key":
		hit = f.has([]byte(r.PartitionKey))
	case "shard":
		hit = f.has([]byte(r.ShardID))
	case "data":
		hit = f.matchData(r.Data, inner)
	default:
		hit = f.has([]byte(r.PartitionKey)) || f.has([]byte(r.ShardID)) || f.matchData(r.Data, inner)
	}
	return hit != f.invert
}

// matchData looks for the regex in a payload as it is or unwrapped, and in
// the text a decoder makes of it (protobuf as JSON), as kinspect find does.
func (f filterSpec) matchData(data, inner []byte) bool {
	switch {
	case inner != nil:
		if f.has(data) || f.has(inner) {
			return true
		}
	case payload.Match(f.re, data):
		return true
	}
	if t, ok := f.dec.(Texter); ok {
		text, err := t.Text(data)
		return err == nil && f.has(text)
	}
	return false
}

// has reports whether b matches the query: the regex, or for plain text a
// case-insensitive search that skips to the first letter's candidates.
func (f filterSpec) has(b []byte) bool {
	switch {
	case f.lit != nil:
		return indexFold(b, f.lit) >= 0
	case f.need != nil && indexFold(b, f.need) < 0:
		return false
	}
	return f.re.Match(b)
}

// requiredText is the longest ASCII literal that every match of the regex
// q contains (a piece of its top-level concatenation), or nil.
func requiredText(q string) []byte {
	re, err := syntax.Parse(q, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	pieces := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		pieces = re.Sub
	}
	var best []byte
	for _, p := range pieces {
		if p.Op != syntax.OpLiteral {
			continue
		}
		if s := string(p.Rune); isASCII(s) && len(s) > len(best) {
			best = []byte(s)
		}
	}
	return best
}

// indexFold is the first index of the ASCII needle in b, ignoring case,
// or -1.
func indexFold(b, needle []byte) int {
	if len(needle) == 0 {
		return 0
	}
	lo, up := toLower(needle[0]), toUpper(needle[0])
	for i := 0; i+len(needle) <= len(b); {
		j := bytes.IndexByte(b[i:], lo)
		if up != lo {
			if k := bytes.IndexByte(b[i:], up); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 || i+j+len(needle) > len(b) {
			return -1
		}
		if bytes.EqualFold(b[i+j:i+j+len(needle)], needle) {
			return i + j
		}
		i += j + 1
	}
	return -1
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// scan returns the absolute indexes of the records that pass f; recs[0]
// has the absolute index first. The records are split among one worker
// per CPU (inflating gzip is the cost); a cancelled ctx ends it early.
func (f filterSpec) scan(ctx context.Context, recs []*entry, first uint64) []uint64 {
	workers := max(min(runtime.GOMAXPROCS(0), len(recs)/scanChunk), 1)
	parts := make([][]uint64, workers)
	size := (len(recs) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*size, min((w+1)*size, len(recs))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if (i-lo)%scanChunk == 0 && ctx.Err() != nil {
					return
				}
				if f.match(&recs[i].rec, recs[i].inner) {
					parts[w] = append(parts[w], first+uint64(i))
				}
			}
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// scanChunk is how many records a worker searches between looks at its
// context, and the fewest worth a worker of their own.
const scanChunk = 256

// filteredMsg is a search's answer: the matches among the records before
// upTo (absolute index) of the filter numbered req. It is never dropped
// as stale (its Tag has no kind): the end of a search starts the next.
type filteredMsg struct {
	screen.Tag
	req     int
	spec    filterSpec
	matches []uint64
	upTo    uint64
}

// spec is the filter in force.
func (m *Model) spec() filterSpec {
	return filterSpec{re: m.filterRe, invert: m.invert, field: m.field, dec: m.dec}
}

// unwrapAll unwraps the payloads of a batch for the filter, off the event
// loop: nil where there was nothing to undo or the result is large.
func unwrapAll(recs []kinesisx.Record) [][]byte {
	out := make([][]byte, len(recs))
	for i := range recs {
		if in, ok := payload.Unwrap(recs[i].Data); ok && len(in) <= maxInner {
			out[i] = bytes.Clone(in) // the inflate buffer has room to spare
		}
	}
	return out
}

// maxInner is the largest unwrapped payload kept for the filter; a larger
// one is inflated again by each search.
const maxInner = 64 << 10

// queueFilter takes a filter as typed: an invalid regex keeps the previous
// filter and says why; clearing it is immediate; anything else searches a
// copy of the buffer in a Cmd. One search runs at a time: keys typed
// while it runs cancel it, and the newest text is searched when it ends
// (the debounce), so typing never queues work on the event loop.
func (m *Model) queueFilter(q string) tea.Cmd {
	spec, err := parseFilter(q, m.dec)
	m.filterErr = err
	if err != nil || spec.re == nil {
		m.Drop(kindFilter)
		m.cancelScan()
		m.queued, m.filtering = nil, false
		if err == nil {
			m.applyFilter(spec, nil, m.buf.next())
		}
		return nil
	}
	m.NewTag(kindFilter)
	m.filtering = true
	if m.scanning {
		m.cancelScan()
		m.queued = &spec
		return nil
	}
	return m.scanFilter(spec)
}

// filtered takes a search's answer: shown if it is the newest filter's,
// else the newest filter is searched now.
func (m *Model) filtered(msg filteredMsg) tea.Cmd {
	m.scanning = false
	if q := m.queued; q != nil {
		m.queued = nil
		return m.scanFilter(*q)
	}
	if msg.req == m.CurTag(kindFilter).Req && m.filtering {
		m.applyFilter(msg.spec, msg.matches, msg.upTo)
	}
	return nil
}

// scanFilter searches the buffer for the newest filter in a Cmd: a copy
// of its entry pointers, which no one writes.
func (m *Model) scanFilter(spec filterSpec) tea.Cmd {
	recs, first := m.buf.entries(), m.buf.first
	tag, req := screen.Tag{Screen: m.ID()}, m.CurTag(kindFilter).Req
	ctx, cancel := context.WithCancel(m.Ctx())
	m.scanning, m.scanCancel = true, cancel
	return func() tea.Msg {
		defer cancel()
		return filteredMsg{Tag: tag, req: req, spec: spec, matches: spec.scan(ctx, recs, first), upTo: first + uint64(len(recs))}
	}
}

// cancelScan cancels the running search, if any; its answer still comes.
func (m *Model) cancelScan() {
	if m.scanCancel != nil {
		m.scanCancel()
		m.scanCancel = nil
	}
}

// setFilter parses and applies a filter at once (esc, tests).
func (m *Model) setFilter(q string) {
	spec, err := parseFilter(q, m.dec)
	if err != nil {
		m.filterErr = err
		return
	}
	m.filterErr = nil
	m.Drop(kindFilter)
	m.cancelScan()
	m.queued, m.filtering = nil, false
	var matches []uint64
	if spec.re != nil {
		matches = spec.scan(context.Background(), m.buf.entries(), m.buf.first)
	}
	m.applyFilter(spec, matches, m.buf.next())
}

// applyFilter puts a searched filter in force: matches are those among the
// records before upTo; the ones that arrived since are searched here.
func (m *Model) applyFilter(spec filterSpec, matches []uint64, upTo uint64) {
	m.filtering = false
	sel := m.Selected()
	var selAbs uint64
	if sel != nil {
		selAbs = m.rowAbs(m.cur.Pos)
	}
	m.filterRe, m.invert, m.field = spec.re, spec.invert, spec.field
	m.matches = m.matches[:0]
	if spec.re != nil {
		// The new filter sees the buffer and what arrives from now on;
		// everything else the tail delivered is gone unseen.
		m.searched = m.buf.len()
		m.unseen = m.arrived - m.buf.len() - len(m.pending)
		for _, abs := range matches {
			if abs >= m.buf.first {
				m.matches = append(m.matches, abs)
			}
		}
		for abs := max(upTo, m.buf.first); abs < m.buf.next(); abs++ {
			if spec.match(m.buf.at(abs), m.buf.innerAt(abs)) {
				m.matches = append(m.matches, abs)
			}
		}
	}
	m.cur.SetLen(m.rows())
	if m.follow || sel == nil {
		m.cur.Bottom()
		return
	}
	for i := 0; i < m.rows(); i++ {
		if m.rowAbs(i) >= selAbs {
			m.cur.Set(i)
			return
		}
	}
	m.cur.Bottom()
}
