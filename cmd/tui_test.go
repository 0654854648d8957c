package cmd

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/protodec/prototest"
	"github.com/kinspect/kinspect/ui/screen"
)

// The TUI's Connect builds a fresh connection per profile and region:
// the guard is decided again for the profile the SDK resolves (so the RO
// badge follows it), the labels say where it is, each client is kept for
// the EFO cleanup on exit, and a profile that does not exist is an error
// that leaves nothing behind.
func TestTUIConnectPerProfile(t *testing.T) {
	profileFiles(t, "dev", "prod-eu")
	t.Setenv(readOnlyProfilesEnv, "prod*")
	t.Setenv(profileColorsEnv, "PROD*=red dev=#00ff00")
	t.Setenv("AWS_REGION", "")
	f := newFactory(Stdio{})
	f.EndpointURL = "http://127.0.0.1:1" // nothing is called
	s := &tuiSession{f: f}
	ctx := context.Background()

	first, err := s.connect(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if first.Guard.ReadOnly || first.Profile != "default" || first.Region != "us-east-1" || first.Endpoint != "http://127.0.0.1:1" {
		t.Errorf("first connection: %+v %+v", first.Guard, first.Labels)
	}
	prod, err := s.Connect(ctx, "prod-eu", "")
	if err != nil {
		t.Fatal(err)
	}
	if !prod.Guard.ReadOnly || !strings.Contains(prod.Guard.Why, "profile prod-eu is listed") || prod.Profile != "prod-eu" || prod.Region != "us-east-1" {
		t.Errorf(":profile prod-eu: %+v %+v", prod.Guard, prod.Labels)
	}
	dev, err := s.Connect(ctx, "dev", "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if prod.Color != "1" || dev.Color != "#00ff00" || first.Color != "" {
		t.Errorf("colours: prod-eu %q, dev %q, default %q", prod.Color, dev.Color, first.Color)
	}
	if dev.Guard.ReadOnly || dev.Profile != "dev" || dev.Region != "eu-west-1" {
		t.Errorf(":profile dev eu-west-1: %+v %+v", dev.Guard, dev.Labels)
	}
	if _, err := s.Connect(ctx, "nope", ""); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("a profile not in the files: %v", err)
	}
	if len(s.clients) != 3 || s.clients[0] == s.clients[1] || s.clients[1] == s.clients[2] {
		t.Errorf("want one fresh client per connection, got %d", len(s.clients))
	}
	for _, n := range []string{screen.Home, screen.StreamScreen, "stream", screen.TailScreen, "consumers", "metrics", "lag", "find", "log", "bench"} {
		if _, _, ok := dev.Screens.Lookup(n); !ok {
			t.Errorf("the registry lacks %s", n)
		}
	}
	if e, _, _ := dev.Screens.Lookup("bench"); e.Action == "" || !e.Stream {
		t.Error("the latency lab puts records: the guard must see it")
	}
}

// :profile lists the profiles of both shared files, once each, sorted;
// missing files list nothing.
func TestSharedProfiles(t *testing.T) {
	profileFiles(t, "prod-eu", "dev")
	got, err := sharedProfiles()
	if err != nil || !slices.Equal(got, []string{"default", "dev", "prod-eu"}) {
		t.Errorf("profiles %v, %v", got, err)
	}
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	if got, err := sharedProfiles(); err != nil || len(got) != 0 {
		t.Errorf("no files: %v, %v", got, err)
	}
}

// A stream's tail decodes with its protobuf type when one is given, else
// with the built-in decoder (nil).
func TestTUIDecoderPerStream(t *testing.T) {
	desc := filepath.Join(t.TempDir(), "shop.binpb")
	if err := os.WriteFile(desc, prototest.OrderSet(t), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFactory(Stdio{})
	f.ProtoDescriptor, f.ProtoMessage = desc, "orders=shop.v1.Order"
	protos, err := f.Proto()
	if err != nil {
		t.Fatal(err)
	}
	d := tuiDeps{protos: protos}
	if d.decoder("orders") == nil || d.decoder("app-logs") != nil || (tuiDeps{}).decoder("orders") != nil {
		t.Error("orders decodes as shop.v1.Order, other streams and no --proto with the built-in decoder")
	}
}

// KINSPECT_PROFILE_COLORS: the first pattern that matches wins; a
// malformed pair is an error that names it.
func TestProfileColor(t *testing.T) {
	for _, tt := range []struct{ list, profile, want, err string }{
		{"", "prod", "", ""},
		{"prod*=red", "Prod-EU", "1", ""},
		{"dev=green;prod*=214", "prod-eu", "214", ""},
		{"*=#336699, prod=red", "prod", "#336699", ""},
		{"prod=red", "dev", "", ""},
		{"prod", "prod", "", `malformed "prod"`},
		{"prod=pink", "prod", "", `malformed "prod=pink"`},
		{"prod=256", "dev", "", `malformed "prod=256"`},
		{"prod-[eu=red", "dev", "", "malformed"},
	} {
		got, err := profileColor(tt.list, tt.profile)
		if got != tt.want || (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%q for %s: %q, %v", tt.list, tt.profile, got, err)
		}
	}
}
