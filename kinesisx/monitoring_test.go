package kinesisx

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestMonitoring(t *testing.T) {
	tests := []struct {
		name     string
		enable   bool
		metrics  []string
		readOnly bool
		wantSent string
		wantErr  string
	}{
		{name: "enable all", enable: true, metrics: []string{"all"}, wantSent: "ALL"},
		{name: "enable two, any case", enable: true, metrics: []string{"incomingbytes", " OutgoingBytes "}, wantSent: "IncomingBytes,OutgoingBytes"},
		{name: "disable", metrics: []string{"ALL"}, wantSent: "ALL"},
		{name: "unknown metric", enable: true, metrics: []string{"Latency"}, wantErr: `unknown shard-level metric "Latency"`},
		{name: "none", enable: true, wantErr: "name 1 to 7"},
		{name: "read-only enable", enable: true, metrics: []string{"ALL"}, readOnly: true, wantErr: "read-only"},
		{name: "read-only disable", metrics: []string{"ALL"}, readOnly: true, wantErr: "read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent []types.MetricsName
			calls := 0
			api := &fakeAPI{
				EnableEnhancedMonitoringFn: func(_ context.Context, in *kinesis.EnableEnhancedMonitoringInput) (*kinesis.EnableEnhancedMonitoringOutput, error) {
					calls++
					sent = in.ShardLevelMetrics
					return &kinesis.EnableEnhancedMonitoringOutput{DesiredShardLevelMetrics: []types.MetricsName{"IncomingBytes", "OutgoingBytes"}}, nil
				},
				DisableEnhancedMonitoringFn: func(_ context.Context, in *kinesis.DisableEnhancedMonitoringInput) (*kinesis.DisableEnhancedMonitoringOutput, error) {
					calls++
					sent = in.ShardLevelMetrics
					if aws.ToString(in.StreamName) != "s" {
						return nil, errors.New("wrong stream")
					}
					return &kinesis.DisableEnhancedMonitoringOutput{}, nil
				},
			}
			c := newClient(api, WithReadOnly(tt.readOnly))
			var got []string
			var err error
			if tt.enable {
				got, err = c.EnableMonitoring(context.Background(), "s", tt.metrics)
			} else {
				got, err = c.DisableMonitoring(context.Background(), "s", tt.metrics)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || calls != 0 {
					t.Fatalf("err = %v (calls %d), want %q", err, calls, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(metricStrings(sent), ","); s != tt.wantSent {
				t.Errorf("sent %s, want %s", s, tt.wantSent)
			}
			if tt.enable && strings.Join(got, ",") != "IncomingBytes,OutgoingBytes" || !tt.enable && len(got) != 0 {
				t.Errorf("result %v", got)
			}
		})
	}
}
