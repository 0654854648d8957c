package screen

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Tag addresses an asynchronous result to a screen and to one request of
// a kind: a message embeds it, and Base.Mine drops the message when it is
// another screen's or an older request's. Kind "" is never stale.
type Tag struct {
	Screen int
	Kind   string
	Req    int
}

// screenTag is how Base finds the Tag of a message that embeds one.
func (t Tag) screenTag() Tag { return t }

type tagged interface{ screenTag() Tag }

// KindRefresh is the refresh timer's kind: each Start and Stop begins a
// new generation, so an older generation's ticks die out.
const KindRefresh = "refresh"

// RefreshMsg is the refresh timer of a screen; Base.Mine lets through only
// the current generation's. The screen reloads and re-arms with Tick.
type RefreshMsg struct{ Tag }

// Base is what every screen embeds: its ID on the stack, a context
// cancelled on Close, request IDs with stale-result dropping, the refresh
// timer and the default lifecycle. Methods are called on the event loop.
type Base struct {
	Common
	id      int
	parent  context.Context
	ctx     context.Context
	cancel  context.CancelFunc
	reqs    map[string]int
	refresh time.Duration
}

// NewBase builds the Base of the screen id; refresh is the screen's
// default reload interval (zero: none), which Common.Refresh overrides.
func NewBase(ctx context.Context, id int, c Common, refresh time.Duration) Base {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	if refresh != 0 {
		refresh = c.RefreshOr(refresh)
	}
	return Base{Common: c, id: id, parent: parent, ctx: ctx, cancel: cancel, reqs: map[string]int{}, refresh: refresh}
}

// ID is the screen's unique ID on the stack.
func (b *Base) ID() int { return b.id }

// Ctx is the screen's context: cancelled when the screen closes, which
// ends its reads.
func (b *Base) Ctx() context.Context { return b.ctx }

// MutationCtx is the context of a change the user confirmed (deregister,
// prune): it outlives the screen, so leaving it does not cut a write off
// half-way; the session's end still cancels it.
func (b *Base) MutationCtx() context.Context { return b.parent }

// NewTag begins a request of kind: results tagged with an older request
// of the same kind are dropped from now on.
func (b *Base) NewTag(kind string) Tag {
	b.reqs[kind]++
	return b.CurTag(kind)
}

// CurTag is the tag of the current request of kind (a follow-up of it:
// the next batch, the next progress report).
func (b *Base) CurTag(kind string) Tag { return Tag{Screen: b.id, Kind: kind, Req: b.reqs[kind]} }

// Drop makes the running request of kind stale without starting another.
func (b *Base) Drop(kind string) { b.reqs[kind]++ }

// Mine reports whether the screen should act on msg: a tagged message
// must be this screen's and, for a kind, of its current request; other
// messages (keys, broadcasts) are everyone's.
func (b *Base) Mine(msg tea.Msg) bool {
	t, ok := msg.(tagged)
	if !ok {
		return true
	}
	tag := t.screenTag()
	return tag.Screen == b.id && (tag.Kind == "" || tag.Req == b.reqs[tag.Kind])
}

// Tick arms the refresh timer of the current generation (nil when the
// screen does not refresh).
func (b *Base) Tick() tea.Cmd {
	if b.refresh <= 0 {
		return nil
	}
	tag := b.CurTag(KindRefresh)
	return b.Common.Tick(b.refresh, func(time.Time) tea.Msg { return RefreshMsg{Tag: tag} })
}

// SetRefresh changes the reload interval; zero or less turns it off.
func (b *Base) SetRefresh(d time.Duration) { b.refresh = d }

// Start begins a refresh generation and arms its timer.
func (b *Base) Start() tea.Cmd {
	b.Drop(KindRefresh)
	return b.Tick()
}

// Stop ends the refresh generation: its pending tick is dropped.
func (b *Base) Stop() { b.Drop(KindRefresh) }

// Close stops the screen and cancels its context; it is not used again.
func (b *Base) Close() {
	b.Stop()
	b.cancel()
}
