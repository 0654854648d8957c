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
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/theme"
)

// Run runs the terminal UI until the user quits or ctx is cancelled, and
// restores the terminal. Every tail is closed before it returns.
func Run(ctx context.Context, cfg Config) error {
	if os.Getenv("NO_COLOR") != "" {
		cfg.NoColor = true
	}
	if cfg.Streams == nil || cfg.Shards == nil || cfg.Tailer == nil {
		return errors.New("terminal UI: Config needs Streams, Shards and Tailer")
	}
	return run(ctx, cfg)
}

// run is Run with extra program options (tests give input and output).
func run(ctx context.Context, cfg Config, opts ...tea.ProgramOption) error {
	a := newApp(ctx, cfg)
	_, err := tea.NewProgram(a, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...).Run()
	a.closeAll()
	if a.auto != nil {
		w := cfg.Notices
		if w == nil {
			w = os.Stderr
		}
		a.auto.Settle(w)
	}
	if err != nil && ctx.Err() != nil {
		return nil // cancelled from outside (SIGINT, SIGTERM): a normal end
	}
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// app is the root model.
type app struct {
	ctx     context.Context
	cfg     Config
	common  screen.Common
	st      *theme.Styles
	global  keys.Global
	footer  bhelp.Model
	stack   []screen.Model
	overlay screen.Model
	cmdline textinput.Model
	typing  bool
	status  string
	isErr   bool
	// statusSeq numbers the messages, so that a timer clears only its own.
	statusSeq int
	nextID    int
	width     int
	height    int
	// sess is what outlives a screen: the traffic the tails saw, the live
	// fill, the auto-off timers (Config.Session, or one of its own).
	sess *session.Session
	// auto drives the auto-off timers of shard-level metrics; nil without
	// a Monitor.
	auto *monitor.Auto
}

func newApp(ctx context.Context, cfg Config) *app {
	st := theme.New(theme.Pick(true, cfg.NoColor))
	common := screen.Common{Styles: &st, Global: keys.NewGlobal(), ReadOnly: cfg.ReadOnly, Clock: cfg.Clock, Refresh: cfg.Refresh}
	a := &app{ctx: ctx, cfg: cfg, common: common, st: &st, global: common.Global, footer: bhelp.New(), cmdline: screen.Input(":", ""), sess: cfg.Session}
	if a.sess == nil {
		a.sess = session.New(common.Now, hotkeys.Options{})
	}
	a.cmdline.Placeholder = strings.ReplaceAll(strings.Join(a.commands(), ", "), ":", "")
	if cfg.Monitor != nil {
		a.auto = monitor.NewAuto(ctx, cfg.Monitor, cfg.Clock, 0, a.sess.Auto)
	}
	a.styleFooter()
	home := streams.New(ctx, a.id(), common, cfg.Streams)
	if cfg.Throughput != nil {
		home.SetMetrics(cfg.Throughput)
	}
	a.stack = []screen.Model{home}
	return a
}

// shardsDeps are the stream screen's dependencies.
func (a *app) shardsDeps() shards.Deps {
	return shards.Deps{Source: a.cfg.Shards, Metrics: a.cfg.Metrics, Tailer: a.cfg.Tailer, Session: a.sess}
}

func (a *app) id() int { a.nextID++; return a.nextID }

func (a *app) styleFooter() {
	a.footer.Styles.ShortKey = a.st.HelpKey
	a.footer.Styles.ShortDesc = a.st.HelpDesc
	a.footer.Styles.ShortSeparator = a.st.Muted
	a.footer.Styles.Ellipsis = a.st.Muted
}

func (a *app) top() screen.Model { return a.stack[len(a.stack)-1] }

// Init loads the home screen (and the initial stream, if any) and asks the
// terminal for its background colour.
func (a *app) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.top().Init(), a.top().Start()}
	if a.cfg.Stream != "" {
		cmds = append(cmds, a.push(shards.New(a.ctx, a.id(), a.common, a.cfg.Stream, a.shardsDeps())), a.staleHint(a.cfg.Stream))
	}
	return tea.Batch(cmds...)
}

// push stops the top screen and starts s above it.
func (a *app) push(s screen.Model) tea.Cmd {
	a.top().Stop()
	a.stack = append(a.stack, s)
	s.SetSize(a.bodySize())
	return tea.Batch(s.Init(), s.Start())
}

// pop closes the top screen and restarts the one below; the home screen
// stays.
func (a *app) pop() tea.Cmd {
	if len(a.stack) == 1 {
		return nil
	}
	a.top().Close()
	a.stack = a.stack[:len(a.stack)-1]
	a.top().SetSize(a.bodySize())
	return a.top().Start()
}

// closeAll closes every screen (quit, or Run returning).
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
	case tea.MouseWheelMsg:
		if a.overlay != nil {
			return a, a.overlay.Update(msg)
		}
		return a, a.top().Update(msg)
	case screen.OpenStreamMsg:
		return a, tea.Batch(a.push(shards.New(a.ctx, a.id(), a.common, msg.Stream, a.shardsDeps())), a.staleHint(msg.Stream))
	case screen.OpenTailMsg:
		t := tail.New(a.ctx, a.id(), a.common, msg.Stream, msg.Shards, tail.Deps{
			Tailer: a.cfg.Tailer, Decoder: a.cfg.decoderFor(msg.Stream), ExportDir: a.cfg.ExportDir,
			Session: a.sess,
		})
		return a, tea.Batch(a.push(t), t.StartAt(msg.From, msg.Focus))
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
		return a, a.run(msg.Command)
	case screen.ActionRequestedMsg:
		return a, a.action(msg)
	case screen.MonitoringRequestedMsg:
		return a, a.monitoring(msg)
	case monitor.ChangedMsg:
		return a, a.monitoringChanged(msg)
	}
	// Everything else is a screen's own async result or a broadcast.
	cmds := make([]tea.Cmd, 0, len(a.stack)+1)
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
		h.SetCommands(a.commands())
		a.overlay = h
		a.overlay.SetSize(a.bodySize())
		return nil
	case key.Matches(msg, a.global.Command):
		a.typing = true
		a.cmdline.SetValue("")
		return a.cmdline.Focus()
	case key.Matches(msg, a.global.Back):
		return a.pop()
	}
	return top.Update(msg)
}

// action opens the dialog of a write action, or says why it cannot.
func (a *app) action(req screen.ActionRequestedMsg) tea.Cmd {
	if err := a.cfg.guard().Allow(req.Action); err != nil {
		return screen.Error(err)
	}
	if a.cfg.Writer == nil {
		return screen.Error(fmt.Errorf("%s: %w", req.Action, errNotYet))
	}
	d := dialog.New(a.ctx, a.id(), req, dialog.Deps{Writer: a.cfg.Writer, Traffic: a.sess.Traffic, Styles: a.st})
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
