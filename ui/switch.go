package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/ui/screen"
)

// connectedMsg is the outcome of a switch to another profile or region:
// seq numbers the switch (a later one makes it stale).
type connectedMsg struct {
	seq             int
	profile, region string
	conn            Connection
	err             error
}

// switchProfile is :profile: with no argument it lists the profiles;
// :profile NAME [REGION] connects to it (in the region the session was
// given, else the profile's own).
func (a *app) switchProfile(words []string) tea.Cmd {
	if a.cfg.Connect == nil {
		return screen.Error(fmt.Errorf(":profile: %w", errNotYet))
	}
	switch len(words) {
	case 0:
		return a.listProfiles()
	case 1:
		return a.connect(words[0], a.askedRegion)
	case 2:
		return a.connect(words[0], words[1])
	}
	return screen.Error(fmt.Errorf(":profile takes a profile and, optionally, a region: :profile NAME [REGION]"))
}

// switchRegion is :region NAME: the same profile in another region.
func (a *app) switchRegion(words []string) tea.Cmd {
	if a.cfg.Connect == nil {
		return screen.Error(fmt.Errorf(":region: %w", errNotYet))
	}
	if len(words) != 1 {
		return screen.Error(fmt.Errorf(":region takes one region, as in :region eu-west-1 (now %s)", a.conn.Region))
	}
	return a.connect(a.askedProfile, words[0])
}

// listProfiles puts the shared config's profiles on the status line.
func (a *app) listProfiles() tea.Cmd {
	profiles, current := a.cfg.Profiles, a.conn.Profile
	if profiles == nil {
		return screen.Error(fmt.Errorf(":profile: no profiles to list (type :profile NAME)"))
	}
	return func() tea.Msg {
		ps, err := profiles()
		if err != nil {
			return screen.ErrorMsg{Err: fmt.Errorf(":profile: %w", err)}
		}
		if len(ps) == 0 {
			return screen.InfoMsg{Text: "no profiles in the shared config files (~/.aws/config, ~/.aws/credentials)"}
		}
		return screen.InfoMsg{Text: fmt.Sprintf("profiles: %s (now %s; :profile NAME switches)", strings.Join(ps, " "), current)}
	}
}

// connect makes the connection of profile and region in the background;
// the session keeps its own until it is made.
func (a *app) connect(profile, region string) tea.Cmd {
	a.switchSeq++
	ctx, connect, seq := a.ctx, a.cfg.Connect, a.switchSeq
	return tea.Batch(a.setStatus("connecting to "+where(profile, region)+"…", false), func() tea.Msg {
		c, err := connect(ctx, profile, region)
		return connectedMsg{seq: seq, profile: profile, region: region, conn: c, err: err}
	})
}

// where names a profile and region asked for ("" is the session's).
func where(profile, region string) string {
	var w []string
	if profile != "" {
		w = append(w, "profile "+profile)
	}
	if region != "" {
		w = append(w, "region "+region)
	}
	if len(w) == 0 {
		return "the session's profile and region"
	}
	return strings.Join(w, ", ")
}

// connected switches to a new connection: every screen closes and the
// streams list of the new one opens. On error the session keeps the
// connection it has and says why, in one line.
func (a *app) connected(msg connectedMsg) tea.Cmd {
	if msg.seq != a.switchSeq {
		return nil // a later switch was asked
	}
	err := msg.err
	if err == nil {
		err = msg.conn.check()
	}
	if err != nil {
		return a.setStatus(fmt.Sprintf("cannot switch to %s: %s (still on profile %s, region %s)",
			where(msg.profile, msg.region), explain.Error(err), a.conn.Profile, a.conn.Region), true)
	}
	a.closeAll()
	a.askedProfile, a.askedRegion = msg.profile, msg.region
	a.use(msg.conn)
	a.stack = []frame{a.home()}
	a.resize()
	text := fmt.Sprintf("now on profile %s, region %s", a.conn.Profile, a.conn.Region)
	if g := a.conn.Guard; g.ReadOnly {
		text += ": read-only (" + readOnlyWhy(g.Why) + ")"
	}
	return tea.Batch(a.top().Init(), a.top().Start(), a.setStatus(text, false))
}

// readOnlyWhy is a guard's reason, as kinesisx.Guard words it.
func readOnlyWhy(why string) string {
	if why == "" {
		return "started with --read-only"
	}
	return why
}
