package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/dialog"
	"github.com/kinspect/kinspect/ui/help"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/monitor"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// Run runs the terminal UI until the user quits or ctx is cancelled, and
// restores the terminal. Every tail is closed before it returns.
func Run(ctx context.Context, cfg Config) error {
	if os.Getenv("NO_COLOR") != "" {
		cfg.NoColor = true
	}
	if err := cfg.check(); err != nil {
		return err
	}
	return run(ctx, cfg)
}

// run is Run with extra program options (tests give input and output).
func run(ctx context.Context, cfg Config, opts ...tea.ProgramOption) error {
	a := newApp(ctx, cfg)
	_, err := tea.NewProgram(a, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...).Run()
	a.closeAll()
	w := cfg.Notices
	if w == nil {
		w = os.Stderr
	}
	for _, auto := range a.autos {
		auto.Settle(w)
	}
	if err != nil && ctx.Err() != nil {
		return nil // cancelled from outside (SIGINT, SIGTERM): a normal end
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// frame is a screen on the stack and the registry name it was opened by.
type frame struct {
	screen.Model
	name string
}

// app is the root model.
type app struct {
	ctx     context.Context
	cfg     Config
	conn    Connection
	common  screen.Common
	st      *theme.Styles
	global  keys.Global
	footer  bhelp.Model
	stack   []frame
	overlay screen.Model
	cmdline textinput.Model
	typing  bool
	// names are what the command line completes besides the commands
	// (stream names, profiles), loaded when it opens.
	names  completions
	status string
	isErr  bool
	// statusSeq numbers the messages, so that a timer clears only its own.
	statusSeq int
	nextID    int
	width     int
	height    int
	// connGen numbers the connections, so that a result about an older
	// one (its stream names, a switch asked twice) is dropped.
	connGen int
	// switchSeq numbers the switches asked (:profile, :region), so that
	// only the last one's connection is used.
	switchSeq int
	// askedProfile and askedRegion are what the last switch asked for:
	// "" is the session's (its flags, the environment, the profile's).
	askedProfile, askedRegion string
	// autos hold the auto-off timers of shard-level metrics, one per
	// connection that had a Monitor, the current one last (nil when it
	// has none); all of them settle when the session ends.
	autos []*monitor.Auto
	auto  *monitor.Auto
	// sess is the connection's Session (or the root's own when it has
	// none): the dialogs read its traffic, the timers live in it.
	sess *session.Session
}

func newApp(ctx context.Context, cfg Config) *app {
	st := theme.New(theme.Pick(true, cfg.NoColor))
	a := &app{ctx: ctx, cfg: cfg, st: &st, global: keys.NewGlobal(), footer: bhelp.New(), cmdline: screen.Input(":", "")}
	a.styleFooter()
	a.use(cfg.Connection)
	a.stack = []frame{a.home()}
	return a
}

// use makes conn the session's connection: the common settings of the
// screens opened from now on follow its guard, and its Monitor gets a
// timer set of its own.
func (a *app) use(conn Connection) {
	a.conn = conn
	a.connGen++
	a.names = completions{}
	a.common = screen.Common{Styles: a.st, Global: a.global, ReadOnly: conn.Guard.ReadOnly, ReadOnlyWhy: conn.Guard.Why,
		Clock: a.cfg.Clock, Refresh: a.cfg.Refresh}
	a.sess = conn.Session
	if a.sess == nil {
		a.sess = session.New(a.common.Now, hotkeys.Options{})
	}
	a.auto = nil
	if conn.Monitor != nil {
		a.auto = monitor.NewAuto(a.ctx, conn.Monitor, a.cfg.Clock, 0, a.sess.Auto)
		a.autos = append(a.autos, a.auto)
	}
	a.cmdline.Placeholder = strings.ReplaceAll(strings.Join(a.commands(), ", "), ":", "")
}

// home builds the streams list of the connection: the registry must
// have it (Run checks), so a failure shows as the only screen.
func (a *app) home() frame {
	s, err := a.build(screen.Home, screen.Args{})
	if err != nil {
		s = &failed{title: screen.Home, err: err}
	}
	return frame{Model: s, name: screen.Home}
}

func (a *app) id() int { a.nextID++; return a.nextID }

func (a *app) styleFooter() {
	a.footer.Styles.ShortKey = a.st.HelpKey
	a.footer.Styles.ShortDesc = a.st.HelpDesc
	a.footer.Styles.ShortSeparator = a.st.Muted
	a.footer.Styles.Ellipsis = a.st.Muted
}

func (a *app) top() screen.Model { return a.stack[len(a.stack)-1].Model }

// Init loads the home screen (and the initial stream, if any) and asks the
// terminal for its background colour.
func (a *app) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.top().Init(), a.top().Start()}
	if a.cfg.Stream != "" {
		cmds = append(cmds, a.openStream(a.cfg.Stream))
	}
	return tea.Batch(cmds...)
}

// build makes the screen a registry entry names, or says why it cannot:
// an unknown name, a change the read-only guard refuses, a stream screen
// with no stream, the constructor's error.
func (a *app) build(name string, args screen.Args) (screen.Model, error) {
	e, name, ok := a.conn.Screens.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown command :%s (try %s)", name, strings.Join(a.commands(), ", "))
	}
	if e.Action != "" {
		if err := a.conn.Guard.Allow(e.Action); err != nil {
			return nil, fmt.Errorf(":%s: %w", name, err)
		}
	}
	if e.Stream && args.Stream == "" {
		return nil, fmt.Errorf(":%s: open or select a stream first", name)
	}
	s, err := e.New(a.ctx, a.id(), a.common, args)
	if err != nil {
		return nil, fmt.Errorf(":%s: %w", name, err)
	}
	return s, nil
}

// openStream pushes the stream screen of a stream a screen asked for,
// and looks for its stale consumers.
func (a *app) openStream(stream string) tea.Cmd {
	s, err := a.build(screen.StreamScreen, screen.Args{Stream: stream})
	if err != nil {
		return screen.Error(err)
	}
	return tea.Batch(a.push(screen.StreamScreen, s), a.staleHint(stream))
}

// push stops the top screen and starts s above it.
func (a *app) push(name string, s screen.Model) tea.Cmd {
	a.top().Stop()
	a.stack = append(a.stack, frame{Model: s, name: name})
	s.SetSize(a.bodySize())
	return tea.Batch(s.Init(), s.Start())
}

// pop closes the top screen and restarts the one below; the home screen
// stays.
func (a *app) pop() tea.Cmd {
	if len(a.stack) == 1 {
		return nil
	}
	return a.popTo(len(a.stack) - 2)
}

// popTo closes every screen above the i-th and restarts it.
func (a *app) popTo(i int) tea.Cmd {
	if i >= len(a.stack)-1 {
		return nil
	}
	for len(a.stack) > i+1 {
		a.top().Close()
		a.stack = a.stack[:len(a.stack)-1]
	}
	a.top().SetSize(a.bodySize())
	return a.top().Start()
}

// closeAll closes every screen (quit, a new connection, or Run
// returning).
func (a *app) closeAll() {
	if a.overlay != nil {
		a.overlay.Close()
		a.overlay = nil
	}
	for i := len(a.stack) - 1; i >= 0; i-- {
		a.stack[i].Close()
	}
}

func (a *app) quit() tea.Cmd {
	a.closeAll()
	return tea.Quit
}

// bodySize is the screen area between the status lines and the footer.
func (a *app) bodySize() (int, int) { return a.width, max(a.height-1-a.statusHeight(), 0) }

// Update implements tea.Model.
func (a *app) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.footer.SetWidth(msg.Width)
		a.cmdline.SetWidth(max(msg.Width-2, 1))
		a.resize()
		return a, nil
	case tea.BackgroundColorMsg:
		*a.st = theme.New(theme.Pick(msg.IsDark(), a.cfg.NoColor))
		a.styleFooter()
		return a, nil
	case tea.KeyPressMsg:
		return a, a.key(msg)
	case tea.MouseWheelMsg, tea.MouseClickMsg:
		return a, a.mouse(msg.(tea.MouseMsg))
	case screen.OpenStreamMsg:
		return a, a.openStream(msg.Stream)
	case screen.OpenTailMsg:
		s, err := a.build(screen.TailScreen, screen.Args{Stream: msg.Stream, Words: msg.Shards, From: msg.From, Focus: msg.Focus})
		if err != nil {
			return a, screen.Error(err)
		}
		return a, a.push(screen.TailScreen, s)
	case screen.BackMsg:
		if a.overlay != nil {
			a.overlay.Close()
			a.overlay = nil
			return a, nil
		}
		return a, a.pop()
	case screen.ErrorMsg:
		return a, a.setStatus(explain.Error(msg.Err), true)
	case screen.InfoMsg:
		return a, a.setStatus(explain.OneLine(msg.Text), false)
	case statusExpiredMsg:
		a.statusExpired(msg)
		return a, nil
	case screen.RunCommandMsg:
		return a, a.run(msg.Command, false)
	case screen.ActionRequestedMsg:
		return a, a.action(msg)
	case screen.MonitoringRequestedMsg:
		return a, a.monitoring(msg)
	case monitor.ChangedMsg:
		return a, a.monitoringChanged(msg)
	case namesMsg:
		a.namesLoaded(msg)
		return a, nil
	case connectedMsg:
		return a, a.connected(msg)
	}
	// Everything else is a screen's own async result or a broadcast.
	cmds := make([]tea.Cmd, 0, len(a.stack)+2)
	for _, s := range a.stack {
		cmds = append(cmds, s.Update(msg))
	}
	if a.overlay != nil {
		cmds = append(cmds, a.overlay.Update(msg))
	}
	if a.auto != nil {
		cmds = append(cmds, a.auto.Update(msg))
	}
	return a, tea.Batch(cmds...)
}

// key routes a key press: the command line, the overlay, a screen that is
// capturing text, the global keys, then the top screen.
func (a *app) key(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return a.quit()
	}
	if a.typing {
		return a.commandKey(msg)
	}
	if a.overlay != nil {
		return a.overlay.Update(msg)
	}
	top := a.top()
	if top.Capturing() {
		return top.Update(msg)
	}
	switch {
	case key.Matches(msg, a.global.Quit):
		return a.quit()
	case key.Matches(msg, a.global.Help):
		h := help.New(a.st, top.Title(), top.KeyMap(), a.global)
		h.SetCommands(a.usage())
		a.overlay = h
		a.overlay.SetSize(a.bodySize())
		return nil
	case key.Matches(msg, a.global.Command):
		return a.openCommandLine()
	case key.Matches(msg, a.global.Back):
		return a.pop()
	}
	return top.Update(msg)
}

// action opens the dialog of a write action, or says why it cannot: in
// read-only mode the guard refuses it, on the status line, whichever
// screen asked.
func (a *app) action(req screen.ActionRequestedMsg) tea.Cmd {
	if err := a.conn.Guard.Allow(req.Action); err != nil {
		return screen.Error(err)
	}
	if a.conn.Writer == nil {
		return screen.Error(fmt.Errorf("%s: %w", req.Action, errNotYet))
	}
	d := dialog.New(a.ctx, a.id(), req, dialog.Deps{Writer: a.conn.Writer, Traffic: a.sess.Traffic, Styles: a.st})
	if d == nil {
		return screen.Error(fmt.Errorf("%s: %w", req.Action, errNotYet))
	}
	if a.overlay != nil {
		a.overlay.Close()
	}
	a.overlay = d
	d.SetSize(a.bodySize())
	return tea.Batch(d.Init(), d.Start())
}

// errNotYet says a screen has no backing source in this session.
var errNotYet = errors.New("not available in this session")
