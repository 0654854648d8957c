package screen

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
)

// named is a screen that remembers what it was built with.
type named struct {
	Base
	stream string
	words  []string
	n      int
}

func (n *named) Init() tea.Cmd          { return nil }
func (n *named) Update(tea.Msg) tea.Cmd { return nil }
func (n *named) View() string           { return n.stream }
func (n *named) SetSize(int, int)       {}
func (n *named) Title() string          { return n.stream }
func (n *named) KeyMap() help.KeyMap    { return nil }
func (n *named) Capturing() bool        { return false }

type deps struct{ n int }

// newNamed has the constructor shape the screens of a stream share.
func newNamed(ctx context.Context, id int, c Common, stream string, words []string, d deps) *named {
	return &named{Base: NewBase(ctx, id, c, 0), stream: stream, words: words, n: d.n}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	r.Add("lag", OnStream(newNamed, deps{n: 7}))
	r.Add(StreamScreen, OnStream(newNamed, deps{}), "stream")
	r.Add("metrics", Unavailable("no CloudWatch client"))
	r.Add("lag", OnStream(newNamed, deps{n: 8})) // replaces, keeps its place
	if got := r.Names(); !slices.Equal(got, []string{"lag", StreamScreen, "metrics"}) {
		t.Errorf("names %v", got)
	}
	if got := r.Aliases(); !slices.Equal(got, []string{"stream"}) {
		t.Errorf("aliases %v", got)
	}
	e, name, ok := r.Lookup("stream")
	if !ok || name != StreamScreen || !e.Stream {
		t.Errorf("an alias finds its entry: %q %v", name, ok)
	}
	e, _, _ = r.Lookup("lag")
	m, err := e.New(context.Background(), 3, Common{}, Args{Stream: "orders", Words: []string{"group-a"}})
	n, _ := m.(*named)
	if err != nil || n == nil || n.stream != "orders" || !slices.Equal(n.words, []string{"group-a"}) || n.n != 8 || n.ID() != 3 {
		t.Errorf("OnStream passes the stream, the words and the deps: %+v %v", n, err)
	}
	e, _, _ = r.Lookup("metrics")
	if _, err := e.New(context.Background(), 4, Common{}, Args{}); err == nil || !strings.Contains(err.Error(), "not available in this session: no CloudWatch client") {
		t.Errorf("unavailable: %v", err)
	}
	if _, _, ok := r.Lookup("bogus"); ok {
		t.Error("bogus found")
	}
}

func TestCommonAllow(t *testing.T) {
	if err := (Common{}).Allow(kinesisx.ActionPut); err != nil {
		t.Errorf("read-write refused: %v", err)
	}
	err := Common{ReadOnly: true, ReadOnlyWhy: "profile prod is listed"}.Allow(kinesisx.ActionDeregisterConsumer)
	if !errors.Is(err, kinesisx.ErrReadOnly) || !strings.Contains(err.Error(), "deregister consumer: read-only mode refused it (profile prod is listed)") {
		t.Errorf("read-only: %v", err)
	}
}

type begunMsg struct{}

// Starting keeps the screen's stream and begins its work in Init, not
// before (the root sizes a screen before its Init).
func TestStarting(t *testing.T) {
	n := newNamed(context.Background(), 1, Common{}, "orders", nil, deps{})
	begun := false
	s := Starting(n, func() tea.Cmd {
		begun = true
		return func() tea.Msg { return begunMsg{} }
	})
	if begun {
		t.Error("the work must wait for Init")
	}
	if st, ok := s.(Streamer); !ok || st.Stream() != "orders" {
		t.Error("the wrapper should keep the stream")
	}
	if _, ok := uitest.Find[begunMsg](uitest.Msgs(s.Init())); !ok {
		t.Error("Init should run the begun work")
	}
}

// Stream makes named a Streamer.
func (n *named) Stream() string { return n.stream }
