package cwserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// traffic is what clientsFixture put: records and bytes (data + key).
type traffic struct {
	url, stream string
	start, end  time.Time
	records     int
	bytes       int
}

// clientsFixture starts the endpoint on a clock standing still, and puts
// three PutRecords calls of 1, 2 and 3 records into a one-shard stream.
func clientsFixture(t *testing.T) traffic {
	t.Helper()
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	_, endpoint := localtest.Start(t, local.Options{Now: func() time.Time { return clock }})
	k := testenv.KinesisClient(t, endpoint)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, k, stream, 1)
	tr := traffic{url: endpoint, stream: stream, start: clock.Add(-10 * time.Minute), end: clock.Add(2 * time.Minute)}
	for n := 1; n <= 3; n++ {
		var entries []types.PutRecordsRequestEntry
		for i := 0; i < n; i++ {
			entries = append(entries, types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: []byte("0123456789")})
			tr.records++
			tr.bytes += 11
		}
		if _, err := k.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries}); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// TestGoSDKStatisticsAndList reads the traffic with aws-sdk-go-v2 (RPC v2
// CBOR): GetMetricStatistics, GetMetricData and ListMetrics agree with it.
func TestGoSDKStatisticsAndList(t *testing.T) {
	tr := clientsFixture(t)
	cw := testenv.CloudWatchClient(t, tr.url, func(o *cloudwatch.Options) { o.RetryMaxAttempts = 1 })
	dims := []cwtypes.Dimension{{Name: aws.String("StreamName"), Value: aws.String(tr.stream)}}
	ctx := context.Background()
	for _, period := range []int32{60, 5, 1} {
		out, err := cw.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("AWS/Kinesis"), MetricName: aws.String("IncomingRecords"), Dimensions: dims,
			StartTime: aws.Time(tr.start), EndTime: aws.Time(tr.end), Period: aws.Int32(period),
			Statistics: []cwtypes.Statistic{cwtypes.StatisticSum, cwtypes.StatisticSampleCount, cwtypes.StatisticMaximum, cwtypes.StatisticMinimum, cwtypes.StatisticAverage},
		})
		if err != nil {
			t.Fatalf("period %d: %v", period, err)
		}
		if len(out.Datapoints) != 1 {
			t.Fatalf("period %d: %d data points, want the one minute", period, len(out.Datapoints))
		}
		dp := out.Datapoints[0]
		if *dp.Sum != float64(tr.records) || *dp.SampleCount != 3 || *dp.Maximum != 3 || *dp.Minimum != 1 || *dp.Average != 2 || dp.Unit != cwtypes.StandardUnitCount {
			t.Errorf("period %d: %+v", period, dp)
		}
	}
	gmd, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(tr.start), EndTime: aws.Time(tr.end),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("b"), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Kinesis"), MetricName: aws.String("IncomingBytes"), Dimensions: dims},
			Period: aws.Int32(60), Stat: aws.String("Sum")}}}})
	if err != nil || !slices.Equal(gmd.MetricDataResults[0].Values, []float64{float64(tr.bytes)}) {
		t.Errorf("GetMetricData: %v %+v", err, gmd)
	}
	var names []string
	p := cloudwatch.NewListMetricsPaginator(cw, &cloudwatch.ListMetricsInput{Namespace: aws.String("AWS/Kinesis"),
		Dimensions: []cwtypes.DimensionFilter{{Name: aws.String("StreamName"), Value: aws.String(tr.stream)}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Metrics {
			names = append(names, aws.ToString(m.MetricName))
		}
	}
	for _, want := range []string{"IncomingBytes", "IncomingRecords", "PutRecords.Success"} {
		if !slices.Contains(names, want) {
			t.Errorf("ListMetrics %v lacks %s", names, want)
		}
	}
	if slices.Contains(names, "OutgoingBytes") {
		t.Errorf("ListMetrics %v lists a metric without data", names)
	}
}

// TestBoto3DefaultProtocol reads the traffic with boto3 as a user would:
// botocore picks its protocol (JSON 1.0 today) from CloudWatch's model.
func TestBoto3DefaultProtocol(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil || exec.Command("python3", "-c", "import boto3").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with boto3 is required in CI")
		}
		t.Skip("python3 with boto3 is not installed")
	}
	tr := clientsFixture(t)
	cmd := exec.Command("python3", "testdata/boto3_metrics.py")
	cmd.Env = append(awsEnv(tr.url), "STREAM="+tr.stream,
		"START="+strconv.FormatInt(tr.start.Unix(), 10), "END="+strconv.FormatInt(tr.end.Unix(), 10))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderrOf(err))
	}
	var got struct {
		Protocol string
		Stats    []struct {
			Sum, SampleCount, Maximum float64
			Unit                      string
		}
		Gmd         []float64
		Metrics     []string
		Unsupported string
		BadPeriod   string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("botocore's protocol: %s", got.Protocol)
	if len(got.Stats) != 1 || got.Stats[0].Sum != float64(tr.records) || got.Stats[0].SampleCount != 3 || got.Stats[0].Maximum != 3 || got.Stats[0].Unit != "Count" {
		t.Errorf("get_metric_statistics: %+v", got.Stats)
	}
	if !slices.Equal(got.Gmd, []float64{float64(tr.bytes)}) {
		t.Errorf("get_metric_data: %v, want [%d]", got.Gmd, tr.bytes)
	}
	if !slices.Contains(got.Metrics, "IncomingRecords/StreamName") {
		t.Errorf("list_metrics: %v", got.Metrics)
	}
	if got.Unsupported != "UnknownOperationException" || got.BadPeriod != "InvalidParameterValue" {
		t.Errorf("errors: put_metric_data %q, period 7 %q", got.Unsupported, got.BadPeriod)
	}
}

// TestAWSCLI reads the traffic with the AWS CLI's cloudwatch commands.
func TestAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the AWS CLI is required in CI")
		}
		t.Skip("the AWS CLI is not installed")
	}
	tr := clientsFixture(t)
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("aws", append([]string{"cloudwatch"}, append(args, "--output", "json")...)...)
		cmd.Env = awsEnv(tr.url)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderrOf(err))
		}
		return out
	}
	dim := "Name=StreamName,Value=" + tr.stream
	start, end := tr.start.Format(time.RFC3339), tr.end.Format(time.RFC3339)
	var stats struct{ Datapoints []struct{ Sum float64 } }
	mustJSON(t, run("get-metric-statistics", "--namespace", "AWS/Kinesis", "--metric-name", "IncomingBytes", "--dimensions", dim,
		"--start-time", start, "--end-time", end, "--period", "60", "--statistics", "Sum"), &stats)
	if len(stats.Datapoints) != 1 || stats.Datapoints[0].Sum != float64(tr.bytes) {
		t.Errorf("get-metric-statistics: %+v, want one point of %d", stats, tr.bytes)
	}
	var listed struct{ Metrics []struct{ MetricName string } }
	mustJSON(t, run("list-metrics", "--namespace", "AWS/Kinesis", "--dimensions", dim), &listed)
	if !slices.ContainsFunc(listed.Metrics, func(m struct{ MetricName string }) bool { return m.MetricName == "IncomingRecords" }) {
		t.Errorf("list-metrics: %+v", listed)
	}
	var gmd struct{ MetricDataResults []struct{ Values []float64 } }
	queries := `[{"Id":"r","MetricStat":{"Metric":{"Namespace":"AWS/Kinesis","MetricName":"IncomingRecords","Dimensions":[{"Name":"StreamName","Value":"` + tr.stream + `"}]},"Period":60,"Stat":"Sum"}}]`
	mustJSON(t, run("get-metric-data", "--metric-data-queries", queries, "--start-time", start, "--end-time", end), &gmd)
	if len(gmd.MetricDataResults) != 1 || !slices.Equal(gmd.MetricDataResults[0].Values, []float64{float64(tr.records)}) {
		t.Errorf("get-metric-data: %+v", gmd)
	}
}

// TestQueryProtocol reads the traffic as older SDKs and Grafana do: a form
// posted, XML back, and the Query protocol's error shape.
func TestQueryProtocol(t *testing.T) {
	tr := clientsFixture(t)
	post := func(form url.Values) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Post(tr.url+"/", "application/x-www-form-urlencoded; charset=utf-8", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp, b.Bytes()
	}
	form := url.Values{"Action": {"GetMetricStatistics"}, "Version": {"2010-08-01"}, "Namespace": {"AWS/Kinesis"},
		"MetricName": {"IncomingRecords"}, "Dimensions.member.1.Name": {"StreamName"}, "Dimensions.member.1.Value": {tr.stream},
		"StartTime": {tr.start.Format(time.RFC3339)}, "EndTime": {tr.end.Format(time.RFC3339)}, "Period": {"60"},
		"Statistics.member.1": {"Sum"}, "Statistics.member.2": {"Average"}}
	resp, body := post(form)
	var stats struct {
		Result struct {
			Label      string
			Datapoints []struct {
				Timestamp    time.Time
				Sum, Average float64
				Unit         string
			} `xml:"Datapoints>member"`
		} `xml:"GetMetricStatisticsResult"`
		RequestID string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(body, &stats); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v: %s", resp.StatusCode, err, body)
	}
	if dps := stats.Result.Datapoints; len(dps) != 1 || dps[0].Sum != float64(tr.records) || dps[0].Average != 2 || dps[0].Unit != "Count" ||
		!dps[0].Timestamp.Equal(tr.start.Add(10*time.Minute).Truncate(time.Minute)) || stats.RequestID == "" {
		t.Errorf("GetMetricStatistics: %+v (%s)", stats, body)
	}
	resp, body = post(url.Values{"Action": {"ListMetrics"}, "Version": {"2010-08-01"}, "Namespace": {"AWS/Kinesis"}, "MetricName": {"IncomingBytes"}})
	var listed struct {
		Metrics []struct {
			MetricName string
			Dimensions []struct{ Name, Value string } `xml:"Dimensions>member"`
		} `xml:"ListMetricsResult>Metrics>member"`
	}
	if err := xml.Unmarshal(body, &listed); err != nil || len(listed.Metrics) != 1 || listed.Metrics[0].Dimensions[0].Value != tr.stream {
		t.Errorf("ListMetrics %d %v: %+v (%s)", resp.StatusCode, err, listed, body)
	}
	for _, tt := range []struct {
		form      url.Values
		status    int
		code, typ string
	}{
		{url.Values{"Action": {"PutMetricData"}, "Version": {"2010-08-01"}}, 400, "InvalidAction", "Sender"},
		{withForm(form, "Period", "7"), 400, "InvalidParameterValue", "Sender"},
		{withForm(form, "Period", ""), 400, "MissingParameter", "Sender"},
	} {
		resp, body := post(tt.form)
		var e struct {
			Error     struct{ Type, Code, Message string }
			RequestID string `xml:"RequestId"`
		}
		if err := xml.Unmarshal(body, &e); err != nil || resp.StatusCode != tt.status || e.Error.Code != tt.code || e.Error.Type != tt.typ || e.Error.Message == "" {
			t.Errorf("%s: %d %v %+v", tt.form.Get("Action"), resp.StatusCode, err, e)
		}
	}
}

// withForm is form with key set to v ("" removes it).
func withForm(form url.Values, key, v string) url.Values {
	out := url.Values{}
	for k, vs := range form {
		out[k] = vs
	}
	if v == "" {
		out.Del(key)
	} else {
		out.Set(key, v)
	}
	return out
}

// awsEnv is an environment for an AWS client of the endpoint at url, with
// nothing of the user's configuration.
func awsEnv(url string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "AWS_ENDPOINT_URL=" + url,
		"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1"}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}
