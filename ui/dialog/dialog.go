// Package dialog holds the write-path dialogs of the TUI: put records,
// split, merge and scale. Each is a screen.Model the root opens as an
// overlay, so a tail underneath keeps running.
//
// Every dialog walks the same steps: load what it needs (the stream and
// its shards), a form, a plan (the kinesisx Plan* call, which checks
// everything and refuses ON_DEMAND, non-ACTIVE or read-only), a
// confirmation showing the equivalent `aws kinesis ...` command, the run
// with live progress, and the result. All I/O happens in Cmds that capture
// values; results carry the dialog's ID and a request ID, and stale ones
// are dropped. A running operation reports progress through a job (see
// job.go); closing the dialog cancels its context.
package dialog

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// Reader describes a stream and lists its shards; *kinesisx.Client
// satisfies it.
type Reader interface {
	DescribeStream(ctx context.Context, stream string) (kinesisx.Stream, error)
	ListShards(ctx context.Context, stream string) ([]kinesisx.Shard, error)
}

// Putter puts records; *kinesisx.Client satisfies it.
type Putter interface {
	Reader
	PlanPut(ctx context.Context, opts kinesisx.PutOptions) (*kinesisx.PutPlan, error)
	Put(ctx context.Context, opts kinesisx.PutOptions, src kinesisx.RecordSource, progress func(kinesisx.PutResult)) (kinesisx.PutResult, error)
}

// Resharder splits, merges and scales; *kinesisx.Client satisfies it.
type Resharder interface {
	Reader
	PlanSplit(ctx context.Context, stream, shardID string, at hashkey.Key) (kinesisx.ReshardPlan, error)
	Split(ctx context.Context, stream, shardID string, at hashkey.Key) error
	PlanMerge(ctx context.Context, stream, a, b string) (kinesisx.ReshardPlan, error)
	Merge(ctx context.Context, stream, a, b string) error
	PlanScale(ctx context.Context, stream string, target int) (kinesisx.ReshardPlan, error)
	Scale(ctx context.Context, stream string, target int) error
	WaitActive(ctx context.Context, stream string, progress func(status string)) error
}

// Writer is every mutation the dialogs make.
type Writer interface {
	Putter
	Resharder
}

// Deps are what a dialog needs.
type Deps struct {
	Writer  Writer
	Traffic *session.Traffic // traffic seen, for the split median (may be nil)
	Styles  *theme.Styles
}

// New opens the dialog of a requested action, or returns nil for an
// action that has none.
func New(ctx context.Context, id int, req screen.ActionRequestedMsg, d Deps) screen.Model {
	switch req.Action {
	case kinesisx.ActionPut:
		return NewPut(ctx, id, req.Stream, req.ShardID, d)
	case kinesisx.ActionSplit, kinesisx.ActionMerge, kinesisx.ActionScale:
		return NewReshard(ctx, id, req, d)
	}
	return nil
}

// stage is where a dialog is in its flow.
type stage int

const (
	stageLoading stage = iota
	stageForm
	stagePlanning
	stageConfirm
	stageRunning
	stageDone
)

// loadedMsg is the stream and its shards.
type loadedMsg struct {
	viewID, reqID int
	stream        kinesisx.Stream
	shards        []kinesisx.Shard
	err           error
}

// load describes the stream and lists its shards.
func load(ctx context.Context, r Reader, stream string, viewID, reqID int) tea.Cmd {
	return func() tea.Msg {
		msg := loadedMsg{viewID: viewID, reqID: reqID}
		msg.stream, msg.err = r.DescribeStream(ctx, stream)
		if msg.err == nil {
			msg.shards, msg.err = r.ListShards(ctx, stream)
		}
		if msg.err != nil {
			msg.err = fmt.Errorf("load %s: %w", stream, msg.err)
		}
		return msg
	}
}

// keyList is a help.KeyMap of a few bindings.
type keyList []key.Binding

// ShortHelp implements help.KeyMap.
func (k keyList) ShortHelp() []key.Binding { return k }

// FullHelp implements help.KeyMap.
func (k keyList) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

func bind(keys, desc string) key.Binding {
	ks := strings.Split(keys, ",")
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], desc))
}

// stageKeys are the footer keys of each stage.
func stageKeys(s stage, formKeys keyList) help.KeyMap {
	switch s {
	case stageForm:
		return formKeys
	case stageConfirm:
		return keyList{bind("y", "confirm"), bind("n,esc", "cancel")}
	case stageRunning:
		return keyList{bind("esc", "close (stops waiting)")}
	case stageDone:
		return keyList{bind("enter,esc", "close")}
	}
	return keyList{bind("esc", "close")}
}

// frame lays out a dialog: a title, a rule, the lines, padded to the
// height and clipped to the width.
func frame(st *theme.Styles, w, h int, title string, lines []string) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	out := make([]string, 0, h)
	out = append(out, cell.Fit(st.Title.Render(title), w), st.Border.Render(strings.Repeat("─", w)))
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			// Wrapped, not cut: a warning or a question keeps its end.
			for _, p := range strings.Split(ansi.Wrap(part, w, ""), "\n") {
				out = append(out, cell.Fit(p, w))
			}
		}
	}
	if len(out) > h && h > 2 && len(lines) > 0 {
		// The last line holds the keys (y/n): it stays in sight.
		out = append(out[:h-1], out[len(out)-1])
	}
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out[:h], "\n")
}

// wrap breaks a long plain line (a command) into lines of at most w cells,
// at spaces where it can.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for len([]rune(s)) > w {
		r := []rune(s)
		cut := w
		for i := w; i > w/2; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, string(r[:cut]))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
	return append(out, s)
}

// errLine renders an error for a dialog body.
func errLine(st *theme.Styles, err error) string {
	if err == nil {
		return ""
	}
	return st.Error.Render("✗ " + explain.Error(err))
}

// lineage renders the shard tree: open shards marked, children indented.
func lineage(st *theme.Styles, shards []kinesisx.Shard) []string {
	var out []string
	kinesisx.NewLineage(shards).Walk(func(s kinesisx.Shard, depth int) {
		state := st.Muted.Render("closed")
		if s.Open {
			state = st.OK.Render("open  ")
		}
		line := fmt.Sprintf("  %s%s  %s  %5.1f%% of keys", strings.Repeat("  ", depth), s.ID, state, s.HashRange.Share()*100)
		if s.AdjacentParentID != "" {
			line += st.Muted.Render("  merged from " + cell.ShortShardID(s.ParentID) + " + " + cell.ShortShardID(s.AdjacentParentID))
		}
		out = append(out, line)
	})
	return out
}
