package screen

// ShardLoad is a shard's incoming traffic as a screen last saw it, with
// where the figures come from, so a dialog can say it too.
type ShardLoad struct {
	BytesPerSec, RecordsPerSec float64
	// Source names the figures: "live, last minute" (kinspect's own
	// tail) or "CloudWatch 12:04" (a complete minute).
	Source string
}
