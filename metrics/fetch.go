package metrics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// values holds what CloudWatch returned: per query id, one entry per
// minute of the plan's window, nil where there was no data point.
type values map[string][]*float64

// fetch runs the plan's calls with bounded concurrency and collects the
// data points. The first error cancels the calls still running.
func (c *Client) fetch(ctx context.Context, p plan) (values, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(values, len(p.queries))
	for _, q := range p.queries {
		out[aws.ToString(q.Id)] = make([]*float64, p.minutes)
	}
	var (
		mu       sync.Mutex // guards out and firstErr
		firstErr error
		wg       sync.WaitGroup
	)
	batches := p.batches()
	work := make(chan []types.MetricDataQuery)
	for range min(c.concurrency, len(batches)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range work {
				err := c.call(ctx, p, batch, func(r types.MetricDataResult) {
					mu.Lock()
					defer mu.Unlock()
					store(out, p, r)
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
	for _, b := range batches {
		select {
		case work <- b:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// call runs one batch, following NextToken to the last page.
func (c *Client) call(ctx context.Context, p plan, batch []types.MetricDataQuery, each func(types.MetricDataResult)) error {
	in := &cloudwatch.GetMetricDataInput{
		MetricDataQueries: batch,
		StartTime:         aws.Time(p.start),
		EndTime:           aws.Time(p.end),
		ScanBy:            types.ScanByTimestampAscending,
	}
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		out, err := c.api.GetMetricData(ctx, in)
		if err != nil {
			if nc := notCloudWatch(err); nc != err {
				return nc
			}
			return fmt.Errorf("get metric data of %s (%d queries, page %d): %w", p.stream, len(batch), page, err)
		}
		for _, r := range out.MetricDataResults {
			switch r.StatusCode {
			case types.StatusCodeForbidden, types.StatusCodeInternalError:
				return fmt.Errorf("get metric data of %s: query %s: CloudWatch says %s", p.stream, aws.ToString(r.Id), r.StatusCode)
			}
			each(r)
		}
		if aws.ToString(out.NextToken) == "" {
			return nil
		}
		if page > 10000 {
			return fmt.Errorf("get metric data of %s: more than %d pages", p.stream, page)
		}
		in.NextToken = out.NextToken
	}
}

// store files a result's points under its id by minute; points outside
// the window or of unknown ids are ignored. The values of one result share
// one backing array.
func store(out values, p plan, r types.MetricDataResult) {
	slot, ok := out[aws.ToString(r.Id)]
	if !ok {
		return
	}
	backing := make([]float64, len(r.Values))
	for i, t := range r.Timestamps {
		if i >= len(r.Values) || t.Before(p.start) || !t.Before(p.end) {
			continue
		}
		backing[i] = r.Values[i]
		slot[int(t.Sub(p.start)/time.Minute)] = &backing[i]
	}
}
