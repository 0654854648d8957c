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
	"github.com/kinspect/kinspect/ui/theme"
	"github.com/kinspect/kinspect/ui/traffic"
	"github.com/kinspect/kinspect/ui/view"
)

// WaitTimeout bounds the wait for ACTIVE after a reshard.
const WaitTimeout = 10 * time.Minute

// reshardPlannedMsg is the result of a Plan* call.
type reshardPlannedMsg struct {
	viewID, reqID int
	plan          kinesisx.ReshardPlan
	err           error
}

// reshardDoneMsg is the end of a reshard: the shards once ACTIVE.
type reshardDoneMsg struct {
	viewID, jobID int
	shards        []kinesisx.Shard
	err           error
}

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
	id      int
	ctx     context.Context
	cancel  context.CancelFunc
	w       Resharder
	traffic *traffic.Store
	st      *theme.Styles
	action  kinesisx.Action
	name    string
	shardID string
	inRate  float64 // the shard's incoming bytes/s when asked (0: unknown)

	stage   stage
	stream  kinesisx.Stream
	shards  []kinesisx.Shard
	sel     kinesisx.Shard
	samples []kinesisx.KeySample // of the selected shard
	choices []choice
	row     int
	input   textinput.Model // split: a custom hash key; scale: the target
	err     error

	plan   kinesisx.ReshardPlan
	status string
	after  []kinesisx.Shard
	runErr error

	reqID, jobID int
	job          job[string]
	started      time.Time

	width, height int
}

// NewReshard builds the dialog of a split, merge or scale request.
func NewReshard(ctx context.Context, id int, req view.ActionRequestedMsg, d Deps) *Reshard {
	ctx, cancel := context.WithCancel(ctx)
	ti := textinput.New()
	return &Reshard{id: id, ctx: ctx, cancel: cancel, w: d.Writer, traffic: d.Traffic, st: d.Styles,
		action: req.Action, name: req.Stream, shardID: req.ShardID, inRate: req.InBytesPerSec, input: ti}
}

// Init loads the stream and its shards.
func (r *Reshard) Init() tea.Cmd {
	r.reqID++
	return load(r.ctx, r.w, r.name, r.id, r.reqID)
}

// Start implements view.Model.
func (r *Reshard) Start() tea.Cmd { return nil }

// Stop implements view.Model.
func (r *Reshard) Stop() {}

// Close cancels the wait (a reshard already sent goes on in Kinesis).
func (r *Reshard) Close() { r.cancel() }

// Title implements view.Model.
func (r *Reshard) Title() string { return string(r.action) }

// Capturing is true: the dialog takes every key.
func (r *Reshard) Capturing() bool { return true }

// SetSize implements view.Model.
func (r *Reshard) SetSize(w, h int) {
	r.width, r.height = w, h
	r.input.SetWidth(max(min(w-24, 42), 4))
}

// KeyMap implements view.Model.
func (r *Reshard) KeyMap() help.KeyMap {
	form := keyList{bind("enter", "review"), bind("up,k", "previous"), bind("down,j", "next"), bind("esc", "cancel")}
	if r.action == kinesisx.ActionScale {
		form = keyList{bind("enter", "review"), bind("left,-", "fewer"), bind("right,+", "more"), bind("esc", "cancel")}
	}
	return stageKeys(r.stage, form)
}

// Update implements view.Model.
func (r *Reshard) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.viewID != r.id || msg.reqID != r.reqID || r.stage != stageLoading {
			return nil
		}
		r.stage, r.err = stageForm, msg.err
		r.stream, r.shards = msg.stream, msg.shards
		return r.setup()
	case reshardPlannedMsg:
		if msg.viewID != r.id || msg.reqID != r.reqID || r.stage != stagePlanning {
			return nil
		}
		if msg.err != nil {
			r.stage, r.err = stageForm, msg.err
			return nil
		}
		r.stage, r.plan = stageConfirm, msg.plan
	case progressMsg[string]:
		if msg.viewID != r.id || msg.jobID != r.jobID || r.stage != stageRunning {
			return nil
		}
		r.status = msg.value
		return r.job.wait(r.id, r.jobID)
	case reshardDoneMsg:
		if msg.viewID != r.id || msg.jobID != r.jobID {
			return nil
		}
		r.stage, r.after, r.runErr = stageDone, msg.shards, msg.err
		changed := view.Cmd(view.StreamChangedMsg{Stream: r.name})
		if msg.err != nil {
			return changed
		}
		return tea.Batch(changed, view.Cmd(view.InfoMsg{Text: fmt.Sprintf("%s: %s is ACTIVE again", r.action, r.name)}))
	case tea.KeyPressMsg:
		return r.key(msg)
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

func (r *Reshard) key(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	switch r.stage {
	case stageForm:
		return r.formKey(msg)
	case stageConfirm:
		switch k {
		case "y", "Y":
			return r.run()
		case "n", "N", "esc":
			r.stage = stageForm
		}
		return nil
	case stageDone:
		if k == "enter" || k == "esc" || k == "q" {
			return view.Cmd(view.BackMsg{})
		}
		return nil
	}
	if k == "esc" {
		return view.Cmd(view.BackMsg{})
	}
	return nil
}

func (r *Reshard) customFocused() bool {
	return r.action == kinesisx.ActionSplit && r.row == len(r.choices)-1 && len(r.choices) > 0
}

func (r *Reshard) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	switch k {
	case "esc":
		return view.Cmd(view.BackMsg{})
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
	r.stage, r.err = stagePlanning, nil
	r.reqID++
	ctx, viewID, reqID := r.ctx, r.id, r.reqID
	return func() tea.Msg {
		p, err := call(ctx)
		return reshardPlannedMsg{viewID: viewID, reqID: reqID, plan: p, err: err}
	}
}

// run makes the planned change, waits for ACTIVE and lists the shards.
func (r *Reshard) run() tea.Cmd {
	r.stage, r.started, r.status = stageRunning, time.Now(), "sending"
	r.jobID++
	j := newJob[string]()
	r.job = j
	return tea.Batch(runReshard(r.ctx, r.w, r.action, r.name, r.plan, j, r.id, r.jobID), j.wait(r.id, r.jobID))
}

func runReshard(ctx context.Context, w Resharder, a kinesisx.Action, stream string, p kinesisx.ReshardPlan, j job[string], viewID, jobID int) tea.Cmd {
	return func() tea.Msg {
		defer j.finish()
		msg := reshardDoneMsg{viewID: viewID, jobID: jobID}
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
			msg.err = err
			return msg
		}
		j.report("UPDATING")
		wctx, cancel := context.WithTimeout(ctx, WaitTimeout)
		defer cancel()
		if err := w.WaitActive(wctx, stream, j.report); err != nil {
			msg.err = err
			return msg
		}
		msg.shards, msg.err = w.ListShards(ctx, stream)
		if msg.err != nil {
			msg.err = fmt.Errorf("list shards of %s: %w", stream, msg.err)
		}
		return msg
	}
}
