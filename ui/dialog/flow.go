package dialog

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// flow is what every dialog keeps of its flow through the stages (see the
// package comment): its ids, the stage, the form's error, the context a
// close cancels, and its size. A dialog embeds it; the methods here are
// the steps that do not depend on what the dialog changes.
type flow struct {
	id     int
	ctx    context.Context
	cancel context.CancelFunc
	st     *theme.Styles
	name   string // the stream

	stage  stage
	err    error // shown under the form
	runErr error // how the run ended
	// started and finished bound the run; finished is zero while it runs.
	started, finished time.Time

	reqID, jobID  int
	width, height int
}

func newFlow(ctx context.Context, id int, stream string, st *theme.Styles) flow {
	ctx, cancel := context.WithCancel(ctx)
	return flow{id: id, ctx: ctx, cancel: cancel, st: st, name: stream}
}

// plannedMsg is the result of a Plan* call.
type plannedMsg[P any] struct {
	viewID, reqID int
	plan          P
	err           error
}

// doneMsg is the end of a run: its result, or the error it ended with.
type doneMsg[R any] struct {
	viewID, jobID int
	res           R
	err           error
}

// Start implements screen.Model.
func (w *flow) Start() tea.Cmd { return nil }

// Stop implements screen.Model.
func (w *flow) Stop() {}

// Close cancels whatever runs (a reshard already sent goes on in Kinesis).
func (w *flow) Close() { w.cancel() }

// Capturing is true: the dialog takes every key.
func (w *flow) Capturing() bool { return true }

// SetSize implements screen.Model (a dialog with inputs sizes them too).
func (w *flow) SetSize(width, height int) { w.width, w.height = width, height }

// load asks for the stream and its shards.
func (w *flow) load(r Reader) tea.Cmd {
	w.reqID++
	return load(w.ctx, r, w.name, w.id, w.reqID)
}

// loaded takes the load result meant for this dialog while it loads: it
// moves to the form and reports true.
func (w *flow) loaded(msg loadedMsg) bool {
	if msg.viewID != w.id || msg.reqID != w.reqID || w.stage != stageLoading {
		return false
	}
	w.stage, w.err = stageForm, msg.err
	return true
}

// plan moves to planning and runs call for a plannedMsg; stale results
// are dropped by planned.
func plan[P any](w *flow, call func(ctx context.Context) (P, error)) tea.Cmd {
	w.stage, w.err = stagePlanning, nil
	w.reqID++
	ctx, viewID, reqID := w.ctx, w.id, w.reqID
	return func() tea.Msg {
		p, err := call(ctx)
		return plannedMsg[P]{viewID: viewID, reqID: reqID, plan: p, err: err}
	}
}

// planned takes the plan meant for this dialog while it plans: a refusal
// goes back to the form, a plan on to the confirmation (true).
func planned[P any](w *flow, msg plannedMsg[P]) bool {
	if msg.viewID != w.id || msg.reqID != w.reqID || w.stage != stagePlanning {
		return false
	}
	if msg.err != nil {
		w.stage, w.err = stageForm, msg.err
		return false
	}
	w.stage = stageConfirm
	return true
}

// run moves to running and starts a new job: run does the work and
// reports progress to it; the progress is waited for alongside.
func run[P, R any](w *flow, j *job[P], work func(ctx context.Context, report func(P)) (R, error)) tea.Cmd {
	w.stage, w.started, w.finished = stageRunning, time.Now(), time.Time{}
	w.jobID++
	*j = newJob[P]()
	jj, ctx, viewID, jobID := *j, w.ctx, w.id, w.jobID
	return tea.Batch(func() tea.Msg {
		defer jj.finish()
		res, err := work(ctx, jj.report)
		return doneMsg[R]{viewID: viewID, jobID: jobID, res: res, err: err}
	}, jj.wait(viewID, jobID))
}

// progressed reports whether a progress value is of this dialog's
// running job.
func (w *flow) progressed(viewID, jobID int) bool {
	return viewID == w.id && jobID == w.jobID && w.stage == stageRunning
}

// done takes the end of this dialog's job: it moves to the result and
// reports true.
func done[R any](w *flow, msg doneMsg[R]) bool {
	if msg.viewID != w.id || msg.jobID != w.jobID {
		return false
	}
	w.stage, w.runErr, w.finished = stageDone, msg.err, time.Now()
	return true
}

// elapsed is how long the run has taken: until now while it runs, until it
// ended once it has (a finished reshard's clock stops).
func (w *flow) elapsed() time.Duration {
	if !w.finished.IsZero() {
		return w.finished.Sub(w.started)
	}
	return time.Since(w.started)
}

// key handles a key by stage: the form's keys go to form; y confirms
// with confirm, n or esc go back to the form (then to back, if any); at
// the end enter, esc or q close; otherwise esc closes.
func (w *flow) key(msg tea.KeyPressMsg, form func(tea.KeyPressMsg) tea.Cmd, confirm, back func() tea.Cmd) tea.Cmd {
	k := msg.String()
	switch w.stage {
	case stageForm:
		return form(msg)
	case stageConfirm:
		switch k {
		case "y", "Y":
			return confirm()
		case "n", "N", "esc":
			w.stage = stageForm
			if back != nil {
				return back()
			}
		}
		return nil
	case stageDone:
		if k == "enter" || k == "esc" || k == "q" {
			return screen.Cmd(screen.BackMsg{})
		}
		return nil
	}
	if k == "esc" {
		return screen.Cmd(screen.BackMsg{})
	}
	return nil
}

// view frames the body of the current stage: loading, the form (with a
// note while planning), the confirmation, then the run and its result;
// the form's error last.
func (w *flow) view(title string, form, confirm, result func() []string) string {
	st := w.st
	var lines []string
	switch w.stage {
	case stageLoading:
		lines = append(lines, st.Muted.Render("loading "+w.name+"…"))
	case stageForm, stagePlanning:
		lines = form()
		if w.stage == stagePlanning {
			lines = append(lines, "", st.Muted.Render("checking…"))
		}
	case stageConfirm:
		lines = confirm()
	case stageRunning, stageDone:
		lines = result()
	}
	if w.err != nil {
		lines = append(lines, "", errLine(st, w.err))
	}
	return frame(st, w.width, w.height, title, lines)
}
