package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// connectCall is what a switch asked of the Connector.
type connectCall struct{ profile, region string }

// fakeConnect is a Connector over fresh fake Kinesis backends, as
// cmd/tui.go's builds fresh clients: "prod-eu" is a read-only profile,
// "nope" does not exist. It records the calls in calls (if not nil).
func fakeConnect(calls *[]connectCall) Connector {
	var mu sync.Mutex
	return func(_ context.Context, profile, region string) (Connection, error) {
		mu.Lock()
		if calls != nil {
			*calls = append(*calls, connectCall{profile, region})
		}
		mu.Unlock()
		if profile == "nope" {
			return Connection{}, fmt.Errorf("load AWS configuration: failed to get shared config profile, %s", profile)
		}
		s := setup{Profile: "default", Region: "us-east-1", Endpoint: "http://127.0.0.1:4567"}
		if profile != "" {
			s.Profile = profile
		}
		if region != "" {
			s.Region = region
		}
		if profile == "prod-eu" {
			s.ReadOnly, s.ReadOnlyWhy = true, "profile prod-eu is listed in KINSPECT_READ_ONLY_PROFILES"
		}
		return s.connection(&fakeKinesis{}), nil
	}
}

// TestSwitchRegionAndProfile: :region and :profile connect anew through
// the Connector: every screen closes, the streams list of the new
// connection opens, the status line says where the session is and the RO
// badge follows the new profile's guard. A failed switch keeps the
// session where it was and says why, in one line.
func TestSwitchRegionAndProfile(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			w, h := size[0], size[1]
			var calls []connectCall
			d := newDriver(t, setup{Stream: "orders", Profile: "default", Region: "us-east-1", Connect: fakeConnect(&calls),
				Profiles: func() ([]string, error) { return []string{"default", "prod-eu"}, nil }}, w, h)
			d.keys("t", "enter")
			typeCommand(d, "region eu-west-1")
			first := strings.SplitN(d.screen(), "\n", 2)[0]
			if !d.k.allClosed() || trail(d) != "streams" || !strings.Contains(first, "now on profile default, region eu-west-1") {
				t.Errorf(":region: tail closed %v, trail %q:\n%s", d.k.allClosed(), trail(d), d.screen())
			}
			d.send(statusExpiredMsg{seq: d.a.statusSeq})
			if s := d.screen(); !strings.Contains(s, "region eu-west-1") || !strings.Contains(s, "orders") || strings.Contains(s, " RO ") {
				t.Errorf("the header should say the new region over the new streams list:\n%s", s)
			}
			d.checkFits(w, h)
			typeCommand(d, "profile prod-eu")
			d.send(statusExpiredMsg{seq: d.a.statusSeq})
			if s := d.screen(); !strings.Contains(s, "profile prod-eu") || !strings.Contains(s, " RO ") {
				t.Errorf("a read-only profile shows its badge:\n%s", s)
			}
			typeCommand(d, "profile nope")
			if s := d.screen(); !strings.Contains(s, "cannot switch to profile nope") || !strings.Contains(s, "(still on profile prod-eu, region eu-west-1)") ||
				d.a.conn.Profile != "prod-eu" {
				t.Errorf("a failed switch keeps the session:\n%s", s)
			}
			typeCommand(d, "profile")
			if s := d.screen(); !strings.Contains(s, "profiles: default prod-eu (now prod-eu") {
				t.Errorf(":profile lists the profiles:\n%s", s)
			}
			want := []connectCall{{"", "eu-west-1"}, {"prod-eu", "eu-west-1"}, {"nope", "eu-west-1"}}
			if fmt.Sprint(calls) != fmt.Sprint(want) {
				t.Errorf("Connect calls %v, want %v (a switch keeps what the last one asked)", calls, want)
			}
			d.checkFits(w, h)
		})
	}
}

// TestSwitchStaleAndUnavailable: only the last switch asked is used;
// without a Connector the commands say they are not available.
func TestSwitchStaleAndUnavailable(t *testing.T) {
	d := newDriver(t, setup{Connect: fakeConnect(nil)}, 120, 20)
	old, _ := fakeConnect(nil)(context.Background(), "prod-eu", "")
	d.a.switchSeq = 2
	d.send(connectedMsg{seq: 1, profile: "prod-eu", conn: old})
	if d.a.conn.Profile == "prod-eu" {
		t.Error("a superseded switch must be dropped")
	}
	d = newDriver(t, setup{}, 120, 20)
	typeCommand(d, "region eu-west-1")
	if s := d.screen(); !strings.Contains(s, ":region: not available in this session") {
		t.Errorf("no Connector:\n%s", s)
	}
	typeCommand(d, "region")
	d2 := newDriver(t, setup{Connect: fakeConnect(nil), Region: "us-east-1"}, 120, 20)
	typeCommand(d2, "region")
	if s := d2.screen(); !strings.Contains(s, ":region takes one region, as in :region eu-west-1 (now us-east-1)") {
		t.Errorf(":region alone:\n%s", s)
	}
}
