package kinesisx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// RecordInfo tells a RecordSource which record it is producing.
type RecordInfo struct {
	Seq int       // the record's number, counting from 1
	Key string    // its partition key
	Now time.Time // the time of sending
}

// RecordSource produces payloads for Put, one per call. It returns io.EOF
// when it has no more; a source that never ends is bounded by
// PutOptions.Count or by the context. Put calls Next from one goroutine.
type RecordSource interface {
	Next(info RecordInfo) ([]byte, error)
}

// SourceFunc adapts a function to RecordSource.
type SourceFunc func(info RecordInfo) ([]byte, error)

// Next calls f.
func (f SourceFunc) Next(info RecordInfo) ([]byte, error) { return f(info) }

// Repeat returns a source that gives the same payload forever (a --data
// string, or a whole file).
func Repeat(data []byte) RecordSource {
	return SourceFunc(func(RecordInfo) ([]byte, error) { return data, nil })
}

// FileSource reads a whole file as one payload, repeated forever.
func FileSource(path string) (RecordSource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read record file: %w", err)
	}
	return Repeat(data), nil
}

// maxLine is the longest line Lines accepts: the largest record Kinesis
// accepts. Put checks each record against the stream's own limit.
const maxLine = 10 << 20

// readySource is implemented by sources that can tell whether their next
// record is already at hand. Put sends a partial batch rather than wait for
// a source that is not ready, so records piped from a slow producer
// (`tail -f log | kinspect put`) leave at once instead of gathering 500.
type readySource interface {
	Ready() bool
}

// Lines returns a source that gives one record per line of r, without the
// line ending ("\n" or "\r\n"). Empty lines are skipped. It ends with io.EOF
// at the end of r; a line longer than 10 MiB is an error that names it.
func Lines(r io.Reader) RecordSource {
	return &lineSource{r: bufio.NewReaderSize(r, 64<<10)}
}

type lineSource struct {
	r    *bufio.Reader
	line int
}

// Ready reports whether input is buffered, so that Next may not block.
func (s *lineSource) Ready() bool { return s.r.Buffered() > 0 }

// Next returns the next non-empty line.
func (s *lineSource) Next(RecordInfo) ([]byte, error) {
	for {
		b, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if len(b) > 0 {
			return b, nil
		}
	}
}

// readLine reads one line into a new slice, refusing lines over maxLine.
func (s *lineSource) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine+2 { // room for "\r\n"
			s.line++
			return nil, fmt.Errorf("line %d is longer than %d bytes, the largest record", s.line, maxLine)
		}
		line = append(line, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(line) == 0 {
				return nil, io.EOF
			}
		case err != nil:
			return nil, fmt.Errorf("read line %d: %w", s.line+1, err)
		}
		s.line++
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) > maxLine {
			return nil, fmt.Errorf("line %d is longer than %d bytes, the largest record", s.line, maxLine)
		}
		return line, nil
	}
}
