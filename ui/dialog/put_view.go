package dialog

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/cell"
)

// View implements screen.Model.
func (p *Put) View() string {
	return p.view("Put records to "+p.name, p.formLines, p.confirmLines, p.resultLines)
}

func (p *Put) formLines() []string {
	st := p.st
	var modes []string
	for i, m := range keyModes {
		label := " " + m.String() + " "
		if i == p.mode {
			label = st.Selected.Render(label)
		}
		modes = append(modes, label)
	}
	cursor := func(row int) string {
		if row == p.row {
			return st.Accent.Render("› ")
		}
		return "  "
	}
	lines := []string{cursor(rowMode) + "key mode       " + strings.Join(modes, " ")}
	if keyModes[p.mode] != kinesisx.KeyRandom {
		lines = append(lines, cursor(rowKey)+p.inputs[rowKey].View())
	}
	lines = append(lines, "  "+st.Muted.Render("               → ")+p.preview())
	for _, r := range []int{rowData, rowCount, rowRate} {
		lines = append(lines, cursor(r)+p.inputs[r].View())
	}
	lines = append(lines, "",
		st.Muted.Render("  placeholders: {{seq}} {{now}} {{unix}} {{uuid}} {{rand N}} {{randstr N}} {{pick a b}} {{key}}"))
	return lines
}

// preview says where the records will land, from the shards loaded.
func (p *Put) preview() string {
	st := p.st
	if p.stream.RecordDistribution == "AUTO" && keyModes[p.mode] != kinesisx.KeyRandom {
		return st.Warn.Render("the stream distributes records itself (AUTO): keys are ignored")
	}
	v := strings.TrimSpace(p.inputs[rowKey].Value())
	switch keyModes[p.mode] {
	case kinesisx.KeyFixed:
		if err := kinesisx.ValidatePartitionKey(p.inputs[rowKey].Value()); err != nil {
			return st.Warn.Render(err.Error())
		}
		h := hashkey.FromPartitionKey(p.inputs[rowKey].Value())
		return landing(p, h)
	case kinesisx.KeyHash:
		h, err := hashkey.Parse(v)
		if err != nil {
			return st.Warn.Render(err.Error())
		}
		return landing(p, h)
	case kinesisx.KeyShard:
		s, ok := kinesisx.FindShard(p.shards, v)
		switch {
		case !ok:
			return st.Warn.Render("no such shard; open: " + strings.Join(openIDs(p.shards), ", "))
		case !s.Open:
			return st.Warn.Render(s.ID + " is closed; open: " + strings.Join(openIDs(p.shards), ", "))
		}
		return st.Accent.Render(s.ID) + st.Muted.Render(fmt.Sprintf("  a random hash key in %s – %s", s.HashRange.Start, s.HashRange.End))
	}
	return st.Muted.Render(fmt.Sprintf("spread over the %d open shards", len(openIDs(p.shards))))
}

func landing(p *Put, h hashkey.Key) string {
	s, ok := kinesisx.ShardForHashKey(p.shards, h)
	if !ok {
		return p.st.Warn.Render("hash " + h.String() + ": no open shard owns it")
	}
	return p.st.Muted.Render("hash "+h.String()+" → ") + p.st.Accent.Render(s.ID)
}

func openIDs(shards []kinesisx.Shard) []string {
	var out []string
	for _, s := range shards {
		if s.Open {
			out = append(out, s.ID)
		}
	}
	return out
}

func (p *Put) confirmLines() []string {
	st := p.st
	o := p.opts
	target := "spread over the open shards"
	if p.plan != nil && p.plan.Target != nil {
		target = "all to " + p.plan.Target.ID
	}
	what := fmt.Sprintf("Send %s record(s) with %s, %s", cell.Count(o.Count), o.Keys, target)
	if o.Rate > 0 {
		what += fmt.Sprintf(", at %s records/s", strconv.FormatFloat(o.Rate, 'f', -1, 64))
	}
	lines := []string{st.Warn.Render("⚠ this writes to the stream"), ""}
	lines = append(lines, wrap(what+"?", max(p.width, 10))...)
	lines = append(lines, "", st.Muted.Render("equivalent command (first record):"))
	for _, l := range wrapCommand(PutCommand(o, p.first), max(p.width, 10)) {
		lines = append(lines, st.Accent.Render(l))
	}
	if o.Count > 1 {
		lines = append(lines, st.Muted.Render("  kinspect batches them with PutRecords (≤ 500 a call) and retries failed entries"))
	}
	if p.plan != nil {
		for _, w := range p.plan.Warnings {
			lines = append(lines, st.Warn.Render("! "+w))
		}
	}
	return append(lines, "", st.Title.Render("y")+" send   "+st.Title.Render("n")+" back to the form")
}

// PutCommand is the AWS CLI command that puts the first record of o.
func PutCommand(o kinesisx.PutOptions, first []byte) string {
	key := o.Key
	args := []string{"put-record", "--stream-name", o.Stream}
	switch o.Keys {
	case kinesisx.KeyRandom:
		key = "<random key>"
	case kinesisx.KeyHash:
		args = append(args, "--explicit-hash-key", o.HashKey)
	case kinesisx.KeyShard:
		args = append(args, "--explicit-hash-key", "<a key of "+o.ShardID+">")
	}
	if key == "" {
		key = "<random key>"
	}
	args = append(args, "--partition-key", key, "--cli-binary-format", "raw-in-base64-out", "--data", string(first))
	return kinesisx.AWSCommand(args...)
}

func (p *Put) resultLines() []string {
	st := p.st
	r := p.res
	total := p.opts.Count
	done := r.Sent + r.Failed
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	filled, empty := cell.Bar(frac, max(min(p.width-30, 40), 5))
	head := st.Muted.Render("sending…")
	if p.stage == stageDone {
		head = st.OK.Render("✓ done")
		if p.runErr != nil || r.Failed > 0 {
			head = st.Error.Render("✗ finished with failures")
		}
	}
	lines := []string{
		head + st.Muted.Render(fmt.Sprintf("  %s", p.elapsed().Round(100*time.Millisecond))),
		st.Accent.Render(filled) + st.BarEmpty.Render(empty) + fmt.Sprintf(" %s / %s", cell.Count(done), cell.Count(total)),
		"",
		fmt.Sprintf("sent %s   failed %s   retries %s", cell.Count(r.Sent), cell.Count(r.Failed), cell.Count(r.Retries)),
	}
	if len(r.Shards) > 0 {
		lines = append(lines, "", st.Header.Render("per shard"))
		for _, id := range slices.Sorted(maps.Keys(r.Shards)) {
			lines = append(lines, fmt.Sprintf("  %-22s %s", id, cell.Count(r.Shards[id])))
		}
	}
	if len(r.Errors) > 0 {
		lines = append(lines, "", st.Header.Render("error codes (attempts, retried ones included)"))
		for _, c := range slices.Sorted(maps.Keys(r.Errors)) {
			lines = append(lines, fmt.Sprintf("  %-40s %s", c, cell.Count(r.Errors[c])))
		}
	}
	if p.runErr != nil {
		lines = append(lines, "", errLine(st, p.runErr))
	}
	return lines
}
