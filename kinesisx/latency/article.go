package latency

import (
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// The article the lab's defaults reproduce: AWS's own comparison of
// enhanced fan-out and polling, read by AWS Lambda. Its setup: ArticleRecords records put
// into a stream of ArticleShards shards at what those shards take
// (ArticleRate records/s, so about 2 s of puts), each read mode timed
// until it had seen the last record. Its figures are AWS's, not measured
// by kinspect.
const (
	ArticleSource  = "AWS's article on enhanced fan-out and polling (AWS's figures, not measured here)"
	ArticleRecords = 4000
	ArticleShards  = 2
	ArticleRate    = ArticleShards * ShardRate
)

// ArticleFigure is the article's time until the last record was seen for
// one read mode, as the article puts it.
type ArticleFigure struct {
	Mode kinesisx.Mode
	// Text is the figure in the article's words; LastSeen the number in
	// it (an upper bound for "under", a lower one for "just over").
	Text     string
	LastSeen time.Duration
}

// Article returns the article's figure for a read mode.
func Article(m kinesisx.Mode) (ArticleFigure, bool) {
	switch m {
	case kinesisx.ModeEFO:
		return ArticleFigure{Mode: m, Text: "under 2 s", LastSeen: 2 * time.Second}, true
	case kinesisx.ModePolling:
		return ArticleFigure{Mode: m, Text: "just over 2.5 s", LastSeen: 2500 * time.Millisecond}, true
	}
	return ArticleFigure{}, false
}

// ArticleDifferences says how a run's setup differs from the article's
// (records, shards, rate), one phrase each; none means the run is like
// for like with it.
func (r Report) ArticleDifferences() []string {
	var out []string
	if r.Records != ArticleRecords {
		out = append(out, fmt.Sprintf("%d records, not %d", r.Records, ArticleRecords))
	}
	if len(r.Shards) != ArticleShards {
		out = append(out, fmt.Sprintf("%d shard(s), not %d", len(r.Shards), ArticleShards))
	}
	if r.Rate != ArticleRate {
		out = append(out, fmt.Sprintf("%g records/s, not %d", r.Rate, ArticleRate))
	}
	return out
}
