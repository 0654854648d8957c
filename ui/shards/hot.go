package shards

import (
	"fmt"
	"strings"

	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/theme"
)

// The hot-key panel (h): per shard, from the stream's hotkeys.Analyser,
// the heaviest partition keys by bytes and by records (KPL inner keys
// counted one by one), the skew score, and where the bytes fall in the
// shard's hash range. It starts at the shard under the cursor; j/k move
// through the shards as in the table.

// hotTopKeys is how many keys a shard's block lists.
const hotTopKeys = 5

// skewInk grades a skew score: one key carrying half the bytes is hot.
func skewInk(st theme.Styles, skew float64) theme.FastStyle {
	switch {
	case skew >= 0.5:
		return st.Fast.Hot
	case skew >= 0.2:
		return st.Fast.Warn
	}
	return st.Fast.OK
}

// skewWord says what a skew score means.
func skewWord(skew float64) string {
	switch {
	case skew >= 0.5:
		return "hot key"
	case skew >= 0.2:
		return "skewed"
	}
	return "even"
}

// hotBlock renders one shard's block at exactly width cells per line.
func hotBlock(st theme.Styles, s hotkeys.ShardStats, width int) []string {
	ink := st.Fast
	title := ink.Text.Paint(s.ShardID) + "  " +
		skewInk(st, s.Skew).Paint(fmt.Sprintf("skew %.2f %s", s.Skew, skewWord(s.Skew))) +
		ink.Muted.Paint(fmt.Sprintf("  %s records · %s · ~%s keys", cell.Count(int(s.Records)), cell.Bytes(float64(s.Bytes)), cell.Count(int(s.DistinctKeys))))
	if s.Aggregated > 0 && s.Records > 0 {
		title += ink.Muted.Paint(fmt.Sprintf(" · %.0f%% KPL", float64(s.Aggregated)/float64(s.Records)*100))
	}
	histW := max(min(len(s.Histogram), width-44), 4)
	where := "hash range"
	if !s.RangeKnown {
		where = "key space "
	}
	hist := ink.Muted.Paint("  "+where+" lo ") + ink.Accent.Paint(cell.Sparkline(rebin(s.Histogram, histW), histW)) +
		ink.Muted.Paint(" hi") + ink.Muted.Paint(fmt.Sprintf("  top key ≥ %.0f%% of bytes", s.TopShare*100))
	half := max((width-2)/2, 10)
	lines := []string{cell.Fit(title, width), cell.Fit(hist, width),
		cell.Fit("  "+st.Header.Render(cell.Fit("BY BYTES", half))+st.Header.Render(cell.Fit("BY RECORDS", half)), width)}
	for i := range hotTopKeys {
		left := keyCell(st, s.TopByBytes, i, s.Bytes, half, true)
		right := keyCell(st, s.TopByRecords, i, s.Records, half, false)
		lines = append(lines, cell.Fit("  "+left+right, width))
	}
	return append(lines, "")
}

// keyCell is the i-th key of a top list with its share of the total and
// its count, half cells wide; a count that may overestimate (Space-Saving
// error) is prefixed with ≈.
func keyCell(st theme.Styles, top []hotkeys.KeyCount, i int, total int64, half int, bytes bool) string {
	if i >= len(top) || total <= 0 {
		return cell.Fit("", half)
	}
	k := top[i]
	approx := ""
	if k.Error > 0 {
		approx = "≈"
	}
	share := float64(k.Count) / float64(total)
	amount := cell.Count(int(k.Count))
	if bytes {
		amount = cell.Bytes(float64(k.Count))
	}
	nums := fmt.Sprintf(" %7s %9s ", fmt.Sprintf("%s%.1f%%", approx, share*100), amount)
	keyW := max(half-len([]rune(nums))-2, 4)
	ink := st.Fast.Text
	if i == 0 && share >= 0.5 {
		ink = st.Fast.Hot
	}
	return cell.Fit(fmt.Sprintf("%d ", i+1)+ink.Paint(cell.Fit(k.Key, keyW-2))+st.Fast.Muted.Paint(nums), half)
}

// rebin sums a histogram into n cells (n ≥ len keeps it as is).
func rebin(h []int64, n int) []float64 {
	if n <= 0 || len(h) == 0 {
		return nil
	}
	if n >= len(h) {
		out := make([]float64, len(h))
		for i, v := range h {
			out[i] = float64(v)
		}
		return out
	}
	out := make([]float64, n)
	for i, v := range h {
		out[i*n/len(h)] += float64(v)
	}
	return out
}

// hotLines renders the panel into height lines: the blocks of the shards
// from the cursor on that have traffic, or a note saying why there is
// none yet.
func (m *Model) hotLines(height int) []string {
	a, _ := m.traffic.Lookup(m.name)
	var lines []string
	if a != nil {
		for i := m.cur.Pos; i < m.rowCount() && i >= 0 && len(lines) < height; i++ {
			s, ok := a.Shard(m.shards[m.order(i)].ID, hotTopKeys)
			if !ok {
				continue
			}
			lines = append(lines, hotBlock(*m.st, s, m.width)...)
		}
	}
	if len(lines) == 0 {
		note := "no traffic analysed yet from this shard on"
		switch {
		case m.traffic == nil:
			note = "hot keys are not available in this session"
		case !m.tail.Open() && !m.tail.On():
			note += ": L reads the stream live, t tails it"
		default:
			note += ": waiting for records from the live tail…"
		}
		lines = append(lines, m.st.Muted.Render(note))
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return lines
}

// hotHeader titles the panel.
func (m *Model) hotHeader() string {
	return m.st.Header.Render(cell.Fit(strings.ToUpper("hot keys")+" · top keys per shard by bytes and records, skew, where the bytes fall (h: back to the table)", m.width))
}
