package dialog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
)

// WaitTimeout bounds the wait for ACTIVE after a reshard.
const WaitTimeout = 10 * time.Minute

// choice is one option of the form: a split point or a shard to merge.
type choice struct {
	label   string
	key     hashkey.Key // split
	shardID string      // merge
	ok      bool        // usable
	note    string
}

// Reshard is the split, merge and scale dialog.
type Reshard struct {
	flow
	w       Resharder
	traffic *session.Traffic
	action  kinesisx.Action
	shardID string
	inRate  float64 // the shard's incoming bytes/s when asked (0: unknown)
	// loads are the shards' incoming traffic when asked (the merge
	// preview, warn.go).
	loads map[string]screen.ShardLoad

	stream  kinesisx.Stream
	shards  []kinesisx.Shard
	sel     kinesisx.Shard
	samples []kinesisx.KeySample // of the selected shard
	top     hotkeys.ShardStats   // its heaviest key (the split warning, warn.go)
	choices []choice
	row     int
	input   textinput.Model // split: a custom hash key; scale: the target

	plan   kinesisx.ReshardPlan
	status string
	after  []kinesisx.Shard // the shards once ACTIVE again
	job    job[string]
}

// NewReshard builds the dialog of a split, merge or scale request.
func NewReshard(ctx context.Context, id int, req screen.ActionRequestedMsg, d Deps) *Reshard {
	ti := screen.Input("", "")
	return &Reshard{flow: newFlow(ctx, id, req.Stream, d.Styles), w: d.Writer, traffic: d.Traffic,
		action: req.Action, shardID: req.ShardID, inRate: req.InBytesPerSec, loads: req.Loads, input: ti}
}

// Init loads the stream and its shards.
func (r *Reshard) Init() tea.Cmd { return r.load(r.w) }

// Title implements screen.Model.
func (r *Reshard) Title() string { return string(r.action) }

// SetSize implements screen.Model.
func (r *Reshard) SetSize(w, h int) {
	r.flow.SetSize(w, h)
	r.input.SetWidth(max(min(w-24, 42), 4))
}

// KeyMap implements screen.Model.
func (r *Reshard) KeyMap() help.KeyMap {
	form := keyList{bind("enter", "review"), bind("up,k", "previous"), bind("down,j", "next"), bind("esc", "cancel")}
	if r.action == kinesisx.ActionScale {
		form = keyList{bind("enter", "review"), bind("left,-", "fewer"), bind("right,+", "more"), bind("esc", "cancel")}
	}
	return stageKeys(r.stage, form)
}

// Update implements screen.Model.
func (r *Reshard) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if !r.loaded(msg) {
			return nil
		}
		r.stream, r.shards = msg.stream, msg.shards
		return r.setup()
	case plannedMsg[kinesisx.ReshardPlan]:
		if planned(&r.flow, msg) {
			r.plan = msg.plan
		}
	case progressMsg[string]:
		if !r.progressed(msg.viewID, msg.jobID) {
			return nil
		}
		r.status = msg.value
		return r.job.wait(r.id, r.jobID)
	case doneMsg[[]kinesisx.Shard]:
		if !done(&r.flow, msg) {
			return nil
		}
		r.after = msg.res
		changed := screen.Cmd(screen.StreamChangedMsg{Stream: r.name})
		if msg.err != nil {
			return changed
		}
		return tea.Batch(changed, screen.Cmd(screen.InfoMsg{Text: fmt.Sprintf("%s: %s is ACTIVE again", r.action, r.name)}))
	case tea.KeyPressMsg:
		return r.key(msg, r.formKey, r.run, nil)
	}
	return nil
}

// setup builds the form's choices from the loaded shards.
func (r *Reshard) setup() tea.Cmd {
	if r.err != nil {
		return nil
	}
	switch r.action {
	case kinesisx.ActionSplit, kinesisx.ActionMerge:
		s, ok := kinesisx.FindShard(r.shards, r.shardID)
		if !ok {
			r.err = fmt.Errorf("select an open shard of %s first", r.name)
			return nil
		}
		r.sel = s
		if !s.Open {
			r.err = fmt.Errorf("%s is closed (already split or merged): select an open shard", s.ID)
			return nil
		}
	}
	switch r.action {
	case kinesisx.ActionSplit:
		// The stream's analyser samples routing units (KPL aggregates
		// where Kinesis routes them); the ranges just loaded place them.
		if a := r.traffic.Analyser(r.name); a != nil {
			a.SetShards(r.shards)
			r.samples = a.Samples(r.sel.ID)
			r.top = topKey(a, r.sel.ID)
		}
		r.choices = splitChoices(r.sel, r.samples)
		r.input.Prompt = "hash key "
		r.input.Placeholder = fmt.Sprintf("decimal, between %s and %s", r.sel.HashRange.Start.Inc(), r.sel.HashRange.End)
	case kinesisx.ActionMerge:
		for _, id := range kinesisx.AdjacentOpen(r.shards, r.sel.ID) {
			r.choices = append(r.choices, choice{label: "merge with " + id, shardID: id, ok: true})
		}
		if len(r.choices) == 0 {
			r.err = fmt.Errorf("%s has no adjacent open shard to merge with", r.sel.ID)
		}
	case kinesisx.ActionScale:
		open := len(openIDs(r.shards))
		r.input.Prompt = "target open shards "
		r.input.SetValue(strconv.Itoa(min(max(2*open, 1), 10000)))
		return r.input.Focus()
	}
	return nil
}

// splitChoices are the midpoint, the traffic median when traffic was seen,
// and a typed hash key.
func splitChoices(s kinesisx.Shard, traffic []kinesisx.KeySample) []choice {
	mid := choice{label: "midpoint", key: kinesisx.MidpointKey(s.HashRange), ok: kinesisx.ValidSplitKey(s.HashRange, kinesisx.MidpointKey(s.HashRange)) == nil}
	med := choice{label: "traffic median"}
	inRange := 0
	for _, t := range traffic {
		if s.HashRange.Contains(t.Key) {
			inRange++
		}
	}
	if k, ok := kinesisx.MedianSplitKey(s.HashRange, traffic); ok {
		med.key, med.ok = k, true
		med.note = fmt.Sprintf("from %d records seen", inRange)
	} else {
		med.note = "no traffic seen yet: press L on the stream screen, or open a tail, then come back"
	}
	return []choice{mid, med, {label: "custom hash key", ok: true}}
}

func (r *Reshard) customFocused() bool {
	return r.action == kinesisx.ActionSplit && r.row == len(r.choices)-1 && len(r.choices) > 0
}

func (r *Reshard) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	switch k {
	case "esc":
		return screen.Cmd(screen.BackMsg{})
	case "enter":
		return r.review()
	}
	if r.action == kinesisx.ActionScale {
		n, _ := strconv.Atoi(strings.TrimSpace(r.input.Value()))
		switch k {
		case "left", "-":
			r.input.SetValue(strconv.Itoa(max(n-1, 1)))
			return nil
		case "right", "+":
			r.input.SetValue(strconv.Itoa(n + 1))
			return nil
		}
		var cmd tea.Cmd
		r.input, cmd = r.input.Update(msg)
		r.err = nil
		return cmd
	}
	switch k {
	case "up", "k", "shift+tab":
		if !r.customFocused() || k != "k" {
			r.row = max(r.row-1, 0)
			r.err = nil
			return r.syncInput()
		}
	case "down", "j", "tab":
		if !r.customFocused() || k != "j" {
			r.row = min(r.row+1, max(len(r.choices)-1, 0))
			r.err = nil
			return r.syncInput()
		}
	}
	if r.customFocused() {
		var cmd tea.Cmd
		r.input, cmd = r.input.Update(msg)
		r.err = nil
		return cmd
	}
	return nil
}

func (r *Reshard) syncInput() tea.Cmd {
	if r.customFocused() {
		return r.input.Focus()
	}
	r.input.Blur()
	return nil
}

// review plans the chosen reshard (nothing is changed yet).
func (r *Reshard) review() tea.Cmd {
	if len(r.choices) == 0 && r.action != kinesisx.ActionScale {
		return nil // nothing to choose: the form says why
	}
	var call func(ctx context.Context) (kinesisx.ReshardPlan, error)
	switch r.action {
	case kinesisx.ActionSplit:
		c := r.choices[r.row]
		at := c.key
		if r.customFocused() {
			k, err := hashkey.Parse(strings.TrimSpace(r.input.Value()))
			if err != nil {
				r.err = fmt.Errorf("hash key: %w", err)
				return nil
			}
			at = k
		} else if !c.ok {
			r.err = errors.New(c.label + ": " + c.note)
			return nil
		}
		w, stream, shard := r.w, r.name, r.sel.ID
		call = func(ctx context.Context) (kinesisx.ReshardPlan, error) { return w.PlanSplit(ctx, stream, shard, at) }
	case kinesisx.ActionMerge:
		w, stream, a, b := r.w, r.name, r.sel.ID, r.choices[r.row].shardID
		call = func(ctx context.Context) (kinesisx.ReshardPlan, error) { return w.PlanMerge(ctx, stream, a, b) }
	case kinesisx.ActionScale:
		n, err := strconv.Atoi(strings.TrimSpace(r.input.Value()))
		if err != nil {
			r.err = errors.New("target: want a whole number of shards")
			return nil
		}
		w, stream := r.w, r.name
		call = func(ctx context.Context) (kinesisx.ReshardPlan, error) { return w.PlanScale(ctx, stream, n) }
	default:
		return nil
	}
	return plan(&r.flow, call)
}

// run makes the planned change, waits for ACTIVE and lists the shards.
func (r *Reshard) run() tea.Cmd {
	r.status = "sending"
	w, a, stream, p := r.w, r.action, r.name, r.plan
	return run(&r.flow, &r.job, func(ctx context.Context, report func(string)) ([]kinesisx.Shard, error) {
		return reshard(ctx, w, a, stream, p, report)
	})
}

// reshard makes the planned change, reports the stream's status until it
// is ACTIVE again, then lists the shards.
func reshard(ctx context.Context, w Resharder, a kinesisx.Action, stream string, p kinesisx.ReshardPlan, report func(string)) ([]kinesisx.Shard, error) {
	var err error
	switch a {
	case kinesisx.ActionSplit:
		err = w.Split(ctx, stream, p.ShardID, p.At)
	case kinesisx.ActionMerge:
		err = w.Merge(ctx, stream, p.ShardID, p.Adjacent)
	case kinesisx.ActionScale:
		err = w.Scale(ctx, stream, p.Target)
	}
	if err != nil {
		return nil, err
	}
	report("UPDATING")
	wctx, cancel := context.WithTimeout(ctx, WaitTimeout)
	defer cancel()
	if err := w.WaitActive(wctx, stream, report); err != nil {
		return nil, err
	}
	return w.ListShards(ctx, stream) // its error names the stream
}
