package dialog

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/cell"
)

// View implements screen.Model.
func (r *Reshard) View() string {
	return r.view(r.heading(), r.formLines, r.confirmLines, r.progressLines)
}

func (r *Reshard) heading() string {
	switch r.action {
	case kinesisx.ActionSplit:
		return "Split " + r.shardID + " of " + r.name
	case kinesisx.ActionMerge:
		return "Merge " + r.shardID + " of " + r.name
	}
	return "Scale " + r.name
}

func (r *Reshard) formLines() []string {
	st := r.st
	var lines []string
	if r.stream.Name != "" {
		lines = append(lines, st.Muted.Render(fmt.Sprintf("%s · %s · %d open shards", r.stream.Status, r.stream.Mode, len(openIDs(r.shards)))))
	}
	switch r.action {
	case kinesisx.ActionScale:
		open := len(openIDs(r.shards))
		lines = append(lines, "", "› "+r.input.View(),
			st.Muted.Render(fmt.Sprintf("  UpdateShardCount (uniform scaling) goes from %d to between %d and %d", open, (open+1)/2, min(2*open, 10000))))
		return lines
	case kinesisx.ActionSplit:
		if r.sel.ID != "" {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("%s  hash %s – %s  (%.1f%% of keys)", r.sel.ID, r.sel.HashRange.Start, r.sel.HashRange.End, r.sel.HashRange.Share()*100)))
		}
		if w := r.hotKeyWarning(); w != "" {
			lines = append(lines, "", w)
		}
		lines = append(lines, "", st.Header.Render("split at"))
	case kinesisx.ActionMerge:
		if r.sel.ID != "" {
			lines = append(lines, "", st.Header.Render("adjacent open shards"))
		}
	}
	for i, c := range r.choices {
		cur := "  "
		if i == r.row {
			cur = st.Accent.Render("› ")
		}
		lines = append(lines, cur+r.choiceLine(c))
		if r.action == kinesisx.ActionMerge {
			lines = append(lines, "    "+r.mergePreview(c.shardID))
		}
	}
	return lines
}

// choiceLine renders one choice: for a split point, the key and the share
// of keys and of the traffic seen that each child would get.
func (r *Reshard) choiceLine(c choice) string {
	st := r.st
	if r.action != kinesisx.ActionSplit {
		return c.label
	}
	if c.label == "custom hash key" {
		line := r.input.View()
		if k, err := hashkey.Parse(r.input.Value()); err == nil {
			line += "  " + r.shares(k)
		}
		return line
	}
	if !c.ok {
		return fmt.Sprintf("%-15s ", c.label) + st.Muted.Render(c.note)
	}
	line := fmt.Sprintf("%-15s %s  %s", c.label, c.key, r.shares(c.key))
	if c.note != "" {
		line += st.Muted.Render("  (" + c.note + ")")
	}
	return line
}

// shares previews the children of a split at k.
func (r *Reshard) shares(k hashkey.Key) string {
	keys := keyShare(r.sel.HashRange, k)
	s := fmt.Sprintf("keys %.0f/%.0f%%", keys*100, (1-keys)*100)
	if lo, hi := kinesisx.SplitShares(r.samples, k); lo+hi > 0 {
		s += fmt.Sprintf("  traffic %.0f/%.0f%%", lo*100, hi*100)
		if r.inRate > 0 {
			// Each child's expected load at the shard's current rate.
			s += fmt.Sprintf(" → %s/s | %s/s", cell.Bytes(lo*r.inRate), cell.Bytes(hi*r.inRate))
		}
	}
	return r.st.Muted.Render(s)
}

// keyShare is the fraction of a range's keys below k.
func keyShare(rg hashkey.Range, k hashkey.Key) float64 {
	width := rg.End.Float() - rg.Start.Float()
	if width <= 0 {
		return 0
	}
	return min(max((k.Float()-rg.Start.Float())/width, 0), 1)
}

func (r *Reshard) confirmLines() []string {
	st := r.st
	var what string
	p := r.plan
	switch r.action {
	case kinesisx.ActionSplit:
		what = fmt.Sprintf("Split %s at hash key %s (%s)?", p.ShardID, p.At, ansi.Strip(r.shares(p.At)))
	case kinesisx.ActionMerge:
		what = fmt.Sprintf("Merge %s with %s?", p.ShardID, p.Adjacent)
	case kinesisx.ActionScale:
		what = fmt.Sprintf("Scale %s from %d to %d open shards?", r.name, p.OpenShards, p.Target)
	}
	lines := []string{st.Warn.Render("⚠ this reshards the stream: it is UPDATING until done, and shard-hours change"), ""}
	lines = append(lines, wrap(what, max(r.width, 10))...)
	switch r.action {
	case kinesisx.ActionSplit:
		if w := r.hotKeyWarning(); w != "" {
			lines = append(lines, w)
		}
	case kinesisx.ActionMerge:
		lines = append(lines, r.mergePreview(p.Adjacent))
	}
	lines = append(lines, "", st.Muted.Render("equivalent command:"))
	for _, l := range wrapCommand(p.Command, max(r.width, 10)) {
		lines = append(lines, st.Accent.Render(l))
	}
	return append(lines, "", st.Title.Render("y")+" "+string(r.action)+"   "+st.Title.Render("n")+" back")
}

func (r *Reshard) progressLines() []string {
	st := r.st
	elapsed := r.elapsed().Round(time.Second)
	var lines []string
	switch {
	case r.stage == stageRunning:
		lines = append(lines, st.Muted.Render(fmt.Sprintf("%s: stream %s, %s", r.action, r.status, elapsed)),
			st.Muted.Render("waiting until the stream is ACTIVE (esc closes this; the reshard goes on)"))
	case r.runErr != nil:
		lines = append(lines, errLine(st, r.runErr))
	default:
		lines = append(lines, st.OK.Render(fmt.Sprintf("✓ %s done: %s is ACTIVE (%s)", r.action, r.name, elapsed)))
	}
	if len(r.after) > 0 {
		lines = append(lines, "", st.Header.Render("lineage now"))
		lines = append(lines, lineage(st, r.after)...)
	}
	return lines
}
