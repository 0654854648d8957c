package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// openTUI runs kinspect's TUI on the endpoint at url, with dummy
// credentials and no user config; "EXIT=code" follows when it ends.
func (tm *term) openTUI(url string) {
	tm.t.Helper()
	tm.text("export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent")
	tm.keys("Enter")
	tm.text(kinspect + " --endpoint-url " + url + "; echo EXIT=$?")
	tm.keys("Enter")
}

// needleKey is the key of the 50 records the find test looks for.
const needleKey = "needle-7"

// putNeedles puts 50 records with needleKey, then 100,000 with other keys
// after them, on a 2-shard stream "s" of a local endpoint without limits,
// and returns the endpoint's URL and the first needle's sequence number.
func putNeedles(t *testing.T) (url, first string) {
	t.Helper()
	_, url = localtest.Start(t, local.Options{})
	c := testenv.KinesisClient(t, url)
	testenv.CreateStream(t, c, "s", 2)
	ctx := context.Background()
	put := func(entries []types.PutRecordsRequestEntry) []types.PutRecordsResultEntry {
		t.Helper()
		out, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("s"), Records: entries})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
			t.Fatalf("PutRecords: %v (%v failed)", err, out)
		}
		return out.Records
	}
	var needles []types.PutRecordsRequestEntry
	for i := range 50 {
		needles = append(needles, types.PutRecordsRequestEntry{PartitionKey: aws.String(needleKey), Data: fmt.Appendf(nil, `{"needle":%d}`, i)})
	}
	first = aws.ToString(put(needles)[0].SequenceNumber)
	for b := range 200 {
		batch := make([]types.PutRecordsRequestEntry, 0, 500)
		for i := range 500 {
			n := b*500 + i
			batch = append(batch, types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("other-%d", n)), Data: fmt.Appendf(nil, `{"n":%d}`, n)})
		}
		put(batch)
	}
	return url, first
}

// TestFindScreen: on a stream where 50 records with one key are followed
// by 100,000 others, :find key:K in the TUI (at 80x24: F on the stream
// screen, then the words) lists the 50 with the whole
// window scanned, and enter opens the tail of the first match's shard at
// it (the tail's focus on it comes with the tail's Focus support).
func TestFindScreen(t *testing.T) {
	needTmux(t)
	url, first := putNeedles(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTerm(t, size[0], size[1])
			tm.openTUI(url)
			tm.wait("home", "streams (1)")
			tm.keys("Enter")
			tm.wait("stream", "2 open / 2 shards")
			if size[0] == 120 {
				tm.keys(":")
				tm.text("find key:" + needleKey)
			} else { // F asks for the words
				tm.keys("F")
				tm.wait("find asks", "enter searches, esc leaves")
				tm.text("key:" + needleKey)
			}
			tm.keys("Enter")
			s := tm.wait("find done", "done:", "100,050 records · 50 match(es)")
			if !strings.Contains(s, needleKey) || !strings.Contains(s, "match 1 of 50") {
				t.Fatalf("the matches are not listed:\n%s", s)
			}
			tm.checkFrame("find")
			tm.keys("Enter")
			// The tail opens on the first match's shard at the match: its
			// sequence number's last digits, as the tail shows them.
			if size[0] < 100 { // SEQUENCE is hidden below 100 cells: c shows every column
				tm.wait("tail at the first match", needleKey, "paused")
				tm.keys("c")
			}
			tm.wait("tail at the first match", "…"+first[len(first)-8:], needleKey, "paused")
			tm.checkFrame("tail")
			tm.esc()
			tm.wait("back to find", "match 1 of 50")
			tm.esc()
			tm.wait("back to the stream", "2 open / 2 shards")
			tm.keys("q")
			tm.wait("quit", "EXIT=0")
		})
	}
}
