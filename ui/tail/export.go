package tail

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

// writeJSONL writes one JSON object per record, in the line format of
// `tail -o json` (kinesisx.Record.JSON, DESIGN.md §8).
func writeJSONL(w io.Writer, recs []kinesisx.Record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(recs[i].JSON()); err != nil {
			return fmt.Errorf("encode record %s: %w", recs[i].SequenceNumber, err)
		}
	}
	return nil
}

// writeCSV writes a header and one row per record, with the fields of
// `tail -o json` (the payload as text when it is UTF-8, else base64).
func writeCSV(w io.Writer, recs []kinesisx.Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"arrival", "shard", "sequence", "subsequence", "partition_key", "explicit_hash_key", "encoding", "data"}); err != nil {
		return err
	}
	for i := range recs {
		j := recs[i].JSON()
		sub := ""
		if j.SubSequence != nil {
			sub = strconv.Itoa(*j.SubSequence)
		}
		if err := cw.Write([]string{j.Arrival, j.Shard, j.Sequence, sub, j.PartitionKey, j.ExplicitHashKey, j.Encoding, j.Data}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportFormat is a file format of the export keys.
type exportFormat struct {
	ext   string
	write func(io.Writer, []kinesisx.Record) error
}

var (
	exportJSONL = exportFormat{"jsonl", writeJSONL}
	exportCSV   = exportFormat{"csv", writeCSV}
)

// exportName is the file an export goes to: kinspect-STREAM-TIME.EXT.
func exportName(stream string, now time.Time, ext string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < 0x20 {
			return '_'
		}
		return r
	}, stream)
	return fmt.Sprintf("kinspect-%s-%s.%s", safe, now.UTC().Format("20060102T150405.000Z"), ext)
}

// export writes the records of the list (after the filter) to a file in
// the export directory. The records are copied here, on the event loop;
// the Cmd only writes.
func (m *Model) export(format exportFormat) tea.Cmd {
	n := m.rows()
	if n == 0 {
		return screen.Cmd(screen.InfoMsg{Text: "nothing to export"})
	}
	recs := make([]kinesisx.Record, 0, n)
	for i := 0; i < n; i++ {
		recs = append(recs, *m.record(i))
	}
	dir := m.deps.ExportDir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, exportName(m.opts.Stream, m.now(), format.ext))
	return writeExport(path, recs, m.CurTag(""), format.write)
}

func writeExport(path string, recs []kinesisx.Record, tag screen.Tag, write func(io.Writer, []kinesisx.Record) error) tea.Cmd {
	return func() tea.Msg {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		err := func() error {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(f)
			if err := write(w, recs); err != nil {
				f.Close()
				return err
			}
			if err := w.Flush(); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}()
		if err != nil {
			err = fmt.Errorf("export to %s: %w", path, err)
		}
		return exportedMsg{Tag: tag, path: path, n: len(recs), err: err}
	}
}
