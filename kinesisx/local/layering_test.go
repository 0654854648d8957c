package local

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// isStoreFile says whether a file is the store's (doc.go): the rest is the
// protocol.
func isStoreFile(name string) bool {
	return strings.HasPrefix(name, "store") || name == "shard.go" || name == "limits.go" ||
		name == "metrics.go" || name == "backfill.go"
}

// TestProtocolTakesNoStoreLock reads the protocol's files and fails on any
// use of a store, stream or shard lock, or of a locked field of a stream,
// shard or consumer: the protocol goes through the store's methods.
func TestProtocolTakesNoStoreLock(t *testing.T) {
	forbidden := regexp.MustCompile(`\b(st|sh|k|s\.store|store)\.(mu|trimMu)\b|` +
		`\bst\.(status|mode|shards|retentionHours|tags|monitoring|consumers|scaleHistory|settings|pending|deleteAt)\b|` +
		`\bsh\.(recs|head|lastSeq|closed|endSeq|closedTs|children|wake|limits)\b|` +
		`\bk\.(deleting|goneAt|readyAt|tags)\b`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || isStoreFile(f) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if code, _, _ := strings.Cut(line, "//"); forbidden.MatchString(code) {
				t.Errorf("%s:%d: the protocol touches the store's state: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked %d protocol files; the layout changed?", checked)
	}
}

// TestWireErrorKinds: each kind of store error becomes its AWS exception,
// with the store's message; a wire error passes as it is; anything else is
// an InternalFailure.
func TestWireErrorKinds(t *testing.T) {
	for kind, want := range map[errKind]string{
		kindNotFound: "ResourceNotFoundException", kindInUse: "ResourceInUseException",
		kindInvalid: "InvalidArgumentException", kindLimit: "LimitExceededException",
		kindThrottled: "ProvisionedThroughputExceededException", kindProvisionedOnly: "ValidationException",
		kindBadValue: "ValidationException", kindInternal: "InternalFailure",
	} {
		ae := wireError(storeErr(kind, "msg %d", kind))
		wantStatus := 400
		if kind == kindInternal {
			wantStatus = 500
		}
		if ae.code != want || ae.status != wantStatus || ae.msg != "msg "+string(rune('0'+kind)) {
			t.Errorf("kind %d: %d %s %q, want %d %s", kind, ae.status, ae.code, ae.msg, wantStatus, want)
		}
	}
	if ae := wireError(errInvalid("x")); ae.code != "InvalidArgumentException" {
		t.Errorf("a wire error became %s", ae.code)
	}
	if ae := wireError(os.ErrClosed); ae.code != "InternalFailure" || ae.status != 500 {
		t.Errorf("a plain error became %d %s", ae.status, ae.code)
	}
}
