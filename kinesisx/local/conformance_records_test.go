package local_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func testPutRecords(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 2)
	entries := make([]types.PutRecordsRequestEntry, 500)
	for i := range entries {
		entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("k%d", i)), Data: []byte(fmt.Sprintf("d%d", i))}
	}
	out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: entries})
	if err != nil {
		t.Fatalf("PutRecords: %v", err)
	}
	if aws.ToInt32(out.FailedRecordCount) != 0 || len(out.Records) != 500 {
		t.Fatalf("FailedRecordCount = %d, results = %d", aws.ToInt32(out.FailedRecordCount), len(out.Records))
	}
	for i, r := range out.Records {
		if r.SequenceNumber == nil || r.ShardId == nil || r.ErrorCode != nil {
			t.Fatalf("entry %d: %+v", i, r)
		}
	}
	// Distinct payloads: an SDK retry of a PutRecords whose response was
	// lost (see efoRead on HTTP/1.1 early closes) legitimately duplicates.
	distinct := map[string]bool{}
	for _, s := range listShards(t, k, name) {
		recs, _ := readAll(t, k, name, aws.ToString(s.ShardId))
		for _, r := range recs {
			distinct[string(r.Data)] = true
		}
	}
	if len(distinct) != 500 {
		t.Errorf("read %d distinct records, want 500", len(distinct))
	}
	cases := []struct {
		name    string
		entries []types.PutRecordsRequestEntry
		code    string
		quirk   bool
	}{
		{"501 entries", append(entries, entries[0]), "ValidationException", b.quirks.Accepts501Records},
		{"empty key", []types.PutRecordsRequestEntry{{PartitionKey: aws.String(""), Data: []byte("x")}}, "ValidationException", b.quirks.SchemaAsInvalidArg},
		{"257-rune key", []types.PutRecordsRequestEntry{{PartitionKey: aws.String(strings.Repeat("é", 257)), Data: []byte("x")}}, "ValidationException", b.quirks.SchemaAsInvalidArg},
		{"record over 1 MiB", []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: make([]byte, 1<<20)}}, "ValidationException", b.quirks.SchemaAsInvalidArg},
		{"bad hash key", []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: []byte("x"), ExplicitHashKey: aws.String("-1")}}, "ValidationException", b.quirks.SchemaAsInvalidArg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.quirk {
				t.Skipf("%s: backend differs from AWS here", b.name)
			}
			_, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: tc.entries}, noRetries)
			wantCode(t, err, tc.code)
		})
	}
}

func testIteratorTypes(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 1)
	shard := "shardId-000000000000"
	var seqs []string
	for i := 0; i < 5; i++ {
		out, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte{byte('a' + i)}})
		if err != nil {
			t.Fatalf("PutRecord: %v", err)
		}
		seqs = append(seqs, aws.ToString(out.SequenceNumber))
		time.Sleep(5 * time.Millisecond)
	}
	recs, _ := readAll(t, k, name, shard)
	if len(recs) != 5 {
		t.Fatalf("read %d records, want 5", len(recs))
	}
	cases := []struct {
		typ   types.ShardIteratorType
		seq   string
		ts    *time.Time
		first string // data of the first record read ("" for none)
	}{
		{types.ShardIteratorTypeTrimHorizon, "", nil, "a"},
		{types.ShardIteratorTypeAtSequenceNumber, seqs[2], nil, "c"},
		{types.ShardIteratorTypeAfterSequenceNumber, seqs[2], nil, "d"},
		{types.ShardIteratorTypeLatest, "", nil, ""},
		{types.ShardIteratorTypeAtTimestamp, "", aws.Time(aws.ToTime(recs[3].ApproximateArrivalTimestamp)), "d"},
		{types.ShardIteratorTypeAtTimestamp, "", aws.Time(time.Now().Add(-time.Hour)), "a"},
	}
	for _, tc := range cases {
		t.Run(string(tc.typ), func(t *testing.T) {
			in := &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String(shard), ShardIteratorType: tc.typ, Timestamp: tc.ts}
			if tc.seq != "" {
				in.StartingSequenceNumber = aws.String(tc.seq)
			}
			it, err := k.GetShardIterator(ctx, in)
			if err != nil {
				t.Fatalf("GetShardIterator: %v", err)
			}
			out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(1)})
			if err != nil {
				t.Fatalf("GetRecords: %v", err)
			}
			got := ""
			if len(out.Records) > 0 {
				got = string(out.Records[0].Data)
			}
			if got != tc.first {
				t.Errorf("first record %q, want %q", got, tc.first)
			}
		})
	}
	// A record put after a LATEST iterator is read through it.
	it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeLatest})
	if err != nil {
		t.Fatalf("GetShardIterator LATEST: %v", err)
	}
	if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("new")}); err != nil {
		t.Fatalf("PutRecord: %v", err)
	}
	out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(out.Records) != 1 || string(out.Records[0].Data) != "new" {
		t.Errorf("LATEST then put: %v, %d records", err, len(out.Records))
	}
	// The model's range (1..10000) is checked before the operation runs, as
	// for every integer member: a ValidationException (kinesalite, recorded
	// against AWS, agrees; the API reference says InvalidArgumentException).
	want := "ValidationException"
	if b.quirks.SchemaAsInvalidArg {
		want = "InvalidArgumentException"
	}
	_, err = k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(10001)}, noRetries)
	wantCode(t, err, want)
}
