package payload

import (
	"bytes"
	"strings"
)

// HexDump formats b as `hexdump -C` does: an 8-digit hex offset, 16 bytes
// in two groups of 8, the printable ASCII between bars, a "*" line in place
// of lines that repeat the one before, and the total length on the last
// line. An empty b gives an empty string, as hexdump prints nothing.
func HexDump(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	const hexdigits = "0123456789abcdef"
	var sb strings.Builder
	sb.Grow((len(b)/16 + 2) * 79)
	var line [78]byte
	squeezing := false
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		if off > 0 && len(row) == 16 && bytes.Equal(row, b[off-16:off]) {
			if !squeezing {
				sb.WriteString("*\n")
				squeezing = true
			}
			continue
		}
		squeezing = false
		for i := range line {
			line[i] = ' '
		}
		putOffset(line[:8], off)
		for i, c := range row {
			pos := 10 + 3*i
			if i >= 8 {
				pos++
			}
			line[pos], line[pos+1] = hexdigits[c>>4], hexdigits[c&0x0f]
		}
		line[60] = '|'
		for i, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			line[61+i] = c
		}
		end := 61 + len(row)
		line[end] = '|'
		sb.Write(line[:end+1])
		sb.WriteByte('\n')
	}
	var last [8]byte
	putOffset(last[:], len(b))
	sb.Write(last[:])
	sb.WriteByte('\n')
	return sb.String()
}

// putOffset writes off as 8 lower-case hex digits (more digits are cut,
// as in hexdump, which only reaches them past 4 GiB).
func putOffset(dst []byte, off int) {
	const hexdigits = "0123456789abcdef"
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = hexdigits[off&0x0f]
		off >>= 4
	}
}
