package cmd

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/lag/lagtest"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestLagFlags(t *testing.T) {
	tests := []flagCase{
		{args: []string{"s"}, want: "s  table"},
		{args: []string{"s", "--app", "a", "--app", "b", "-o", "json"}, want: "s a,b json"},
		{args: []string{"s", "--app", " "}, wantErr: "--app"},
		{args: []string{"s", "-o", "text"}, wantErr: "-o text"},
		{args: []string{}, wantErr: "accepts 1 arg"},
	}
	checkFlags(t, tests, func(got *string) *cobraCommand {
		return newLagCmdWith(newFactory(Stdio{}), func(_ context.Context, o *lagOptions) error {
			*got = strings.Join([]string{o.Stream, strings.Join(o.Apps, ","), o.Output}, " ")
			return nil
		})
	})
}

// testClock is the built-in endpoint's clock, moved by the test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// lagJSONForTest reads `lag -o json` strictly: the contract's fields.
type lagJSONForTest struct {
	Stream       string `json:"stream"`
	Applications []struct {
		Name          string   `json:"name"`
		Kind          string   `json:"kind"`
		Table         string   `json:"table"`
		Function      string   `json:"function"`
		IteratorAgeMs *float64 `json:"iteratorAgeMs"`
		MappingState  string   `json:"mappingState"`
		BatchSize     int      `json:"batchSize"`
		Shards        []struct {
			ID                 string  `json:"id"`
			Checkpoint         *string `json:"checkpoint"`
			Owner              *string `json:"owner"`
			LeaseCounter       *int64  `json:"leaseCounter"`
			MillisBehindLatest *int64  `json:"millisBehindLatest"`
			BehindRecords      *int64  `json:"behindRecords"`
			State              string  `json:"state"`
		} `json:"shards"`
	} `json:"applications"`
}

// TestLagAgainstMoto lays out lease tables exactly as the KCL 2.x writes
// them in moto's DynamoDB, for a 4-shard stream of the built-in endpoint
// whose shard 0 was split, and a Lambda mapping in moto's Lambda; then
// `kinspect lag -o json` must report each shard as it is.
func TestLagAgainstMoto(t *testing.T) {
	motoURL := lagtest.Moto(t)
	clock := &testClock{now: time.Now().Add(-time.Hour).Truncate(time.Second)}
	base := clock.Now()
	e := newWriteEnv(t, local.Options{Now: clock.Now})
	ctx := context.Background()
	stream := e.stream(4)
	shards := e.shards(stream)
	put := func(shard int, at time.Duration) string {
		t.Helper()
		clock.Set(base.Add(at))
		out, err := e.sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
			ExplicitHashKey: shards[shard].HashKeyRange.StartingHashKey, Data: []byte("r")})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.ShardId); got != shardName(shard) {
			t.Fatalf("record for shard %d landed on %s", shard, got)
		}
		return aws.ToString(out.SequenceNumber)
	}
	seq := map[int][]string{}
	for i := range 3 { // shard 0 before its split: base+0s..2s
		seq[0] = append(seq[0], put(0, time.Duration(i)*time.Second))
	}
	seq[1] = []string{put(1, 0), put(1, time.Second)}
	for i := range 10 { // shard 2: base+0s..9s
		seq[2] = append(seq[2], put(2, time.Duration(i)*time.Second))
	}
	seq[3] = []string{put(3, 0), put(3, time.Second)}
	if _, err := e.sdk.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String(shardName(0)),
		NewStartingHashKey: aws.String("21267647932558653966460912964485513216")}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(ctx, e.sdk, stream); err != nil {
		t.Fatal(err)
	}
	shards = e.shards(stream)
	if len(shards) != 6 || aws.ToString(shards[4].ParentShardId) != shardName(0) {
		t.Fatalf("after the split: %+v", shards)
	}
	seq[4] = []string{put(4, 10*time.Second), put(4, 11*time.Second)}
	clock.Set(base.Add(20 * time.Second))

	sum, err := e.sdk.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	streamARN := aws.ToString(sum.StreamDescriptionSummary.StreamARN)
	epoch := sum.StreamDescriptionSummary.StreamCreationTimestamp.Unix()

	ddb := dynamodb.New(dynamodb.Options{Region: testenv.Region, BaseEndpoint: aws.String(motoURL), Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	kcl2 := kclTable{t: t, ddb: ddb, name: "billing-app"}
	kcl2.create("leaseKey")
	kcl2.put(kclLease{shard: shardName(0), owner: "worker-1", counter: 41, checkpoint: seq[0][0]})              // parent, not at SHARD_END
	kcl2.put(kclLease{shard: shardName(1), owner: "worker-1", counter: 40, checkpoint: seq[1][1]})              // at the tip
	kcl2.put(kclLease{shard: shardName(2), owner: "worker-2", counter: 12, checkpoint: seq[2][2], switches: 1}) // 7 records behind
	kcl2.put(kclLease{shard: shardName(3), counter: 7, checkpoint: seq[3][1]})                                  // nobody holds it
	kcl2.put(kclLease{shard: shardName(4), counter: 1, checkpoint: "TRIM_HORIZON", parents: []string{shardName(0)}})
	// shardName(5) has no lease yet: the KCL creates it when its parent ends.

	multi := kclTable{t: t, ddb: ddb, name: "fleet-app", streamID: "000000000000:" + stream + ":" + strconv.FormatInt(epoch, 10)}
	multi.create("leaseKey")
	multi.put(kclLease{shard: shardName(0), owner: "w-a", counter: 9, checkpoint: "SHARD_END"})
	multi.put(kclLease{shard: shardName(1), owner: "w-a", counter: 9, checkpoint: seq[1][1]})
	multi.put(kclLease{shard: shardName(4), owner: "w-b", counter: 3, checkpoint: seq[4][1], parents: []string{shardName(0)}})
	multi.put(kclLease{shard: shardName(5), owner: "w-b", counter: 3, checkpoint: "LATEST", parents: []string{shardName(0)}})
	other := kclTable{t: t, ddb: ddb, name: "fleet-other", streamID: "000000000000:other-stream:1700000000"}
	other.create("leaseKey")
	other.put(kclLease{shard: shardName(1), owner: "w-z", counter: 1, checkpoint: "TRIM_HORIZON"})
	notLeases := kclTable{t: t, ddb: ddb, name: "users"}
	notLeases.create("userId")

	fnARN := createLambdaMapping(t, motoURL, stream, streamARN)

	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", motoURL)
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", motoURL)
	r := e.run("", false, "lag", stream, "-o", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	var got lagJSONForTest
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if got.Stream != stream || len(got.Applications) != 3 {
		t.Fatalf("applications: %s", r.stdout)
	}
	byName := map[string]int{}
	for i, a := range got.Applications {
		byName[a.Name] = i
	}
	type want struct {
		checkpoint, owner string // "" is null
		counter           int64  // -1 is null
		behind, records   int64  // -1 is null
		state             string
	}
	check := func(app string, wants map[string]want) {
		t.Helper()
		i, ok := byName[app]
		if !ok {
			t.Fatalf("no application %s: %s", app, r.stdout)
		}
		a := got.Applications[i]
		if a.Kind != "kcl" || a.Table != app {
			t.Errorf("%s: kind %q table %q", app, a.Kind, a.Table)
		}
		if len(a.Shards) != len(wants) {
			t.Errorf("%s: %d shards, want %d", app, len(a.Shards), len(wants))
		}
		for _, s := range a.Shards {
			w, ok := wants[s.ID]
			if !ok {
				t.Errorf("%s: unexpected shard %s", app, s.ID)
				continue
			}
			if str(s.Checkpoint) != w.checkpoint || str(s.Owner) != w.owner || num(s.LeaseCounter) != w.counter ||
				num(s.MillisBehindLatest) != w.behind || num(s.BehindRecords) != w.records || s.State != w.state {
				t.Errorf("%s %s: checkpoint %q owner %q counter %d behind %d records %d state %s; want %+v", app, s.ID,
					str(s.Checkpoint), str(s.Owner), num(s.LeaseCounter), num(s.MillisBehindLatest), num(s.BehindRecords), s.State, w)
			}
		}
	}
	check("billing-app", map[string]want{
		// one record after the checkpoint read, MillisBehindLatest is the age of the next: 20 s − 2 s
		shardName(0): {seq[0][0], "worker-1", 41, 18000, 2, "ok"},
		shardName(1): {seq[1][1], "worker-1", 40, 0, 0, "ok"},
		shardName(2): {seq[2][2], "worker-2", 12, 16000, 7, "ok"}, // records 3..9 unread; the one after 3 is 16 s old
		shardName(3): {seq[3][1], "", 7, 0, 0, "no-owner"},
		shardName(4): {"TRIM_HORIZON", "", 1, 9000, 2, "blocked-by-parent"},
		shardName(5): {"", "", -1, -1, -1, "blocked-by-parent"},
	})
	check("fleet-app", map[string]want{
		shardName(0): {"SHARD_END", "w-a", 9, 0, 0, "ended"},
		shardName(1): {seq[1][1], "w-a", 9, 0, 0, "ok"},
		shardName(2): {"", "", -1, -1, -1, "no-lease"},
		shardName(3): {"", "", -1, -1, -1, "no-lease"},
		shardName(4): {seq[4][1], "w-b", 3, 0, 0, "ok"},
		shardName(5): {"LATEST", "w-b", 3, -1, -1, "ok"},
	})
	l := got.Applications[byName["enrich"]]
	if l.Kind != "lambda" || l.Function != fnARN || l.MappingState != "Enabled" || l.BatchSize != 50 || len(l.Shards) != 0 {
		t.Errorf("lambda: %+v", l)
	}
	if !strings.Contains(r.stdout, `"iteratorAgeMs": null`) { // the built-in CloudWatch has no AWS/Lambda metrics
		t.Errorf("lambda iteratorAgeMs: %s", r.stdout)
	}

	table := e.run("", false, "lag", stream)
	wantExit(t, table, 0, "")
	for _, s := range []string{"KCL billing-app (table billing-app, 2 workers): laggard " + shardName(0), "KCL multi-stream fleet-app",
		"Lambda enrich  Enabled, batch 50, from TRIM_HORIZON", "blocked-by-parent", "no-owner"} {
		if !strings.Contains(table.stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, table.stdout)
		}
	}

	// --app names a table; no search, no Lambda.
	named := e.run("", false, "lag", stream, "--app", "fleet-app", "-o", "json")
	wantExit(t, named, 0, "")
	if strings.Count(named.stdout, `"kind"`) != 1 || !strings.Contains(named.stdout, `"table": "fleet-app"`) {
		t.Errorf("--app: %s", named.stdout)
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func shardName(i int) string {
	return "shardId-" + strings.Repeat("0", 12-len(strconv.Itoa(i))) + strconv.Itoa(i)
}

// kclTable writes a lease table as the KCL 2.x does (DynamoDBLeaseSerializer,
// and DynamoDBMultiStreamLeaseSerializer when streamID is set).
type kclTable struct {
	t        *testing.T
	ddb      *dynamodb.Client
	name     string
	streamID string
}

type kclLease struct {
	shard, owner, checkpoint string
	counter, switches        int
	parents                  []string
}

func (k kclTable) create(key string) {
	k.t.Helper()
	_, err := k.ddb.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(k.name),
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String(key), KeyType: ddbtypes.KeyTypeHash}},
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String(key), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	})
	if err != nil {
		k.t.Fatal(err)
	}
}

func (k kclTable) put(l kclLease) {
	k.t.Helper()
	key := l.shard
	item := map[string]ddbtypes.AttributeValue{
		"leaseCounter":                 &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(l.counter)},
		"ownerSwitchesSinceCheckpoint": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(l.switches)},
		"checkpoint":                   &ddbtypes.AttributeValueMemberS{Value: l.checkpoint},
		"checkpointSubSequenceNumber":  &ddbtypes.AttributeValueMemberN{Value: "0"},
	}
	if k.streamID != "" {
		key = k.streamID + ":" + l.shard
		item["streamName"] = &ddbtypes.AttributeValueMemberS{Value: k.streamID}
		item["shardId"] = &ddbtypes.AttributeValueMemberS{Value: l.shard}
	}
	item["leaseKey"] = &ddbtypes.AttributeValueMemberS{Value: key}
	if l.owner != "" {
		item["leaseOwner"] = &ddbtypes.AttributeValueMemberS{Value: l.owner}
	}
	if len(l.parents) > 0 {
		item["parentShardId"] = &ddbtypes.AttributeValueMemberSS{Value: l.parents}
	}
	if _, err := k.ddb.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(k.name), Item: item}); err != nil {
		k.t.Fatal(err)
	}
}

// createLambdaMapping makes a function "enrich" and a mapping of it on the
// stream in moto. moto checks the function's role in its IAM and the
// stream in its own Kinesis, so both are created there first (moto runs
// as the built-in endpoint's account, so the ARNs agree). Nothing is
// invoked: that would need Docker.
func createLambdaMapping(t *testing.T, motoURL, stream, streamARN string) string {
	t.Helper()
	ctx := context.Background()
	role := "arn:aws:iam::" + lagtest.Account + ":role/lag-test"
	form := url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"lag-test"},
		"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[]}`}}
	req, _ := http.NewRequest(http.MethodPost, motoURL+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto CreateRole: HTTP %d", resp.StatusCode)
	}
	testenv.CreateStream(t, testenv.KinesisClient(t, motoURL), stream, 1)

	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("index.py")
	_, _ = w.Write([]byte("def handler(event, context):\n    return None\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	lc := lambda.New(lambda.Options{Region: testenv.Region, BaseEndpoint: aws.String(motoURL), Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	fn, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("enrich"), Runtime: lambdatypes.RuntimePython312,
		Role: aws.String(role), Handler: aws.String("index.handler"), Code: &lambdatypes.FunctionCode{ZipFile: zipped.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("enrich"),
		EventSourceArn: aws.String(streamARN), StartingPosition: lambdatypes.EventSourcePositionTrimHorizon, BatchSize: aws.Int32(50)}); err != nil {
		t.Fatal(err)
	}
	return aws.ToString(fn.FunctionArn)
}

// TestLagWithoutDynamoDBOrLambda: next to the built-in endpoint, with no
// endpoint of their own, DynamoDB and Lambda are reported unavailable in
// one line, exit 1, and nothing goes to AWS.
func TestLagWithoutDynamoDBOrLambda(t *testing.T) {
	for _, v := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA"} {
		t.Setenv(v, "")
	}
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	r := e.run("", false, "lag", stream)
	wantExit(t, r, 1, "DynamoDB unavailable: the Kinesis endpoint "+e.url+" is local and DynamoDB has none of its own")
	for _, s := range []string{"set AWS_ENDPOINT_URL_DYNAMODB", "Lambda unavailable", "set AWS_ENDPOINT_URL_LAMBDA"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q: %s", s, r.stderr)
		}
	}
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("want one line on stderr: %q", r.stderr)
	}
}

// TestLagNamesTheMissingPermission: a DynamoDB and a Lambda that refuse
// every call (AWS's AccessDeniedException, in each service's protocol)
// give exit 1 and one line naming the IAM actions to grant.
func TestLagNamesTheMissingPermission(t *testing.T) {
	deny := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "DynamoDB_20120810.") {
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusBadRequest)
			op := strings.TrimPrefix(target, "DynamoDB_20120810.")
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#AccessDeniedException","message":"User: arn:aws:iam::000000000000:user/oncall is not authorized to perform: dynamodb:` + op + `"}`))
			return
		}
		w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"Message":"User: arn:aws:iam::000000000000:user/oncall is not authorized to perform: lambda:ListEventSourceMappings"}`))
	}))
	defer deny.Close()
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", deny.URL)
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", deny.URL)
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)

	r := e.run("", false, "lag", stream, "-o", "json")
	wantExit(t, r, 1, "no permission for dynamodb:ListTables")
	if !strings.Contains(r.stderr, "no permission for lambda:ListEventSourceMappings") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr: %q", r.stderr)
	}
	r = e.run("", false, "lag", stream, "--app", "billing-app")
	wantExit(t, r, 1, "no permission for dynamodb:Scan on table billing-app")
}

// TestServiceAvailable: only a loopback Kinesis endpoint without an
// endpoint for the service makes the service unavailable.
func TestServiceAvailable(t *testing.T) {
	for _, tc := range []struct {
		flag, kinesisEnv, all, dynamo string
		available                     bool
	}{
		{available: true}, // AWS
		{flag: "https://vpce-1.kinesis.us-east-1.vpce.amazonaws.com", available: true},
		{flag: "http://127.0.0.1:4567"},
		{kinesisEnv: "http://localhost:4567"},
		{flag: "http://127.0.0.1:4567", dynamo: "http://127.0.0.1:5000", available: true},
		{flag: "http://127.0.0.1:4567", all: "http://127.0.0.1:4566", available: true}, // LocalStack serves all
	} {
		t.Setenv("AWS_ENDPOINT_URL_KINESIS", tc.kinesisEnv)
		t.Setenv("AWS_ENDPOINT_URL", tc.all)
		t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", tc.dynamo)
		f := newFactory(Stdio{})
		f.EndpointURL = tc.flag
		err := f.serviceAvailable("DYNAMODB", "DynamoDB", "KCL lease tables")
		if (err == nil) != tc.available || (err != nil && !errors.Is(err, errNoServiceEndpoint)) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
}
