package lag

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/kinspect/kinspect/kinesisx"
)

// forStream keeps the leases of one stream. A multi-stream lease belongs
// to it when its identifier names the stream's account (when the ARN
// says it), name and creation second (when known: a stream deleted and
// created again under the same name is another stream). A single-stream
// table names no stream: all its leases are kept.
func forStream(st kinesisx.Stream, leases []Lease) (kept []Lease, multiStream bool) {
	account := ""
	if a, err := arn.Parse(st.ARN); err == nil {
		account = a.AccountID
	}
	for _, l := range leases {
		if l.StreamID == "" {
			kept = append(kept, l)
			continue
		}
		multiStream = true
		acc, name, epoch, ok := ParseStreamID(l.StreamID)
		if !ok || name != st.Name || (account != "" && acc != account) ||
			(!st.CreatedAt.IsZero() && epoch != st.CreatedAt.Unix()) {
			continue
		}
		kept = append(kept, l)
	}
	return kept, multiStream
}

// matchesShards reports whether a single-stream table is plausibly the
// stream's: it has leases and every one names a shard the stream lists.
// Shard IDs repeat across streams (shardId-000000000000 is in all of
// them), so discovery can only guess; --app names a table for sure.
func matchesShards(leases []Lease, shards []kinesisx.Shard) bool {
	if len(leases) == 0 {
		return false
	}
	listed := make(map[string]bool, len(shards))
	for _, s := range shards {
		listed[s.ID] = true
	}
	for _, l := range leases {
		if !listed[l.ShardID] {
			return false
		}
	}
	return true
}

// assess gives every shard its state for one application's leases, in
// shard ID order. A closed shard with no lease whose descendants have
// leases is left out: the KCL deletes the lease of a finished shard once
// its children have started. Leases of shards the stream no longer lists
// (trimmed past retention) are kept, marked Listed false.
func assess(shards []kinesisx.Shard, leases []Lease) []ShardLag {
	byShard := make(map[string]Lease, len(leases))
	for _, l := range leases {
		byShard[l.ShardID] = l
	}
	lineage := kinesisx.NewLineage(shards)
	var out []ShardLag
	seen := make(map[string]bool, len(shards))
	for _, s := range shards {
		seen[s.ID] = true
		l, ok := byShard[s.ID]
		parents := s.Parents()
		if ok && len(l.Parents) > 0 {
			parents = l.Parents
		}
		sl := ShardLag{ShardID: s.ID, Open: s.Open, Listed: true, Parents: parents}
		pending := pendingParents(parents, byShard)
		switch {
		case !ok && !s.Open && descendantLeased(lineage, s.ID, byShard):
			continue
		case !ok && len(pending) > 0:
			sl.State = StateBlockedByParent
			sl.Note = "no lease yet: the KCL creates it when " + strings.Join(pending, ", ") + " reaches SHARD_END"
		case !ok:
			sl.State = StateNoLease
			sl.Note = "no lease: no worker of this application will read the shard"
		default:
			fill(&sl, l)
			switch {
			case l.Ended():
				sl.State = StateEnded
			case !l.IsSequence() && len(pending) > 0:
				sl.State = StateBlockedByParent
				sl.Note = "not started: waits for " + strings.Join(pending, ", ") + " to reach SHARD_END"
			case l.Owner == "":
				sl.State = StateNoOwner
			default:
				sl.State = StateOK
			}
		}
		out = append(out, sl)
	}
	for _, l := range leases {
		if seen[l.ShardID] {
			continue
		}
		sl := ShardLag{ShardID: l.ShardID, Parents: l.Parents, State: StateOK}
		fill(&sl, l)
		switch {
		case l.Ended():
			sl.State = StateEnded
		case l.Owner == "":
			sl.State = StateNoOwner
		}
		sl.Note = "the stream no longer lists this shard (trimmed past retention)"
		out = append(out, sl)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ShardID < out[j].ShardID })
	return out
}

func fill(sl *ShardLag, l Lease) {
	sl.Leased = true
	sl.Checkpoint, sl.Owner, sl.LeaseCounter, sl.OwnerSwitches = l.Checkpoint, l.Owner, l.Counter, l.OwnerSwitches
}

// pendingParents are the parents whose lease has not reached SHARD_END. A
// parent with no lease counts as done (its lease was cleaned up).
func pendingParents(parents []string, byShard map[string]Lease) []string {
	var p []string
	for _, id := range parents {
		if l, ok := byShard[id]; ok && !l.Ended() {
			p = append(p, id)
		}
	}
	return p
}

func descendantLeased(lin kinesisx.Lineage, id string, byShard map[string]Lease) bool {
	for _, c := range lin.Children(id) {
		if _, ok := byShard[c]; ok || descendantLeased(lin, c, byShard) {
			return true
		}
	}
	return false
}

// workers counts the unfinished leases each worker holds.
func workers(shards []ShardLag) map[string]int {
	w := map[string]int{}
	for _, s := range shards {
		if s.Owner != "" && s.State != StateEnded {
			w[s.Owner]++
		}
	}
	return w
}

// imbalance names the workers holding far more leases than their share:
// at least twice the even share (total / workers, rounded up) and at least
// two more than the least loaded worker. The KCL balances leases to
// within one of the even share, so this is a stuck or greedy worker.
func imbalance(w map[string]int) []string {
	if len(w) < 2 {
		return nil
	}
	total, least := 0, -1
	for _, n := range w {
		total += n
		if least < 0 || n < least {
			least = n
		}
	}
	fair := (total + len(w) - 1) / len(w)
	var out []string
	for owner, n := range w {
		if n >= 2*fair && n-least >= 2 {
			out = append(out, fmt.Sprintf("worker %s holds %d leases; an even share is %d", owner, n, fair))
		}
	}
	sort.Strings(out)
	return out
}
