package local_test

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// TestConformanceLocal runs the AWS-behaviour suite against the built-in
// endpoint. The lead wires the same runConformance to kinesis-mock.
func TestConformanceLocal(t *testing.T) {
	runConformance(t, localBackend())
}

// runConformance checks behaviour that AWS documents, through the real
// SDK, against one backend.
func runConformance(t *testing.T, b backend) {
	url := b.start(t)
	k := newClient(t, url, b.clientOpts...)
	tests := []struct {
		name string
		run  func(t *testing.T, k *kinesis.Client, b backend)
	}{
		{"streams", testStreams},
		{"list-streams-paging", testListStreamsPaging},
		{"list-shards", testListShards},
		{"put-get", testPutGet},
		{"put-records", testPutRecords},
		{"iterator-types", testIteratorTypes},
		{"split-lineage", testSplitLineage},
		{"merge-lineage", testMergeLineage},
		{"update-shard-count", testUpdateShardCount},
		{"consumers", testConsumers},
		{"tags-retention-monitoring", testTagsRetentionMonitoring},
		{"errors", testErrors},
		{"efo-start-positions", testEFOStartPositions},
		{"efo-second-subscription", testEFOSecondSubscription},
		{"efo-shard-end", testEFOShardEnd},
	}
	for _, tc := range tests {
		t.Run(b.name+"/"+tc.name, func(t *testing.T) { tc.run(t, k, b) })
	}
	if !b.quirks.NoH2C {
		t.Run(b.name+"/h2c", func(t *testing.T) {
			h := newClient(t, url, append(b.clientOpts, h2cClient(t))...)
			testPutGet(t, h, b)
			if b.quirks.NoInitialResponse {
				t.Skipf("%s sends no initial-response event; the plain h2c client here has no shim (kinesisx.NewHTTPClient does)", b.name)
			}
			testEFOStartPositions(t, h, b)
		})
	}
}

func testStreams(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, arn := createStream(t, k, 3)
	if !strings.HasSuffix(arn, ":stream/"+name) {
		t.Errorf("ARN %q does not end in :stream/%s", arn, name)
	}
	sum, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeStreamSummary by ARN: %v", err)
	}
	d := sum.StreamDescriptionSummary
	if aws.ToInt32(d.OpenShardCount) != 3 || aws.ToInt32(d.RetentionPeriodHours) != 24 || d.EncryptionType != types.EncryptionTypeNone ||
		d.StreamModeDetails == nil || d.StreamModeDetails.StreamMode != types.StreamModeProvisioned || aws.ToInt32(d.ConsumerCount) != 0 {
		t.Errorf("summary = %+v", d)
	}
	desc, err := k.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeStream: %v", err)
	}
	if n := len(desc.StreamDescription.Shards); n != 3 || aws.ToBool(desc.StreamDescription.HasMoreShards) {
		t.Errorf("DescribeStream shards = %d, more = %v", n, aws.ToBool(desc.StreamDescription.HasMoreShards))
	}
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1)}); errCode(err) != "ResourceInUseException" {
		t.Errorf("second CreateStream: %v, want ResourceInUseException", err)
	}
	if _, err := k.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String(name)}); err != nil {
		t.Fatalf("DeleteStream: %v", err)
	}
	for i := 0; ; i++ {
		_, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if errCode(err) == "ResourceNotFoundException" {
			break
		}
		if i > 500 {
			t.Fatalf("stream still there after DeleteStream: %v", err)
		}
	}
}

func testListStreamsPaging(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	var mine []string
	for i := 0; i < 3; i++ {
		name, _ := createStream(t, k, 1)
		mine = append(mine, name)
	}
	seen := map[string]bool{}
	p := kinesis.NewListStreamsPaginator(k, &kinesis.ListStreamsInput{Limit: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListStreams: %v", err)
		}
		pages++
		if len(out.StreamNames) > 2 && !b.quirks.NoListStreamsPaging {
			t.Fatalf("page of %d names with Limit 2", len(out.StreamNames))
		}
		for _, n := range out.StreamNames {
			seen[n] = true
		}
		if !b.quirks.NoStreamSummaries && len(out.StreamSummaries) != len(out.StreamNames) {
			t.Errorf("StreamSummaries = %d, StreamNames = %d", len(out.StreamSummaries), len(out.StreamNames))
		}
	}
	if b.quirks.NoListStreamsPaging {
		t.Skipf("%s: ListStreams paging does not reach every stream (AWS pages with HasMoreStreams/NextToken)", b.name)
	}
	for _, n := range mine {
		if !seen[n] {
			t.Errorf("ListStreams paging missed %s", n)
		}
	}
	if pages < 2 && !b.quirks.NoListStreamsPaging {
		t.Errorf("pages = %d, want paging", pages)
	}
}

func testListShards(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 5)
	var all []types.Shard
	out, err := k.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name), MaxResults: aws.Int32(2)})
	for {
		if err != nil {
			t.Fatalf("ListShards: %v", err)
		}
		if len(out.Shards) > 2 {
			t.Fatalf("page of %d shards with MaxResults 2", len(out.Shards))
		}
		all = append(all, out.Shards...)
		if out.NextToken == nil {
			break
		}
		out, err = k.ListShards(ctx, &kinesis.ListShardsInput{NextToken: out.NextToken, MaxResults: aws.Int32(2)})
	}
	if len(all) != 5 {
		t.Fatalf("listed %d shards (%s), want 5", len(all), shardIDs(all))
	}
	// The five ranges tile the key space.
	sort.Slice(all, func(i, j int) bool {
		return parseKey(t, all[i].HashKeyRange.StartingHashKey).Cmp(parseKey(t, all[j].HashKeyRange.StartingHashKey)) < 0
	})
	next := hashkey.Key{}
	for _, s := range all {
		if parseKey(t, s.HashKeyRange.StartingHashKey) != next {
			t.Fatalf("gap before %s", aws.ToString(s.ShardId))
		}
		next = parseKey(t, s.HashKeyRange.EndingHashKey).Inc()
	}
	// After a split, AT_LATEST lists only open shards.
	time.Sleep(10 * time.Millisecond)
	beforeSplit := time.Now()
	time.Sleep(10 * time.Millisecond)
	first := all[0]
	mid := hashkey.Mid(parseKey(t, first.HashKeyRange.StartingHashKey), parseKey(t, first.HashKeyRange.EndingHashKey))
	split(t, k, name, aws.ToString(first.ShardId), mid.String())
	latest, err := k.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name), ShardFilter: &types.ShardFilter{Type: types.ShardFilterTypeAtLatest}})
	if err != nil {
		t.Fatalf("ListShards AT_LATEST: %v", err)
	}
	if len(latest.Shards) != 6 {
		t.Errorf("AT_LATEST listed %d (%s), want 6", len(latest.Shards), shardIDs(latest.Shards))
	}
	for _, s := range latest.Shards {
		if s.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Errorf("AT_LATEST listed closed shard %s", aws.ToString(s.ShardId))
		}
	}
	if got := len(listShards(t, k, name)); got != 7 {
		t.Errorf("FROM_TRIM_HORIZON listed %d, want 7", got)
	}
	filters := []struct {
		filter types.ShardFilter
		want   int
	}{
		{types.ShardFilter{Type: types.ShardFilterTypeAfterShardId, ShardId: aws.String("shardId-000000000004")}, 2},
		{types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: &beforeSplit}, map[bool]int{false: 5, true: -1}[b.quirks.ShardFilterTimeAll]}, // open then
		{types.ShardFilter{Type: types.ShardFilterTypeFromTimestamp, Timestamp: &beforeSplit}, 7},                                                           // closed since, and open
		{types.ShardFilter{Type: types.ShardFilterTypeAtTrimHorizon}, map[bool]int{false: 5, true: -1}[b.quirks.ShardFilterTimeAll]},
		{types.ShardFilter{Type: types.ShardFilterTypeFromTrimHorizon}, 7},
	}
	for _, f := range filters {
		out, err := k.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name), ShardFilter: &f.filter})
		if f.want < 0 { // a named quirk of the backend
			continue
		}
		if err != nil || len(out.Shards) != f.want {
			t.Errorf("%s: ShardFilter %s: %v, %d shards (%s), want %d", b.name, f.filter.Type, err, len(out.Shards), shardIDs(out.Shards), f.want)
		}
	}
}

func parseKey(t *testing.T, s *string) hashkey.Key {
	t.Helper()
	k, err := hashkey.Parse(aws.ToString(s))
	if err != nil {
		t.Fatalf("hash key: %v", err)
	}
	return k
}

func split(t *testing.T, k *kinesis.Client, name, shardID, at string) {
	t.Helper()
	if _, err := k.SplitShard(ctxT(t), &kinesis.SplitShardInput{StreamName: aws.String(name), ShardToSplit: aws.String(shardID), NewStartingHashKey: aws.String(at)}); err != nil {
		t.Fatalf("SplitShard: %v", err)
	}
	waitActive(t, k, name)
}

// seqLess compares sequence numbers as big integers.
func seqLess(a, b string) bool {
	x, _ := new(big.Int).SetString(a, 10)
	y, _ := new(big.Int).SetString(b, 10)
	return x != nil && y != nil && x.Cmp(y) < 0
}

func testPutGet(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 4)
	shards := listShards(t, k, name)
	want := map[string][]string{} // shard → data in order
	var lastSeq = map[string]string{}
	for i := 0; i < 40; i++ {
		key := fmt.Sprintf("key-%d", i)
		data := fmt.Sprintf("record %d", i)
		out, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String(key), Data: []byte(data)})
		if err != nil {
			t.Fatalf("PutRecord: %v", err)
		}
		sh := aws.ToString(out.ShardId)
		if owner := ownerOf(t, shards, hashkey.FromPartitionKey(key)); owner != sh {
			t.Fatalf("key %q went to %s, MD5 routing says %s", key, sh, owner)
		}
		if prev := lastSeq[sh]; prev != "" && !seqLess(prev, aws.ToString(out.SequenceNumber)) {
			t.Fatalf("sequence numbers not increasing on %s: %s then %s", sh, prev, aws.ToString(out.SequenceNumber))
		}
		lastSeq[sh] = aws.ToString(out.SequenceNumber)
		want[sh] = append(want[sh], data)
	}
	// ExplicitHashKey overrides the partition key.
	target := shards[len(shards)-1]
	out, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("key-0"), Data: []byte("explicit"),
		ExplicitHashKey: target.HashKeyRange.StartingHashKey})
	if err != nil || aws.ToString(out.ShardId) != aws.ToString(target.ShardId) {
		t.Fatalf("ExplicitHashKey put: %v, shard %s, want %s", err, aws.ToString(out.ShardId), aws.ToString(target.ShardId))
	}
	want[aws.ToString(target.ShardId)] = append(want[aws.ToString(target.ShardId)], "explicit")
	for _, s := range shards {
		recs, _ := readAll(t, k, name, aws.ToString(s.ShardId))
		var got []string
		for _, r := range recs {
			got = append(got, string(r.Data))
			if r.ApproximateArrivalTimestamp == nil || r.PartitionKey == nil {
				t.Errorf("record without arrival time or key: %+v", r)
			}
		}
		if strings.Join(got, "|") != strings.Join(want[aws.ToString(s.ShardId)], "|") {
			t.Errorf("shard %s: got %q, want %q", aws.ToString(s.ShardId), got, want[aws.ToString(s.ShardId)])
		}
	}
}

func ownerOf(t *testing.T, shards []types.Shard, h hashkey.Key) string {
	t.Helper()
	for _, s := range shards {
		if s.SequenceNumberRange.EndingSequenceNumber != nil {
			continue
		}
		r := hashkey.Range{Start: parseKey(t, s.HashKeyRange.StartingHashKey), End: parseKey(t, s.HashKeyRange.EndingHashKey)}
		if r.Contains(h) {
			return aws.ToString(s.ShardId)
		}
	}
	return ""
}
