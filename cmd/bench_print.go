package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/latency"
)

// benchModeJSON is one mode of `bench latency -o json`; durations are in
// milliseconds.
type benchModeJSON struct {
	Mode                  string  `json:"mode"`
	Consumer              string  `json:"consumer,omitempty"`
	Seen                  int     `json:"seen"`
	Missing               int     `json:"missing"`
	Duplicates            int     `json:"duplicates"`
	LastArrivalMs         float64 `json:"lastArrivalMs"`
	MinMs                 float64 `json:"minMs"`
	P50Ms                 float64 `json:"p50Ms"`
	P90Ms                 float64 `json:"p90Ms"`
	P99Ms                 float64 `json:"p99Ms"`
	MaxMs                 float64 `json:"maxMs"`
	MeanMs                float64 `json:"meanMs"`
	MaxMillisBehindLatest int64   `json:"maxMillisBehindLatest"`
	Error                 string  `json:"error,omitempty"`
	// Article is the article's time until the last record was seen for
	// this mode, beside ours (lastArrivalMs): AWS's figure, not measured.
	Article *benchArticleModeJSON `json:"article,omitempty"`
}

// benchArticleModeJSON is the article's figure for one mode.
type benchArticleModeJSON struct {
	LastSeen   string  `json:"lastSeen"`   // in the article's words: "under 2 s"
	LastSeenMs float64 `json:"lastSeenMs"` // the number in them
}

// benchArticleJSON is the article's setup and how this run differs from it.
type benchArticleJSON struct {
	Source      string   `json:"source"`
	Records     int      `json:"records"`
	Shards      int      `json:"shards"`
	Rate        float64  `json:"rate"`
	SameSetup   bool     `json:"sameSetup"`
	Differences []string `json:"differences"`
}

// benchJSON is the report of `bench latency -o json`.
type benchJSON struct {
	Stream     string           `json:"stream"`
	RunID      string           `json:"runId"`
	Shards     []string         `json:"shards"`
	Records    int              `json:"records"`
	Rate       float64          `json:"rate"`
	Started    string           `json:"started"`
	PutSeconds float64          `json:"putSeconds"`
	Sent       int              `json:"sent"`
	PutFailed  int              `json:"putFailed"`
	Modes      []benchModeJSON  `json:"modes"`
	Article    benchArticleJSON `json:"article"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printLatencyReport(o *benchLatencyOptions, rep latency.Report) error {
	if o.Output == "json" {
		out := benchJSON{Stream: rep.Stream, RunID: rep.RunID, Shards: rep.Shards, Records: rep.Records, Rate: rep.Rate,
			Started: rep.Started.UTC().Format(time.RFC3339Nano), PutSeconds: rep.PutDuration.Seconds(),
			Sent: rep.Sent, PutFailed: rep.PutFailed, Modes: []benchModeJSON{}, Article: articleJSON(rep)}
		for _, m := range rep.Modes {
			mj := benchModeJSON{
				Mode: m.Mode.String(), Consumer: m.Consumer, Seen: m.Seen, Missing: m.Missing, Duplicates: m.Duplicates,
				LastArrivalMs: ms(m.LastArrival), MinMs: ms(m.Min), P50Ms: ms(m.P50), P90Ms: ms(m.P90), P99Ms: ms(m.P99),
				MaxMs: ms(m.Max), MeanMs: ms(m.Mean), MaxMillisBehindLatest: m.MaxMillisBehindLatest, Error: m.Err,
			}
			if a, ok := latency.Article(m.Mode); ok {
				mj.Article = &benchArticleModeJSON{LastSeen: a.Text, LastSeenMs: ms(a.LastSeen)}
			}
			out.Modes = append(out.Modes, mj)
		}
		return writeJSON(o.f.Out, out)
	}
	fmt.Fprintf(o.f.Out, "latency lab on %s (run %s): %d probes at %g/s over %d shard(s), put in %s\n\n",
		rep.Stream, rep.RunID, rep.Sent, rep.Rate, len(rep.Shards), roundDur(rep.PutDuration))
	t := newTable(o.f.Out, "MODE", "SEEN", "MISSED", "DUPS", "LAST ARRIVED", "AWS ARTICLE", "P50", "P90", "P99", "MAX", "MAX BEHIND")
	for _, m := range rep.Modes {
		a, _ := latency.Article(m.Mode)
		t.row(m.Mode.String(), fmt.Sprint(m.Seen), fmt.Sprint(m.Missing), fmt.Sprint(m.Duplicates), roundDur(m.LastArrival), a.Text,
			roundDur(m.P50), roundDur(m.P90), roundDur(m.P99), roundDur(m.Max), fmt.Sprintf("%d ms", m.MaxMillisBehindLatest))
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(o.f.Out, "\nLAST ARRIVED: from the first put to the last probe received; P50..MAX: delivery latency, put to received.")
	fmt.Fprintf(o.f.Out, "AWS ARTICLE: the time until the last record was seen in AWS's article (%d records, %d shards, %d records/s): AWS's figures, not measured here.\n",
		latency.ArticleRecords, latency.ArticleShards, latency.ArticleRate)
	if d := rep.ArticleDifferences(); len(d) > 0 {
		fmt.Fprintf(o.f.Out, "This run is not like for like with it: %s.\n", strings.Join(d, ", "))
	} else {
		fmt.Fprintln(o.f.Out, "This run has the article's setup.")
	}
	return nil
}

// articleJSON is the article's setup beside a run's.
func articleJSON(rep latency.Report) benchArticleJSON {
	d := rep.ArticleDifferences()
	return benchArticleJSON{Source: latency.ArticleSource, Records: latency.ArticleRecords, Shards: latency.ArticleShards,
		Rate: latency.ArticleRate, SameSetup: len(d) == 0, Differences: append([]string{}, d...)}
}

// roundDur prints a duration at a useful precision: 0.1 ms under a
// second, 1 ms above.
func roundDur(d time.Duration) string {
	if d < time.Second {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
