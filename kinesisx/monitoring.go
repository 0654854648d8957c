package kinesisx

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// ShardLevelMetrics returns the names EnableMonitoring accepts: the seven
// shard-level metrics and ALL.
func ShardLevelMetrics() []string {
	return []string{
		"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
		"WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
		"IteratorAgeMilliseconds", "ALL",
	}
}

// MonitoringCostNote says what enhanced monitoring costs, for confirmations.
const MonitoringCostNote = "shard-level metrics are charged by CloudWatch as custom metrics, per shard and per metric, every hour they are on: see https://aws.amazon.com/cloudwatch/pricing/"

// EnableMonitoring turns on shard-level metrics (names as in
// ShardLevelMetrics, matched without regard to case) and returns the set
// that will be on.
func (c *Client) EnableMonitoring(ctx context.Context, stream string, metrics []string) ([]string, error) {
	if err := c.guard.Allow(ActionEnableMonitoring); err != nil {
		return nil, err
	}
	names, err := metricNames(metrics)
	if err != nil {
		return nil, err
	}
	out, err := c.api.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(stream), ShardLevelMetrics: names})
	if err != nil {
		return nil, fmt.Errorf("enable enhanced monitoring of %s: %w", stream, err)
	}
	return metricStrings(out.DesiredShardLevelMetrics), nil
}

// DisableMonitoring turns off shard-level metrics and returns the set that
// stays on.
func (c *Client) DisableMonitoring(ctx context.Context, stream string, metrics []string) ([]string, error) {
	if err := c.guard.Allow(ActionDisableMonitoring); err != nil {
		return nil, err
	}
	names, err := metricNames(metrics)
	if err != nil {
		return nil, err
	}
	out, err := c.api.DisableEnhancedMonitoring(ctx, &kinesis.DisableEnhancedMonitoringInput{StreamName: aws.String(stream), ShardLevelMetrics: names})
	if err != nil {
		return nil, fmt.Errorf("disable enhanced monitoring of %s: %w", stream, err)
	}
	return metricStrings(out.DesiredShardLevelMetrics), nil
}

// NormaliseMetrics checks shard-level metric names (1 to 7 of them, as the
// API allows, matched without regard to case) and returns them spelled as
// the API spells them.
func NormaliseMetrics(metrics []string) ([]string, error) {
	names, err := metricNames(metrics)
	if err != nil {
		return nil, err
	}
	return metricStrings(names), nil
}

func metricNames(metrics []string) ([]types.MetricsName, error) {
	if len(metrics) == 0 || len(metrics) > 7 {
		return nil, fmt.Errorf("name 1 to 7 shard-level metrics (%s)", strings.Join(ShardLevelMetrics(), ", "))
	}
	out := make([]types.MetricsName, 0, len(metrics))
	for _, m := range metrics {
		found := false
		for _, known := range ShardLevelMetrics() {
			if strings.EqualFold(strings.TrimSpace(m), known) {
				out = append(out, types.MetricsName(known))
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown shard-level metric %q (known: %s)", m, strings.Join(ShardLevelMetrics(), ", "))
		}
	}
	return out, nil
}

func metricStrings(ms []types.MetricsName) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, string(m))
	}
	return out
}
