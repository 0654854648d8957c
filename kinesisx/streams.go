package kinesisx

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// ListStreams returns every stream of the account and region, following
// pagination. Where the service leaves out StreamSummaries (kinesis-mock
// does), the summaries are filled from DescribeStreamSummary.
func (c *Client) ListStreams(ctx context.Context) ([]StreamSummary, error) {
	var out []StreamSummary
	in := &kinesis.ListStreamsInput{}
	for {
		page, err := c.api.ListStreams(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list streams: %w", err)
		}
		if len(page.StreamSummaries) == len(page.StreamNames) {
			for _, s := range page.StreamSummaries {
				out = append(out, summaryFromAPI(s))
			}
		} else {
			for _, name := range page.StreamNames {
				st, err := c.DescribeStream(ctx, name)
				if err != nil {
					return nil, err
				}
				out = append(out, StreamSummary{Name: st.Name, ARN: st.ARN, Status: st.Status, Mode: st.Mode, CreatedAt: st.CreatedAt})
			}
		}
		if !aws.ToBool(page.HasMoreStreams) || len(page.StreamNames) == 0 {
			break
		}
		if page.NextToken != nil {
			in = &kinesis.ListStreamsInput{NextToken: page.NextToken}
		} else {
			in = &kinesis.ListStreamsInput{ExclusiveStartStreamName: aws.String(page.StreamNames[len(page.StreamNames)-1])}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func summaryFromAPI(s types.StreamSummary) StreamSummary {
	sum := StreamSummary{
		Name:      aws.ToString(s.StreamName),
		ARN:       aws.ToString(s.StreamARN),
		Status:    string(s.StreamStatus),
		Mode:      string(types.StreamModeProvisioned),
		CreatedAt: aws.ToTime(s.StreamCreationTimestamp),
	}
	if s.StreamModeDetails != nil {
		sum.Mode = string(s.StreamModeDetails.StreamMode)
	}
	return sum
}

// DescribeStream returns the stream's summary (DescribeStreamSummary).
func (c *Client) DescribeStream(ctx context.Context, stream string) (Stream, error) {
	out, err := c.api.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		return Stream{}, fmt.Errorf("describe stream %s: %w", stream, err)
	}
	d := out.StreamDescriptionSummary
	if d == nil {
		return Stream{}, fmt.Errorf("describe stream %s: empty answer", stream)
	}
	st := Stream{
		Name:               aws.ToString(d.StreamName),
		ARN:                aws.ToString(d.StreamARN),
		Status:             string(d.StreamStatus),
		Mode:               string(types.StreamModeProvisioned),
		CreatedAt:          aws.ToTime(d.StreamCreationTimestamp),
		RetentionHours:     int(aws.ToInt32(d.RetentionPeriodHours)),
		OpenShards:         int(aws.ToInt32(d.OpenShardCount)),
		Consumers:          int(aws.ToInt32(d.ConsumerCount)),
		Encryption:         string(d.EncryptionType),
		MaxRecordSizeKiB:   int(aws.ToInt32(d.MaxRecordSizeInKiB)),
		RecordDistribution: string(d.RecordDistributionStrategy),
	}
	if d.StreamModeDetails != nil && d.StreamModeDetails.StreamMode != "" {
		st.Mode = string(d.StreamModeDetails.StreamMode)
	}
	if st.Encryption == "" {
		st.Encryption = string(types.EncryptionTypeNone)
	}
	if st.MaxRecordSizeKiB == 0 {
		st.MaxRecordSizeKiB = 1024
	}
	if st.RecordDistribution == "" {
		st.RecordDistribution = "USER_PARTITION_KEY"
	}
	for _, em := range d.EnhancedMonitoring {
		for _, m := range em.ShardLevelMetrics {
			st.ShardLevelMetrics = append(st.ShardLevelMetrics, string(m))
		}
	}
	return st, nil
}
