package payload

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// hexDumpInputs are the HexDump golden cases; the goldens were checked
// against `hexdump -C`, and TestHexDumpMatchesHexdump checks again where
// the tool is installed.
func hexDumpInputs() map[string][]byte {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	squeeze := append(append(make([]byte, 40), "abc"...), make([]byte, 32)...)
	return map[string][]byte{
		"empty":      nil,
		"hello":      []byte("hello world\n"),
		"one_line":   []byte("0123456789abcdef"),
		"all_bytes":  all,
		"zeros_100":  make([]byte, 100),
		"zeros_64":   make([]byte, 64),
		"squeeze":    squeeze,
		"utf8_kinds": []byte("データ 🚀\x1b[0m\t{}"),
	}
}

func TestHexDumpGolden(t *testing.T) {
	for name, in := range hexDumpInputs() {
		t.Run(name, func(t *testing.T) {
			golden.RequireEqual(t, HexDump(in))
		})
	}
}

// TestHexDumpMatchesHexdump compares HexDump with the real `hexdump -C`.
func TestHexDumpMatchesHexdump(t *testing.T) {
	path, err := exec.LookPath("hexdump")
	if err != nil {
		t.Skip("hexdump is not installed; the goldens cover the format")
	}
	inputs := hexDumpInputs()
	inputs["gzip"] = gz(t, []byte(cwLogs))
	for name, in := range inputs {
		cmd := exec.Command(path, "-C")
		cmd.Stdin = bytes.NewReader(in)
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: hexdump: %v", name, err)
		}
		if got := HexDump(in); got != string(want) {
			t.Errorf("%s: HexDump differs from hexdump -C\n got:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

func TestPrettyGolden(t *testing.T) {
	tests := map[string]string{
		"object":       `{"b":1,"a":[1,2,{"c":null}],"s":"<tag> & \u00e9 \ud83d\ude80","big":12345678901234567890123}`,
		"array":        ` [ {"x" : 1} , [] , {} , "two"  ] `,
		"cloudwatch":   cwLogs,
		"nested_empty": `{"a":{},"b":[],"c":[[]]}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			out, ok := Pretty([]byte(in))
			if !ok {
				t.Fatal("Pretty = false")
			}
			golden.RequireEqual(t, out)
		})
	}
}

func TestPrettyRejects(t *testing.T) {
	for _, in := range []string{"", "42", `"s"`, "true", `{"a":}`, "[1,", "{\"\xff\":1}", "text {}"} {
		if out, ok := Pretty([]byte(in)); ok || out != nil {
			t.Errorf("Pretty(%q) = %q, %v; want nil, false", in, out, ok)
		}
	}
}
