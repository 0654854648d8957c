package dialog

import (
	tea "charm.land/bubbletea/v2"
)

// job carries the progress of one running operation from the Cmd that
// runs it to the event loop. The runner is the only writer: it replaces
// an unread progress value with the newer one (progress is lossy, the
// final result is not: it is the runner Cmd's own message), and closes
// done when it returns, so the waiting Cmd ends.
type job[P any] struct {
	progress chan P
	done     chan struct{}
}

func newJob[P any]() job[P] {
	return job[P]{progress: make(chan P, 1), done: make(chan struct{})}
}

// report offers p, replacing a value nobody read yet. Runner only.
func (j job[P]) report(p P) {
	select {
	case j.progress <- p:
		return
	default:
	}
	select {
	case <-j.progress:
	default:
	}
	select {
	case j.progress <- p:
	default:
	}
}

// finish says the runner returned. Runner only, once.
func (j job[P]) finish() { close(j.done) }

// progressMsg is one progress value of job jobID.
type progressMsg[P any] struct {
	viewID, jobID int
	value         P
}

// wait returns the next progress value, or nil once the runner is done.
func (j job[P]) wait(viewID, jobID int) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-j.progress:
			return progressMsg[P]{viewID: viewID, jobID: jobID, value: p}
		case <-j.done:
			return nil
		}
	}
}
