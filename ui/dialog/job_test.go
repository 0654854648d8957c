package dialog

import "testing"

func TestJobKeepsTheNewestProgress(t *testing.T) {
	j := newJob[int]()
	for i := 1; i <= 5; i++ {
		j.report(i) // nobody reads: each replaces the last
	}
	msg := j.wait(7, 3)()
	p, ok := msg.(progressMsg[int])
	if !ok || p.value != 5 || p.viewID != 7 || p.jobID != 3 {
		t.Fatalf("want the newest progress 5 for view 7 job 3, got %#v", msg)
	}
	j.finish()
	if msg := j.wait(7, 3)(); msg != nil {
		t.Errorf("a finished job with nothing unread should end the wait, got %#v", msg)
	}
}
