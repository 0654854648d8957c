package lag

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestLambdaMappingsAndIteratorAge(t *testing.T) {
	streamARN := "arn:aws:kinesis:us-east-1:111122223333:stream/orders"
	consumerARN := streamARN + "/consumer/efo-app:1700000000"
	l := &fakeLambda{pages: map[string][]*lambda.ListEventSourceMappingsOutput{streamARN: {
		{NextMarker: aws.String("1"), EventSourceMappings: []lambdatypes.EventSourceMappingConfiguration{{
			UUID: aws.String("u1"), FunctionArn: aws.String("arn:aws:lambda:us-east-1:111122223333:function:enrich"),
			State: aws.String("Enabled"), BatchSize: aws.Int32(100), StartingPosition: lambdatypes.EventSourcePositionTrimHorizon,
			LastProcessingResult: aws.String("OK"),
		}}},
		{EventSourceMappings: []lambdatypes.EventSourceMappingConfiguration{{
			UUID: aws.String("u2"), FunctionArn: aws.String("arn:aws:lambda:us-east-1:111122223333:function:audit:live"),
			State: aws.String("Disabled"), BatchSize: aws.Int32(10), StartingPosition: lambdatypes.EventSourcePositionLatest,
		}}},
	}, consumerARN: {
		{EventSourceMappings: []lambdatypes.EventSourceMappingConfiguration{{
			UUID: aws.String("u3"), FunctionArn: aws.String("arn:aws:lambda:us-east-1:111122223333:function:fanout"),
			EventSourceArn: aws.String(consumerARN), State: aws.String("Enabled"),
		}}},
	}}}
	cw := &fakeCloudWatch{points: map[time.Time]float64{t0.Add(-3 * time.Minute): 1500, t0.Add(-2 * time.Minute): 4200, t0.Add(-5 * time.Minute): 9000}}
	r := newReader(nil, nil, l, cw, WithClock(func() time.Time { return t0.Add(30 * time.Second) }))
	apps, err := r.Lambda(context.Background(), streamARN, consumerARN)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.got) != 3 || aws.ToString(l.got[0].EventSourceArn) != streamARN || aws.ToString(l.got[1].Marker) != "1" ||
		aws.ToString(l.got[2].EventSourceArn) != consumerARN {
		t.Errorf("calls %+v", l.got)
	}
	if len(apps) != 3 || apps[2].Name != "fanout" || apps[2].EventSourceARN != consumerARN {
		t.Fatalf("apps %+v", apps)
	}
	a := apps[0]
	if a.Name != "enrich" || a.Kind != KindLambda || a.Function != "arn:aws:lambda:us-east-1:111122223333:function:enrich" ||
		a.MappingState != "Enabled" || a.BatchSize != 100 || a.StartingPosition != "TRIM_HORIZON" || a.LastProcessingResult != "OK" {
		t.Errorf("mapping %+v", a)
	}
	if a.IteratorAgeMs == nil || *a.IteratorAgeMs != 4200 { // the newest minute, not the largest
		t.Errorf("iterator age %v, want 4200", a.IteratorAgeMs)
	}
	if apps[1].Name != "audit:live" {
		t.Errorf("qualified name %q", apps[1].Name)
	}
	q := cw.got[0].MetricDataQueries[0].MetricStat
	if aws.ToString(q.Metric.Namespace) != "AWS/Lambda" || aws.ToString(q.Metric.MetricName) != "IteratorAge" || aws.ToString(q.Stat) != "Maximum" ||
		len(q.Metric.Dimensions) != 1 || aws.ToString(q.Metric.Dimensions[0].Name) != "FunctionName" || aws.ToString(q.Metric.Dimensions[0].Value) != "enrich" {
		t.Errorf("query %+v", q)
	}
	d := cw.got[1].MetricDataQueries[0].MetricStat.Metric.Dimensions
	if len(d) != 2 || aws.ToString(d[0].Value) != "audit" || aws.ToString(d[1].Name) != "Resource" || aws.ToString(d[1].Value) != "audit:live" {
		t.Errorf("qualified dimensions %+v", d)
	}
}

// TestLambdaWithoutCloudWatch: a CloudWatch that refuses GetMetricData
// leaves the mappings readable, with the error naming the permission.
func TestLambdaWithoutCloudWatch(t *testing.T) {
	arn := "arn:aws:kinesis:us-east-1:111122223333:stream/orders"
	l := &fakeLambda{pages: map[string][]*lambda.ListEventSourceMappingsOutput{arn: {{EventSourceMappings: []lambdatypes.EventSourceMappingConfiguration{{
		UUID: aws.String("u1"), FunctionArn: aws.String("arn:aws:lambda:us-east-1:111122223333:function:enrich")}}}}}}
	apps, err := newReader(nil, nil, l, &fakeCloudWatch{err: apiErr{"AccessDenied"}}).Lambda(context.Background(), arn)
	if len(apps) != 1 || apps[0].Name != "enrich" || apps[0].IteratorAgeMs != nil {
		t.Errorf("apps %+v", apps)
	}
	if err == nil || !strings.Contains(err.Error(), "no permission for cloudwatch:GetMetricData") {
		t.Errorf("err %v", err)
	}
}
