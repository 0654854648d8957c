package local_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// settingsFixture is a one-shard ACTIVE stream on an endpoint whose updates
// take a minute of a clock the test moves.
type settingsFixture struct {
	t     *testing.T
	ctx   context.Context
	k     *kinesis.Client
	clock *fakeClock
	name  string
	arn   string
}

func newSettingsFixture(t *testing.T) *settingsFixture {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{UpdateDelay: time.Minute, Now: clock.Now}), noRetries)
	name, arn := createStream(t, k, 1)
	return &settingsFixture{t: t, ctx: ctxT(t), k: k, clock: clock, name: name, arn: arn}
}

func (f *settingsFixture) summary() *types.StreamDescriptionSummary {
	f.t.Helper()
	out, err := f.k.DescribeStreamSummary(f.ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(f.arn)})
	if err != nil {
		f.t.Fatalf("DescribeStreamSummary: %v", err)
	}
	return out.StreamDescriptionSummary
}

func (f *settingsFixture) describe() *types.StreamDescription {
	f.t.Helper()
	out, err := f.k.DescribeStream(f.ctx, &kinesis.DescribeStreamInput{StreamName: aws.String(f.name)})
	if err != nil {
		f.t.Fatalf("DescribeStream: %v", err)
	}
	return out.StreamDescription
}

// updating checks the stream is UPDATING, that a split is refused and a
// write taken meanwhile, and then ends the window.
func (f *settingsFixture) updating() {
	f.t.Helper()
	if s := f.summary().StreamStatus; s != types.StreamStatusUpdating {
		f.t.Fatalf("status %s, want UPDATING", s)
	}
	_, err := f.k.SplitShard(f.ctx, &kinesis.SplitShardInput{StreamName: aws.String(f.name), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(hashkey.Mid(hashkey.Key{}, hashkey.Max).String())})
	wantCode(f.t, err, "ResourceInUseException")
	if _, err := f.k.PutRecord(f.ctx, &kinesis.PutRecordInput{StreamARN: aws.String(f.arn), PartitionKey: aws.String("k"), Data: []byte("x")}); err != nil {
		f.t.Fatalf("PutRecord while UPDATING: %v", err)
	}
	f.clock.Advance(time.Minute)
	if s := f.summary().StreamStatus; s != types.StreamStatusActive {
		f.t.Fatalf("status %s after the window, want ACTIVE", s)
	}
}

func TestStreamEncryption(t *testing.T) {
	f := newSettingsFixture(t)
	if d := f.describe(); d.EncryptionType != types.EncryptionTypeNone || d.KeyId != nil {
		t.Fatalf("new stream: %s %v, want NONE and no key", d.EncryptionType, d.KeyId)
	}
	_, err := f.k.StartStreamEncryption(f.ctx, &kinesis.StartStreamEncryptionInput{StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeNone, KeyId: aws.String("alias/aws/kinesis")})
	wantCode(t, err, "InvalidArgumentException")
	_, err = f.k.StartStreamEncryption(f.ctx, &kinesis.StartStreamEncryptionInput{StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("no such key")})
	wantCode(t, err, "KMSNotFoundException")
	_, err = f.k.StopStreamEncryption(f.ctx, &kinesis.StopStreamEncryptionInput{StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("alias/aws/kinesis")})
	wantCode(t, err, "InvalidArgumentException") // not encrypted

	const key = "arn:aws:kms:us-east-1:000000000000:key/12345678-1234-1234-1234-123456789012"
	if _, err := f.k.StartStreamEncryption(f.ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String(f.name), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(key)}); err != nil {
		t.Fatal(err)
	}
	if s := f.summary(); s.EncryptionType != types.EncryptionTypeNone {
		t.Errorf("during the window: %s, want NONE until ACTIVE", s.EncryptionType)
	}
	f.updating()
	if s := f.summary(); s.EncryptionType != types.EncryptionTypeKms || aws.ToString(s.KeyId) != key {
		t.Errorf("summary: %s %v, want KMS %s", s.EncryptionType, s.KeyId, key)
	}
	if d := f.describe(); d.EncryptionType != types.EncryptionTypeKms || aws.ToString(d.KeyId) != key {
		t.Errorf("describe: %s %v, want KMS %s", d.EncryptionType, d.KeyId, key)
	}
	put, err := f.k.PutRecord(f.ctx, &kinesis.PutRecordInput{StreamARN: aws.String(f.arn), PartitionKey: aws.String("k"), Data: []byte("secret")})
	if err != nil || put.EncryptionType != types.EncryptionTypeKms {
		t.Fatalf("PutRecord on an encrypted stream: %v %+v", err, put)
	}
	puts, err := f.k.PutRecords(f.ctx, &kinesis.PutRecordsInput{StreamARN: aws.String(f.arn), Records: []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: []byte("more")}}})
	if err != nil || puts.EncryptionType != types.EncryptionTypeKms {
		t.Fatalf("PutRecords on an encrypted stream: %v %+v", err, puts)
	}
	recs, _ := readAll(t, f.k, f.name, "shardId-000000000000")
	if len(recs) != 3 || string(recs[1].Data) != "secret" {
		t.Fatalf("records read back: %d, want 3 stored as they were put", len(recs))
	}
	// A record says KMS when it was written while encryption was on, as
	// AWS's Record.EncryptionType does.
	if recs[0].EncryptionType != types.EncryptionTypeNone || recs[1].EncryptionType != types.EncryptionTypeKms || recs[2].EncryptionType != types.EncryptionTypeKms {
		t.Errorf("records' EncryptionType %s %s %s, want NONE KMS KMS", recs[0].EncryptionType, recs[1].EncryptionType, recs[2].EncryptionType)
	}
	_, err = f.k.StopStreamEncryption(f.ctx, &kinesis.StopStreamEncryptionInput{StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("alias/other")})
	wantCode(t, err, "InvalidArgumentException") // not the stream's key
	if _, err := f.k.StopStreamEncryption(f.ctx, &kinesis.StopStreamEncryptionInput{StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String(key)}); err != nil {
		t.Fatal(err)
	}
	f.updating()
	if d := f.describe(); d.EncryptionType != types.EncryptionTypeNone || d.KeyId != nil {
		t.Errorf("after StopStreamEncryption: %s %v", d.EncryptionType, d.KeyId)
	}
	if _, err := f.k.PutRecord(f.ctx, &kinesis.PutRecordInput{StreamARN: aws.String(f.arn), PartitionKey: aws.String("k"), Data: []byte("plain")}); err != nil {
		t.Fatal(err)
	}
	recs, _ = readAll(t, f.k, f.name, "shardId-000000000000")
	var got []types.EncryptionType
	for _, r := range recs {
		got = append(got, r.EncryptionType)
	}
	if want := []types.EncryptionType{"NONE", "KMS", "KMS", "KMS", "NONE"}; !slices.Equal(got, want) {
		t.Errorf("after encryption went off: %v, want %v (the write during the stop's window still encrypted)", got, want)
	}
}

func TestUpdateMaxRecordSize(t *testing.T) {
	f := newSettingsFixture(t)
	if n := aws.ToInt32(f.summary().MaxRecordSizeInKiB); n != 1024 {
		t.Fatalf("MaxRecordSizeInKiB %d, want 1024", n)
	}
	big := make([]byte, 3<<20) // 3 MiB
	_, err := f.k.PutRecord(f.ctx, &kinesis.PutRecordInput{StreamARN: aws.String(f.arn), PartitionKey: aws.String("k"), Data: big})
	wantCode(t, err, "ValidationException")
	_, err = f.k.UpdateMaxRecordSize(f.ctx, &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(f.arn), MaxRecordSizeInKiB: aws.Int32(10241)})
	wantCode(t, err, "ValidationException")
	if _, err := f.k.UpdateMaxRecordSize(f.ctx, &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(f.arn), MaxRecordSizeInKiB: aws.Int32(4096)}); err != nil {
		t.Fatal(err)
	}
	f.updating()
	if n := aws.ToInt32(f.summary().MaxRecordSizeInKiB); n != 4096 {
		t.Fatalf("MaxRecordSizeInKiB %d, want 4096", n)
	}
	if _, err := f.k.PutRecord(f.ctx, &kinesis.PutRecordInput{StreamARN: aws.String(f.arn), PartitionKey: aws.String("k"), Data: big}); err != nil {
		t.Fatalf("PutRecord of 3 MiB under a 4 MiB maximum: %v", err)
	}
	out, err := f.k.PutRecords(f.ctx, &kinesis.PutRecordsInput{StreamARN: aws.String(f.arn), Records: []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: big}}})
	if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
		t.Fatalf("PutRecords of 3 MiB under a 4 MiB maximum: %v", err)
	}
	_, err = f.k.PutRecords(f.ctx, &kinesis.PutRecordsInput{StreamARN: aws.String(f.arn), Records: []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: make([]byte, 4<<20)}}})
	wantCode(t, err, "ValidationException") // 4 MiB + the key is above 4096 KiB
	recs, _ := readAll(t, f.k, f.name, "shardId-000000000000")
	if n := len(recs); n != 3 || len(recs[1].Data) != len(big) {
		t.Fatalf("read back %d records, want the 3 put with the large ones whole", n)
	}
}

func TestUpdateStreamMode(t *testing.T) {
	f := newSettingsFixture(t)
	mode := func(m types.StreamMode) *kinesis.UpdateStreamModeInput {
		return &kinesis.UpdateStreamModeInput{StreamARN: aws.String(f.arn), StreamModeDetails: &types.StreamModeDetails{StreamMode: m}}
	}
	_, err := f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeProvisioned))
	wantCode(t, err, "InvalidArgumentException") // already PROVISIONED
	// Being resharded, the stream cannot switch.
	mid := hashkey.Mid(hashkey.Key{}, hashkey.Max).String()
	if _, err := f.k.SplitShard(f.ctx, &kinesis.SplitShardInput{StreamName: aws.String(f.name), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(mid)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeOnDemand))
	wantCode(t, err, "ResourceInUseException")
	f.clock.Advance(time.Minute)

	if _, err := f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeOnDemand)); err != nil {
		t.Fatal(err)
	}
	if m := f.summary().StreamModeDetails.StreamMode; m != types.StreamModeProvisioned {
		t.Errorf("mode during the window %s, want PROVISIONED until ACTIVE", m)
	}
	_, err = f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeProvisioned))
	wantCode(t, err, "ResourceInUseException")
	f.updating()
	if m := f.summary().StreamModeDetails.StreamMode; m != types.StreamModeOnDemand {
		t.Fatalf("mode %s, want ON_DEMAND", m)
	}
	if m := f.describe().StreamModeDetails.StreamMode; m != types.StreamModeOnDemand {
		t.Errorf("DescribeStream mode %s, want ON_DEMAND", m)
	}
	if n := len(listShards(t, f.k, f.name)); n != 3 {
		t.Errorf("%d shards after the switch, want the 3 kept", n)
	}
	lim, err := f.k.DescribeLimits(f.ctx, &kinesis.DescribeLimitsInput{})
	if err != nil || aws.ToInt32(lim.OnDemandStreamCount) != 1 || aws.ToInt32(lim.OpenShardCount) != 2 || aws.ToInt32(lim.ShardLimit) != 20000 || aws.ToInt32(lim.OnDemandStreamCountLimit) != 50 {
		t.Errorf("DescribeLimits: %v %+v", err, lim)
	}
	// ON_DEMAND streams are not resharded by hand: botocore's model lists
	// ValidationException for UpdateShardCount, SplitShard and MergeShards
	// as "you tried to invoke this API for a data stream with the on-demand
	// capacity mode".
	_, err = f.k.UpdateShardCount(f.ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(f.name), TargetShardCount: aws.Int32(4), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "ValidationException")
	open := listShards(t, f.k, f.name)[1:]
	_, err = f.k.MergeShards(f.ctx, &kinesis.MergeShardsInput{StreamName: aws.String(f.name), ShardToMerge: open[0].ShardId, AdjacentShardToMerge: open[1].ShardId})
	wantCode(t, err, "ValidationException")
	_, err = f.k.SplitShard(f.ctx, &kinesis.SplitShardInput{StreamName: aws.String(f.name), ShardToSplit: open[0].ShardId, NewStartingHashKey: aws.String(hashkey.Mid(hashkey.Key{}, hashkey.Max).String())})
	wantCode(t, err, "ValidationException")
	// Back, and then the third switch in 24 hours is refused.
	if _, err := f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeProvisioned)); err != nil {
		t.Fatal(err)
	}
	f.updating()
	_, err = f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeOnDemand))
	wantCode(t, err, "LimitExceededException")
	f.clock.Advance(24 * time.Hour)
	if _, err := f.k.UpdateStreamMode(f.ctx, mode(types.StreamModeOnDemand)); err != nil {
		t.Fatalf("a switch 24 hours later: %v", err)
	}
}

func TestWarmThroughputAndAccountSettings(t *testing.T) {
	f := newSettingsFixture(t)
	acct, err := f.k.DescribeAccountSettings(f.ctx, &kinesis.DescribeAccountSettingsInput{})
	if err != nil || acct.MinimumThroughputBillingCommitment.Status != types.MinimumThroughputBillingCommitmentOutputStatusDisabled {
		t.Fatalf("DescribeAccountSettings: %v %+v", err, acct)
	}
	warm := func(n int32) error {
		_, err := f.k.UpdateStreamWarmThroughput(f.ctx, &kinesis.UpdateStreamWarmThroughputInput{StreamARN: aws.String(f.arn), WarmThroughputMiBps: aws.Int32(n)})
		return err
	}
	wantCode(t, warm(100), "InvalidArgumentException") // PROVISIONED
	if _, err := f.k.UpdateStreamMode(f.ctx, &kinesis.UpdateStreamModeInput{StreamARN: aws.String(f.arn), StreamModeDetails: &types.StreamModeDetails{StreamMode: types.StreamModeOnDemand}}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	wantCode(t, warm(100), "InvalidArgumentException") // no billing commitment
	upd, err := f.k.UpdateAccountSettings(f.ctx, &kinesis.UpdateAccountSettingsInput{MinimumThroughputBillingCommitment: &types.MinimumThroughputBillingCommitmentInput{Status: types.MinimumThroughputBillingCommitmentInputStatusEnabled}})
	if err != nil {
		t.Fatal(err)
	}
	c := upd.MinimumThroughputBillingCommitment
	if c.Status != types.MinimumThroughputBillingCommitmentOutputStatusEnabled || c.StartedAt == nil || !c.EarliestAllowedEndAt.Equal(c.StartedAt.Add(24*time.Hour)) {
		t.Fatalf("UpdateAccountSettings ENABLED: %+v", c)
	}
	wantCode(t, warm(10241), "LimitExceededException") // above 10 GiBps
	out, err := f.k.UpdateStreamWarmThroughput(f.ctx, &kinesis.UpdateStreamWarmThroughputInput{StreamName: aws.String(f.name), WarmThroughputMiBps: aws.Int32(200)})
	if err != nil || aws.ToString(out.StreamARN) != f.arn || aws.ToInt32(out.WarmThroughput.TargetMiBps) != 200 || aws.ToInt32(out.WarmThroughput.CurrentMiBps) != 0 {
		t.Fatalf("UpdateStreamWarmThroughput: %v %+v", err, out)
	}
	f.updating()
	if w := f.summary().WarmThroughput; w == nil || aws.ToInt32(w.TargetMiBps) != 200 || aws.ToInt32(w.CurrentMiBps) != 200 {
		t.Errorf("WarmThroughput %+v, want 200/200", w)
	}
	// Disabling inside the first 24 hours ends the commitment then.
	upd, err = f.k.UpdateAccountSettings(f.ctx, &kinesis.UpdateAccountSettingsInput{MinimumThroughputBillingCommitment: &types.MinimumThroughputBillingCommitmentInput{Status: types.MinimumThroughputBillingCommitmentInputStatusDisabled}})
	if err != nil || upd.MinimumThroughputBillingCommitment.Status != types.MinimumThroughputBillingCommitmentOutputStatusEnabledUntilEarliestAllowedEnd {
		t.Fatalf("disable within 24 h: %v %+v", err, upd.MinimumThroughputBillingCommitment)
	}
	f.clock.Advance(24 * time.Hour)
	acct, err = f.k.DescribeAccountSettings(f.ctx, &kinesis.DescribeAccountSettingsInput{})
	if err != nil || acct.MinimumThroughputBillingCommitment.Status != types.MinimumThroughputBillingCommitmentOutputStatusDisabled || acct.MinimumThroughputBillingCommitment.EndedAt == nil {
		t.Fatalf("a day later: %v %+v", err, acct.MinimumThroughputBillingCommitment)
	}
}

func TestResourcePolicy(t *testing.T) {
	f := newSettingsFixture(t)
	reg, err := f.k.RegisterStreamConsumer(f.ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(f.arn), ConsumerName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kinesis:DescribeStreamSummary","Resource":"*"}]}`
	for _, arn := range []string{f.arn, aws.ToString(reg.Consumer.ConsumerARN)} {
		_, err := f.k.GetResourcePolicy(f.ctx, &kinesis.GetResourcePolicyInput{ResourceARN: aws.String(arn)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = f.k.PutResourcePolicy(f.ctx, &kinesis.PutResourcePolicyInput{ResourceARN: aws.String(arn), Policy: aws.String("not json")})
		wantCode(t, err, "InvalidArgumentException")
		if _, err := f.k.PutResourcePolicy(f.ctx, &kinesis.PutResourcePolicyInput{ResourceARN: aws.String(arn), Policy: aws.String(policy)}); err != nil {
			t.Fatal(err)
		}
		got, err := f.k.GetResourcePolicy(f.ctx, &kinesis.GetResourcePolicyInput{ResourceARN: aws.String(arn)})
		if err != nil || aws.ToString(got.Policy) != policy {
			t.Fatalf("GetResourcePolicy %s: %v %v", arn, err, got)
		}
		if _, err := f.k.DeleteResourcePolicy(f.ctx, &kinesis.DeleteResourcePolicyInput{ResourceARN: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
		_, err = f.k.DeleteResourcePolicy(f.ctx, &kinesis.DeleteResourcePolicyInput{ResourceARN: aws.String(arn)})
		wantCode(t, err, "ResourceNotFoundException")
	}
	_, err = f.k.PutResourcePolicy(f.ctx, &kinesis.PutResourcePolicyInput{ResourceARN: aws.String(f.arn + "-missing"), Policy: aws.String(policy)})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestStreamARNAddressing: a StreamARN names the same stream as its name on
// the calls that take one, and a well-formed ARN of another account or
// region, or of a missing stream, is a missing stream.
func TestStreamARNAddressing(t *testing.T) {
	f := newSettingsFixture(t)
	for _, arn := range []string{
		"arn:aws:kinesis:us-east-1:111122223333:stream/" + f.name,
		"arn:aws:kinesis:eu-west-1:000000000000:stream/" + f.name,
		f.arn + "-missing",
	} {
		_, err := f.k.DescribeStreamSummary(f.ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(arn)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = f.k.UpdateMaxRecordSize(f.ctx, &kinesis.UpdateMaxRecordSizeInput{StreamARN: aws.String(arn), MaxRecordSizeInKiB: aws.Int32(2048)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = f.k.UpdateStreamMode(f.ctx, &kinesis.UpdateStreamModeInput{StreamARN: aws.String(arn), StreamModeDetails: &types.StreamModeDetails{StreamMode: types.StreamModeOnDemand}})
		wantCode(t, err, "ResourceNotFoundException")
	}
	_, err := f.k.StartStreamEncryption(f.ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String("other"), StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("alias/aws/kinesis")})
	wantCode(t, err, "InvalidArgumentException") // name and ARN disagree
	if _, err := f.k.StartStreamEncryption(f.ctx, &kinesis.StartStreamEncryptionInput{StreamName: aws.String(f.name), StreamARN: aws.String(f.arn), EncryptionType: types.EncryptionTypeKms, KeyId: aws.String("alias/aws/kinesis")}); err != nil {
		t.Fatalf("name and ARN of the same stream: %v", err)
	}
}

// CreateStream takes MaxRecordSizeInKiB, and WarmThroughputMiBps for an
// ON_DEMAND stream of an account with a billing commitment; the 51st
// ON_DEMAND stream is refused.
func TestCreateStreamSettings(t *testing.T) {
	k := newClient(t, startLocal(t, local.Options{}), noRetries)
	ctx := ctxT(t)
	name := streamName(t)
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1), MaxRecordSizeInKiB: aws.Int32(2048)}); err != nil {
		t.Fatal(err)
	}
	waitActive(t, k, name)
	if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: make([]byte, 2000<<10)}); err != nil {
		t.Fatalf("a 2000 KiB record on a 2048 KiB stream: %v", err)
	}
	onDemand := func(i int, warm *int32) error {
		_, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(fmt.Sprintf("od-%d", i)), StreamModeDetails: &types.StreamModeDetails{StreamMode: types.StreamModeOnDemand}, WarmThroughputMiBps: warm})
		return err
	}
	wantCode(t, onDemand(0, aws.Int32(50)), "InvalidArgumentException") // no billing commitment
	if _, err := k.UpdateAccountSettings(ctx, &kinesis.UpdateAccountSettingsInput{MinimumThroughputBillingCommitment: &types.MinimumThroughputBillingCommitmentInput{Status: types.MinimumThroughputBillingCommitmentInputStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	if err := onDemand(0, aws.Int32(50)); err != nil {
		t.Fatal(err)
	}
	out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("od-0")})
	if err != nil || out.StreamDescriptionSummary.WarmThroughput == nil || aws.ToInt32(out.StreamDescriptionSummary.WarmThroughput.TargetMiBps) != 50 {
		t.Fatalf("warm throughput of a new ON_DEMAND stream: %v %+v", err, out)
	}
	for i := 1; i < 50; i++ {
		if err := onDemand(i, nil); err != nil {
			t.Fatalf("ON_DEMAND stream %d: %v", i+1, err)
		}
	}
	wantCode(t, onDemand(50, nil), "LimitExceededException")
}
