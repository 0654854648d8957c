package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/lag"
)

// lagJSON is `lag -o json` (DESIGN.md §8).
type lagJSON struct {
	Stream       string       `json:"stream"`
	Applications []lagAppJSON `json:"applications"`
}

// lagAppJSON is one application. KCL applications have table and shards;
// Lambda mappings have function and iteratorAgeMs (null without data) and
// an empty shards list. The fields after the contract's are additions.
type lagAppJSON struct {
	Name          string         `json:"name"`
	Kind          lag.Kind       `json:"kind"`
	Table         string         `json:"table,omitempty"`
	Function      string         `json:"function,omitempty"`
	Shards        []lagShardJSON `json:"shards"`
	IteratorAgeMs *nullFloat     `json:"iteratorAgeMs,omitempty"`

	MultiStream          *bool    `json:"multiStream,omitempty"`
	Warnings             []string `json:"warnings,omitempty"`
	UUID                 string   `json:"uuid,omitempty"`
	EventSourceARN       string   `json:"eventSourceArn,omitempty"`
	MappingState         string   `json:"mappingState,omitempty"`
	BatchSize            int32    `json:"batchSize,omitempty"`
	StartingPosition     string   `json:"startingPosition,omitempty"`
	LastProcessingResult string   `json:"lastProcessingResult,omitempty"`
}

// lagShardJSON is one shard of a KCL application; a shard with no lease
// has null checkpoint, owner and leaseCounter.
type lagShardJSON struct {
	ID                 string    `json:"id"`
	Checkpoint         *string   `json:"checkpoint"`
	Owner              *string   `json:"owner"`
	LeaseCounter       *int64    `json:"leaseCounter"`
	MillisBehindLatest *int64    `json:"millisBehindLatest"`
	BehindRecords      *int64    `json:"behindRecords"`
	State              lag.State `json:"state"`

	OwnerSwitches *int64   `json:"ownerSwitchesSinceCheckpoint,omitempty"`
	Parents       []string `json:"parents,omitempty"`
	Note          string   `json:"note,omitempty"`
}

// nullFloat is a number or null; a nil *nullFloat is left out.
type nullFloat struct{ v *float64 }

func (n nullFloat) MarshalJSON() ([]byte, error) { return json.Marshal(n.v) }

func lagReportJSON(r lag.Report) lagJSON {
	out := lagJSON{Stream: r.Stream, Applications: make([]lagAppJSON, 0, len(r.Applications))}
	for _, a := range r.Applications {
		j := lagAppJSON{Name: a.Name, Kind: a.Kind, Shards: []lagShardJSON{}}
		if a.Kind == lag.KindLambda {
			j.Function, j.IteratorAgeMs = a.Function, &nullFloat{a.IteratorAgeMs}
			j.UUID, j.EventSourceARN, j.MappingState, j.BatchSize = a.UUID, a.EventSourceARN, a.MappingState, a.BatchSize
			j.StartingPosition, j.LastProcessingResult = a.StartingPosition, a.LastProcessingResult
		} else {
			multi := a.MultiStream
			j.Table, j.MultiStream, j.Warnings = a.Table, &multi, a.Warnings
		}
		for _, s := range a.Shards {
			sj := lagShardJSON{ID: s.ShardID, MillisBehindLatest: s.MillisBehindLatest, BehindRecords: s.BehindRecords,
				State: s.State, Parents: s.Parents, Note: s.Note}
			if s.Leased {
				cp, counter, switches := s.Checkpoint, s.LeaseCounter, s.OwnerSwitches
				sj.Checkpoint, sj.LeaseCounter, sj.OwnerSwitches = &cp, &counter, &switches
				if s.Owner != "" {
					owner := s.Owner
					sj.Owner = &owner
				}
			}
			j.Shards = append(j.Shards, sj)
		}
		out.Applications = append(out.Applications, j)
	}
	return out
}

// writeLagTable prints one block per application, its shards worst first,
// under a line with its retention clock.
func writeLagTable(w io.Writer, r lag.Report, complete bool) error {
	fmt.Fprintf(w, "%s: retention %s, consuming applications found: %d\n", r.Stream, metricSince(r.Retention), len(r.Applications))
	if len(r.Applications) == 0 && complete {
		fmt.Fprintln(w, "No KCL lease table holds leases of this stream and no Lambda mapping reads it (name a lease table with --app).")
	}
	apps := append([]lag.Application(nil), r.Applications...)
	sort.SliceStable(apps, func(i, j int) bool { return worstAge(apps[i]) > worstAge(apps[j]) })
	for _, a := range apps {
		fmt.Fprintln(w)
		if a.Kind == lag.KindLambda {
			writeLambdaBlock(w, a, r.Retention, r.StreamARN)
			continue
		}
		if err := writeKCLBlock(w, a, r.Retention); err != nil {
			return err
		}
	}
	return nil
}

func writeLambdaBlock(w io.Writer, a lag.Application, ret time.Duration, streamARN string) {
	via := ""
	if a.EventSourceARN != "" && a.EventSourceARN != streamARN {
		via = ", through EFO consumer " + a.EventSourceARN
	}
	fmt.Fprintf(w, "Lambda %s  %s, batch %d, from %s, last result %s%s\n", a.Name, orDash(a.MappingState), a.BatchSize,
		orDash(a.StartingPosition), orDash(a.LastProcessingResult), via)
	if a.IteratorAgeMs == nil {
		fmt.Fprintln(w, "  iterator age: no data in CloudWatch (AWS/Lambda IteratorAge) for the last 15 minutes")
		return
	}
	age := time.Duration(*a.IteratorAgeMs) * time.Millisecond
	fmt.Fprintf(w, "  iterator age %s (AWS/Lambda IteratorAge, newest minute's maximum): %s\n", metricAge(a.IteratorAgeMs), retentionClock(ret, age))
}

func writeKCLBlock(w io.Writer, a lag.Application, ret time.Duration) error {
	kind := "KCL"
	if a.MultiStream {
		kind = "KCL multi-stream"
	}
	workers := fmt.Sprintf("%d workers", len(a.Workers))
	if len(a.Workers) == 1 {
		workers = "1 worker"
	}
	fmt.Fprintf(w, "%s %s (table %s, %s)", kind, a.Name, a.Table, workers)
	shards := append([]lag.ShardLag(nil), a.Shards...)
	sort.SliceStable(shards, func(i, j int) bool { return worse(shards[i], shards[j]) })
	if len(shards) > 0 && shards[0].CheckpointAge > 0 {
		fmt.Fprintf(w, ": laggard %s, %s", shards[0].ShardID, retentionClock(ret, shards[0].CheckpointAge))
	}
	fmt.Fprintln(w)
	for _, warn := range a.Warnings {
		fmt.Fprintln(w, "  ! "+warn)
	}
	t := newTable(w, "  SHARD", "STATE", "BEHIND", "RECORDS", "OLDEST UNREAD", "CHECKPOINT", "OWNER", "COUNTER", "SWITCHES", "PARENTS", "NOTE")
	for _, s := range shards {
		age := "-"
		if s.CheckpointAge > 0 {
			age = s.CheckpointAge.Round(time.Second).String()
		}
		t.row("  "+s.ShardID, string(s.State), msPtr(s.MillisBehindLatest), intPtr(s.BehindRecords), age,
			shortSeq(s.Checkpoint), orDash(s.Owner), leaseNum(s, s.LeaseCounter), leaseNum(s, s.OwnerSwitches),
			orDash(strings.Join(s.Parents, ",")), s.Note)
	}
	return t.flush()
}

// worstAge is an application's oldest unread record: its laggard's, or a
// Lambda function's iterator age.
func worstAge(a lag.Application) time.Duration {
	if a.Kind == lag.KindLambda {
		if a.IteratorAgeMs == nil {
			return 0
		}
		return time.Duration(*a.IteratorAgeMs) * time.Millisecond
	}
	var worst time.Duration
	for _, s := range a.Shards {
		worst = max(worst, s.CheckpointAge)
	}
	return worst
}

// worse orders shards by how urgent they are: the oldest unread record,
// then MillisBehindLatest, then states that need a person, then ID.
func worse(a, b lag.ShardLag) bool {
	if a.CheckpointAge != b.CheckpointAge {
		return a.CheckpointAge > b.CheckpointAge
	}
	am, bm := int64(-1), int64(-1)
	if a.MillisBehindLatest != nil {
		am = *a.MillisBehindLatest
	}
	if b.MillisBehindLatest != nil {
		bm = *b.MillisBehindLatest
	}
	if am != bm {
		return am > bm
	}
	if ra, rb := stateRank(a.State), stateRank(b.State); ra != rb {
		return ra < rb
	}
	return a.ShardID < b.ShardID
}

func stateRank(s lag.State) int {
	switch s {
	case lag.StateNoLease:
		return 0
	case lag.StateNoOwner:
		return 1
	case lag.StateBlockedByParent:
		return 2
	case lag.StateOK:
		return 3
	}
	return 4
}

// retentionClock says how long until the oldest unread record is trimmed.
func retentionClock(ret, age time.Duration) string {
	left := ret - age
	if left <= 0 {
		return fmt.Sprintf("oldest unread record %s old: past the %s retention, records are being lost", age.Round(time.Second), metricSince(ret))
	}
	return fmt.Sprintf("oldest unread record %s old, trimmed in %s", age.Round(time.Second), left.Round(time.Second))
}

func msPtr(v *int64) string {
	if v == nil {
		return "-"
	}
	return (time.Duration(*v) * time.Millisecond).String()
}

func intPtr(v *int64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatInt(*v, 10)
}

func leaseNum(s lag.ShardLag, v int64) string {
	if !s.Leased {
		return "-"
	}
	return strconv.FormatInt(v, 10)
}

// shortSeq keeps a sequence number's last 12 digits: enough to tell
// checkpoints apart at a glance (-o json has them whole).
func shortSeq(s string) string {
	if len(s) > 14 && lag.IsSequenceNumber(s) {
		return "…" + s[len(s)-12:]
	}
	return orDash(s)
}
