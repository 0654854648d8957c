package dialog

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/theme"
	"github.com/kinspect/kinspect/ui/view"
)

// DefaultData is the put dialog's starting payload: a template.
const DefaultData = `{"seq":{{seq}},"at":"{{now}}"}`

// Put form rows.
const (
	rowMode = iota
	rowKey
	rowData
	rowCount
	rowRate
	putRows
)

// keyModes are the key modes in the order the mode row cycles them.
var keyModes = [...]kinesisx.KeyMode{kinesisx.KeyFixed, kinesisx.KeyRandom, kinesisx.KeyHash, kinesisx.KeyShard}

// putPlannedMsg is the result of PlanPut.
type putPlannedMsg struct {
	viewID, reqID int
	plan          *kinesisx.PutPlan
	err           error
}

// putDoneMsg is the end of a put.
type putDoneMsg struct {
	viewID, jobID int
	res           kinesisx.PutResult
	err           error
}

// Put is the put-records dialog.
type Put struct {
	id     int
	ctx    context.Context
	cancel context.CancelFunc
	w      Putter
	st     *theme.Styles
	name   string

	stage  stage
	stream kinesisx.Stream
	shards []kinesisx.Shard
	err    error

	row    int
	mode   int // index into keyModes
	inputs [putRows]textinput.Model
	keys   [len(keyModes)]string // the key field per mode, kept across switches

	opts  kinesisx.PutOptions
	tmpl  *kinesisx.Template
	plan  *kinesisx.PutPlan
	first []byte // the first record, for the command

	reqID, jobID int
	job          job[kinesisx.PutResult]
	res          kinesisx.PutResult
	runErr       error
	started      time.Time

	width, height int
}

// NewPut builds the put dialog for a stream; shardID, when set, starts in
// target-shard mode on that shard.
func NewPut(ctx context.Context, id int, stream, shardID string, d Deps) *Put {
	ctx, cancel := context.WithCancel(ctx)
	p := &Put{id: id, ctx: ctx, cancel: cancel, w: d.Writer, st: d.Styles, name: stream}
	prompts := [putRows]string{"", "partition key  ", "data/template  ", "count          ", "rate (rec/s)   "}
	for i := range p.inputs {
		ti := textinput.New()
		ti.Prompt = prompts[i]
		p.inputs[i] = ti
	}
	p.inputs[rowData].SetValue(DefaultData)
	p.inputs[rowCount].SetValue("1")
	p.inputs[rowRate].SetValue("0")
	p.inputs[rowRate].Placeholder = "0 = as fast as allowed"
	p.keys[0] = "kinspect-test"
	if shardID != "" {
		p.mode = 3
		p.keys[3] = shardID
	}
	p.inputs[rowKey].SetValue(p.keys[p.mode])
	p.setPrompt()
	return p
}

// Init loads the stream and its shards (for the preview).
func (p *Put) Init() tea.Cmd {
	p.reqID++
	return load(p.ctx, p.w, p.name, p.id, p.reqID)
}

// Start implements view.Model.
func (p *Put) Start() tea.Cmd { return nil }

// Stop implements view.Model.
func (p *Put) Stop() {}

// Close cancels whatever runs.
func (p *Put) Close() { p.cancel() }

// Title implements view.Model.
func (p *Put) Title() string { return "put " + p.name }

// Capturing is true: the dialog takes every key.
func (p *Put) Capturing() bool { return true }

// SetSize implements view.Model.
func (p *Put) SetSize(w, h int) {
	p.width, p.height = w, h
	for i := range p.inputs {
		p.inputs[i].SetWidth(max(w-20, 4))
	}
}

// KeyMap implements view.Model.
func (p *Put) KeyMap() help.KeyMap {
	return stageKeys(p.stage, keyList{bind("enter", "review"), bind("tab,down", "next field"),
		bind("shift+tab,up", "previous"), bind("left,right", "key mode"), bind("esc", "cancel")})
}

func (p *Put) setPrompt() {
	prompts := []string{"partition key  ", "partition key  ", "hash key       ", "shard ID       "}
	p.inputs[rowKey].Prompt = prompts[p.mode]
	p.inputs[rowKey].Placeholder = []string{"1–256 characters", "(a random key per record)", "decimal, 0 – 2^128-1", "shardId-…"}[p.mode]
}

func (p *Put) focus(row int) tea.Cmd {
	p.row = (row + putRows) % putRows
	if p.row == rowKey && keyModes[p.mode] == kinesisx.KeyRandom {
		p.row = rowKey + 1
		if row < rowKey {
			p.row = rowMode
		}
	}
	var cmd tea.Cmd
	for i := range p.inputs {
		if i == p.row && i != rowMode {
			cmd = p.inputs[i].Focus()
		} else {
			p.inputs[i].Blur()
		}
	}
	return cmd
}

// Update implements view.Model.
func (p *Put) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.viewID != p.id || msg.reqID != p.reqID || p.stage != stageLoading {
			return nil
		}
		p.stage, p.err = stageForm, msg.err
		p.stream, p.shards = msg.stream, msg.shards
		return p.focus(rowData)
	case putPlannedMsg:
		if msg.viewID != p.id || msg.reqID != p.reqID || p.stage != stagePlanning {
			return nil
		}
		if msg.err != nil {
			p.stage, p.err = stageForm, msg.err
			return nil
		}
		p.stage, p.plan = stageConfirm, msg.plan
	case progressMsg[kinesisx.PutResult]:
		if msg.viewID != p.id || msg.jobID != p.jobID || p.stage != stageRunning {
			return nil
		}
		p.res = msg.value
		return p.job.wait(p.id, p.jobID)
	case putDoneMsg:
		if msg.viewID != p.id || msg.jobID != p.jobID {
			return nil
		}
		p.stage, p.res, p.runErr = stageDone, msg.res, msg.err
		if msg.err == nil {
			return view.Cmd(view.InfoMsg{Text: fmt.Sprintf("put %d records to %s", msg.res.Sent, p.name)})
		}
		return nil
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil
}

func (p *Put) key(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	switch p.stage {
	case stageForm:
		return p.formKey(msg)
	case stageConfirm:
		switch k {
		case "y", "Y":
			return p.run()
		case "n", "N", "esc":
			p.stage = stageForm
			return p.focus(p.row)
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

func (p *Put) formKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		return view.Cmd(view.BackMsg{})
	case "tab", "down":
		return p.focus(p.row + 1)
	case "shift+tab", "up":
		return p.focus(p.row - 1)
	case "enter":
		return p.review()
	}
	if p.row == rowMode {
		switch msg.String() {
		case "left", "h":
			p.switchMode(-1)
		case "right", "l", "space":
			p.switchMode(1)
		}
		return nil
	}
	var cmd tea.Cmd
	p.inputs[p.row], cmd = p.inputs[p.row].Update(msg)
	if p.row == rowKey {
		p.keys[p.mode] = p.inputs[rowKey].Value()
	}
	p.err = nil
	return cmd
}

func (p *Put) switchMode(delta int) {
	p.keys[p.mode] = p.inputs[rowKey].Value()
	p.mode = (p.mode + delta + len(keyModes)) % len(keyModes)
	if keyModes[p.mode] == kinesisx.KeyShard && p.keys[p.mode] == "" {
		for _, s := range p.shards {
			if s.Open {
				p.keys[p.mode] = s.ID
				break
			}
		}
	}
	p.inputs[rowKey].SetValue(p.keys[p.mode])
	p.setPrompt()
	p.err = nil
}

// options reads the form into PutOptions and a template, checking the
// numbers and the template.
func (p *Put) options() (kinesisx.PutOptions, *kinesisx.Template, error) {
	o := kinesisx.PutOptions{Stream: p.name, Keys: keyModes[p.mode]}
	v := strings.TrimSpace(p.inputs[rowKey].Value())
	switch o.Keys {
	case kinesisx.KeyFixed:
		o.Key = p.inputs[rowKey].Value()
	case kinesisx.KeyHash:
		o.HashKey = v
	case kinesisx.KeyShard:
		o.ShardID = v
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.inputs[rowCount].Value()))
	if err != nil || n < 1 {
		return o, nil, errors.New("count: want a whole number of records, 1 or more")
	}
	o.Count = n
	rate, err := strconv.ParseFloat(strings.TrimSpace(p.inputs[rowRate].Value()), 64)
	if err != nil || rate < 0 {
		return o, nil, errors.New("rate: want records per second, 0 for as fast as allowed")
	}
	o.Rate = rate
	t, err := kinesisx.ParseTemplate(p.inputs[rowData].Value())
	if err != nil {
		return o, nil, err
	}
	return o, t, nil
}

// review checks the form and plans the put (nothing is sent).
func (p *Put) review() tea.Cmd {
	o, t, err := p.options()
	if err != nil {
		p.err = err
		return nil
	}
	p.opts, p.tmpl = o, t
	key := o.Key
	if key == "" {
		key = "<random>"
	}
	p.first = t.Render(kinesisx.RecordInfo{Seq: 1, Key: key, Now: time.Now()}, rand.New(rand.NewPCG(1, 2)))
	p.stage, p.err = stagePlanning, nil
	p.reqID++
	return planPut(p.ctx, p.w, o, p.id, p.reqID)
}

func planPut(ctx context.Context, w Putter, o kinesisx.PutOptions, viewID, reqID int) tea.Cmd {
	return func() tea.Msg {
		plan, err := w.PlanPut(ctx, o)
		return putPlannedMsg{viewID: viewID, reqID: reqID, plan: plan, err: err}
	}
}

// run sends the records, reporting progress after every batch.
func (p *Put) run() tea.Cmd {
	p.stage, p.started = stageRunning, time.Now()
	p.jobID++
	p.res = kinesisx.PutResult{}
	j := newJob[kinesisx.PutResult]()
	p.job = j
	return tea.Batch(runPut(p.ctx, p.w, p.opts, p.tmpl.Source(nil), j, p.id, p.jobID), j.wait(p.id, p.jobID))
}

func runPut(ctx context.Context, w Putter, o kinesisx.PutOptions, src kinesisx.RecordSource, j job[kinesisx.PutResult], viewID, jobID int) tea.Cmd {
	return func() tea.Msg {
		defer j.finish()
		res, err := w.Put(ctx, o, src, j.report)
		return putDoneMsg{viewID: viewID, jobID: jobID, res: res, err: err}
	}
}
