package cwserver

import (
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// maxStatisticsPoints is GetMetricStatistics' limit on data points.
const maxStatisticsPoints = 1440

// getMetricStatistics answers GetMetricStatistics: one metric, up to five
// statistics per period, at most 1,440 periods.
func (h *Handler) getMetricStatistics(m cbor.Map) (cbor.Value, *apiError) {
	d := &decoder{}
	q := query{Namespace: d.str(m, "Namespace"), MetricName: d.str(m, "MetricName"), Unit: d.str(m, "Unit")}
	dims := d.list(m, "Dimensions")
	start, end := d.time(m, "StartTime"), d.time(m, "EndTime")
	period, _ := d.int(m, "Period")
	stats := d.list(m, "Statistics")
	extended := d.list(m, "ExtendedStatistics")
	if d.err != nil {
		return nil, d.err
	}
	for _, k := range []string{"Namespace", "MetricName", "StartTime", "EndTime", "Period"} {
		if v, ok := m[k]; !ok || v == nil {
			return nil, errMissing(k)
		}
	}
	var err *apiError
	if q.Dimensions, err = d.dimensions(dims, "Dimensions", errParam); err != nil {
		return nil, err
	}
	var names []string
	for _, sv := range stats {
		s, ok := sv.(cbor.String)
		if !ok || !knownStat(string(s)) {
			return nil, errParam("The parameter Statistics contains %v; kinspect's local endpoint serves Sum, Average, Maximum, Minimum and SampleCount.", sv)
		}
		names = append(names, string(s))
	}
	switch {
	case (len(stats) == 0) == (len(extended) == 0):
		return nil, errCombination("Must specify either Statistics or ExtendedStatistics, but not both.")
	case len(extended) > 0:
		return nil, errParam("ExtendedStatistics (percentiles) are not kept by kinspect's local endpoint; ask for Sum, Average, Maximum, Minimum or SampleCount.")
	case len(stats) > 5:
		return nil, errParam("The parameter Statistics holds %d statistics; at most 5.", len(stats))
	case !validPeriod(period):
		return nil, errParam("The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60 (got %d).", period)
	case !start.Before(end):
		return nil, errParam("The parameter StartTime must be less than the parameter EndTime.")
	}
	q.Period = period
	from := start.Truncate(time.Minute)
	span := time.Duration(period) * time.Second
	if n := (end.Sub(from) + span - 1) / span; n > maxStatisticsPoints {
		return nil, errCombination("You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, maxStatisticsPoints)
	}
	points := cbor.List{}
	for _, pb := range h.aggregate(q, from, end, h.opts.Now().Add(-h.opts.Delay)) {
		dp := cbor.Map{"Timestamp": epoch(pb.t), "Unit": cbor.String(unitOf(q.MetricName))}
		for _, s := range names {
			dp[s] = cbor.Float64(stat(s, pb.b))
		}
		points = append(points, dp)
	}
	return cbor.Map{"Label": cbor.String(q.MetricName), "Datapoints": points}, nil
}

// epoch is t as a CBOR epoch time (tag 1, seconds).
func epoch(t time.Time) cbor.Value {
	return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixMilli()) / 1e3)}
}
