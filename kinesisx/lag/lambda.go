package lag

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// iteratorAgeWindow is how far back the newest IteratorAge point is
// looked for: CloudWatch publishes Lambda's minutes a few minutes late.
const iteratorAgeWindow = 15 * time.Minute

// Lambda lists the event source mappings on the stream and on its EFO
// consumers (a mapping with enhanced fan-out names the consumer's ARN, not
// the stream's): pass the stream's ARN, then the consumers'. It needs
// lambda:ListEventSourceMappings; when a CloudWatch client is set, each
// function's IteratorAge is read too (cloudwatch:GetMetricData). When
// CloudWatch fails the mappings still come back, with the error.
func (r *Reader) Lambda(ctx context.Context, sourceARNs ...string) ([]Application, error) {
	if r.lambda == nil {
		return nil, fmt.Errorf("Lambda %w", ErrUnavailable)
	}
	var apps []Application
	for _, src := range sourceARNs {
		in := &lambda.ListEventSourceMappingsInput{EventSourceArn: aws.String(src)}
		for {
			out, err := r.lambda.ListEventSourceMappings(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("list Lambda event source mappings: %w", denied(err, "lambda:ListEventSourceMappings", ""))
			}
			for _, m := range out.EventSourceMappings {
				apps = append(apps, fromMapping(m))
			}
			if out.NextMarker == nil {
				break
			}
			in = &lambda.ListEventSourceMappingsInput{EventSourceArn: aws.String(src), Marker: out.NextMarker}
		}
	}
	if r.cw == nil {
		return apps, nil
	}
	for i := range apps {
		age, err := r.iteratorAge(ctx, apps[i].Function)
		if err != nil {
			return apps, err
		}
		apps[i].IteratorAgeMs = age
	}
	return apps, nil
}

func fromMapping(m lambdatypes.EventSourceMappingConfiguration) Application {
	fn := aws.ToString(m.FunctionArn)
	name, qualifier := functionName(fn)
	if qualifier != "" {
		name += ":" + qualifier
	}
	a := Application{
		Name: name, Kind: KindLambda, Function: fn, UUID: aws.ToString(m.UUID),
		MappingState: aws.ToString(m.State), BatchSize: aws.ToInt32(m.BatchSize),
		StartingPosition: string(m.StartingPosition), LastProcessingResult: aws.ToString(m.LastProcessingResult),
		EventSourceARN: aws.ToString(m.EventSourceArn),
	}
	return a
}

// functionName splits arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
func functionName(fnARN string) (name, qualifier string) {
	parts := strings.Split(fnARN, ":")
	if len(parts) < 7 || parts[5] != "function" {
		return fnARN, ""
	}
	if len(parts) > 7 {
		qualifier = parts[7]
	}
	return parts[6], qualifier
}

// iteratorAge is the newest 1-minute Maximum of AWS/Lambda IteratorAge.
// Lambda publishes it per function (dimension FunctionName) and per
// version or alias (FunctionName and Resource "NAME:QUALIFIER"); a
// qualified mapping is looked up by the latter. A function with several
// stream mappings has one IteratorAge for all of them: the worst.
func (r *Reader) iteratorAge(ctx context.Context, fnARN string) (*float64, error) {
	name, qualifier := functionName(fnARN)
	dims := []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String(name)}}
	if qualifier != "" {
		dims = append(dims, cwtypes.Dimension{Name: aws.String("Resource"), Value: aws.String(name + ":" + qualifier)})
	}
	now := r.now().Truncate(time.Minute)
	out, err := r.cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-iteratorAgeWindow)),
		EndTime:   aws.Time(now.Add(time.Minute)),
		ScanBy:    cwtypes.ScanByTimestampDescending,
		MetricDataQueries: []cwtypes.MetricDataQuery{{
			Id: aws.String("age"),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Lambda"), MetricName: aws.String("IteratorAge"), Dimensions: dims},
				Period: aws.Int32(60),
				Stat:   aws.String("Maximum"),
			},
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("IteratorAge of %s: %w", name, denied(err, "cloudwatch:GetMetricData", ""))
	}
	var newest *float64
	var at time.Time
	for _, res := range out.MetricDataResults {
		for i, v := range res.Values {
			if i < len(res.Timestamps) && (newest == nil || res.Timestamps[i].After(at)) {
				v := v
				newest, at = &v, res.Timestamps[i]
			}
		}
	}
	return newest, nil
}
