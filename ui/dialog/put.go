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
	"github.com/kinspect/kinspect/ui/screen"
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

// Put is the put-records dialog.
type Put struct {
	flow
	w Putter

	stream kinesisx.Stream
	shards []kinesisx.Shard

	row    int
	mode   int // index into keyModes
	inputs [putRows]textinput.Model
	keys   [len(keyModes)]string // the key field per mode, kept across switches

	opts  kinesisx.PutOptions
	tmpl  *kinesisx.Template
	plan  *kinesisx.PutPlan
	first []byte // the first record, for the command

	job job[kinesisx.PutResult]
	res kinesisx.PutResult
}

// NewPut builds the put dialog for a stream; shardID, when set, starts in
// target-shard mode on that shard.
func NewPut(ctx context.Context, id int, stream, shardID string, d Deps) *Put {
	p := &Put{flow: newFlow(ctx, id, stream, d.Styles), w: d.Writer}
	prompts := [putRows]string{"", "partition key  ", "data/template  ", "count          ", "rate (rec/s)   "}
	for i := range p.inputs {
		ti := screen.Input(prompts[i], "")
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
func (p *Put) Init() tea.Cmd { return p.load(p.w) }

// Title implements screen.Model.
func (p *Put) Title() string { return "put " + p.name }

// SetSize implements screen.Model.
func (p *Put) SetSize(w, h int) {
	p.flow.SetSize(w, h)
	for i := range p.inputs {
		p.inputs[i].SetWidth(max(w-20, 4))
	}
}

// KeyMap implements screen.Model.
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

// Update implements screen.Model.
func (p *Put) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if !p.loaded(msg) {
			return nil
		}
		p.stream, p.shards = msg.stream, msg.shards
		return p.focus(rowData)
	case plannedMsg[*kinesisx.PutPlan]:
		if planned(&p.flow, msg) {
			p.plan = msg.plan
		}
	case progressMsg[kinesisx.PutResult]:
		if !p.progressed(msg.viewID, msg.jobID) {
			return nil
		}
		p.res = msg.value
		return p.job.wait(p.id, p.jobID)
	case doneMsg[kinesisx.PutResult]:
		if !done(&p.flow, msg) {
			return nil
		}
		p.res = msg.res
		if msg.err == nil {
			return screen.Cmd(screen.InfoMsg{Text: fmt.Sprintf("put %d records to %s", msg.res.Sent, p.name)})
		}
		return nil
	case tea.KeyPressMsg:
		return p.key(msg, p.formKey, p.run, func() tea.Cmd { return p.focus(p.row) })
	}
	return nil
}

func (p *Put) formKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		return screen.Cmd(screen.BackMsg{})
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
	// Check every record before the first is sent, as the CLI does; at a
	// rate, {{now}} must be the time of sending, so records are made as
	// they go (and checked batch by batch).
	o.ReadAhead = rate == 0
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
	w := p.w
	return plan(&p.flow, func(ctx context.Context) (*kinesisx.PutPlan, error) { return w.PlanPut(ctx, o) })
}

// run sends the records, reporting progress after every batch.
func (p *Put) run() tea.Cmd {
	p.res = kinesisx.PutResult{}
	w, o, src := p.w, p.opts, p.tmpl.Source(nil)
	return run(&p.flow, &p.job, func(ctx context.Context, report func(kinesisx.PutResult)) (kinesisx.PutResult, error) {
		return w.Put(ctx, o, src, report)
	})
}
