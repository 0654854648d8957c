package dialog

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

func newTestFlow(s stage) flow {
	st := theme.New(theme.Plain())
	w := newFlow(context.Background(), 4, "orders", &st)
	w.stage, w.reqID, w.jobID = s, 2, 3
	return w
}

func TestFlowDropsStaleResults(t *testing.T) {
	refused := errors.New("ON_DEMAND")
	tests := []struct {
		name      string
		stage     stage
		apply     func(w *flow) bool
		want      bool
		wantStage stage
	}{
		{"loaded", stageLoading, func(w *flow) bool { return w.loaded(loadedMsg{viewID: 4, reqID: 2}) }, true, stageForm},
		{"loaded, old request", stageLoading, func(w *flow) bool { return w.loaded(loadedMsg{viewID: 4, reqID: 1}) }, false, stageLoading},
		{"loaded, other dialog", stageLoading, func(w *flow) bool { return w.loaded(loadedMsg{viewID: 5, reqID: 2}) }, false, stageLoading},
		{"loaded, not loading", stageForm, func(w *flow) bool { return w.loaded(loadedMsg{viewID: 4, reqID: 2}) }, false, stageForm},
		{"planned", stagePlanning, func(w *flow) bool { return planned(w, plannedMsg[int]{viewID: 4, reqID: 2}) }, true, stageConfirm},
		{"planned, refused", stagePlanning, func(w *flow) bool { return planned(w, plannedMsg[int]{viewID: 4, reqID: 2, err: refused}) }, false, stageForm},
		{"planned, old request", stagePlanning, func(w *flow) bool { return planned(w, plannedMsg[int]{viewID: 4, reqID: 1}) }, false, stagePlanning},
		{"planned, cancelled", stageForm, func(w *flow) bool { return planned(w, plannedMsg[int]{viewID: 4, reqID: 2}) }, false, stageForm},
		{"progress", stageRunning, func(w *flow) bool { return w.progressed(4, 3) }, true, stageRunning},
		{"progress, old job", stageRunning, func(w *flow) bool { return w.progressed(4, 2) }, false, stageRunning},
		{"progress, done", stageDone, func(w *flow) bool { return w.progressed(4, 3) }, false, stageDone},
		{"done", stageRunning, func(w *flow) bool { return done(w, doneMsg[int]{viewID: 4, jobID: 3, err: refused}) }, true, stageDone},
		{"done, old job", stageRunning, func(w *flow) bool { return done(w, doneMsg[int]{viewID: 4, jobID: 2}) }, false, stageRunning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestFlow(tt.stage)
			defer w.Close()
			if got := tt.apply(&w); got != tt.want || w.stage != tt.wantStage {
				t.Errorf("got %v, stage %d; want %v, stage %d", got, w.stage, tt.want, tt.wantStage)
			}
		})
	}
}

func TestFlowKeys(t *testing.T) {
	tests := []struct {
		stage     stage
		key       string
		want      string // "form", "confirm", "back", "close" or ""
		wantStage stage
	}{
		{stageForm, "esc", "form", stageForm},
		{stageConfirm, "y", "confirm", stageConfirm},
		{stageConfirm, "n", "back", stageForm},
		{stageConfirm, "esc", "back", stageForm},
		{stageConfirm, "x", "", stageConfirm},
		{stageDone, "enter", "close", stageDone},
		{stageDone, "q", "close", stageDone},
		{stageDone, "y", "", stageDone},
		{stageRunning, "esc", "close", stageRunning},
		{stageRunning, "q", "", stageRunning},
		{stageLoading, "esc", "close", stageLoading},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			w := newTestFlow(tt.stage)
			defer w.Close()
			got := ""
			cmd := w.key(uitest.Key(tt.key),
				func(_ tea.KeyPressMsg) tea.Cmd { got = "form"; return nil },
				func() tea.Cmd { got = "confirm"; return nil },
				func() tea.Cmd { got = "back"; return nil })
			if cmd != nil {
				if _, ok := cmd().(screen.BackMsg); ok {
					got = "close"
				}
			}
			if got != tt.want || w.stage != tt.wantStage {
				t.Errorf("stage %d key %q: got %q, stage %d; want %q, stage %d", tt.stage, tt.key, got, w.stage, tt.want, tt.wantStage)
			}
		})
	}
}

// TestFlowClockStopsWhenDone: once a reshard is done (the stream ACTIVE),
// its elapsed time is fixed; it used to go on counting on the done screen.
func TestFlowClockStopsWhenDone(t *testing.T) {
	w := newTestFlow(stageRunning)
	defer w.Close()
	w.started = time.Now().Add(-4 * time.Second)
	if !done(&w, doneMsg[int]{viewID: 4, jobID: 3}) {
		t.Fatal("done should take its job's end")
	}
	first := w.elapsed()
	time.Sleep(2 * time.Millisecond) // a clock still running would have moved
	if again := w.elapsed(); again != first || first < 4*time.Second || first > 5*time.Second {
		t.Errorf("elapsed %v then %v, want one fixed value of about 4s", first, again)
	}
}
