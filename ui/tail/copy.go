package tail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
)

// copyKey answers the copy chooser (Y): p payload, j JSON line, k key, s
// sequence number; any other key closes it.
func (m *Model) copyKey(msg tea.KeyPressMsg) tea.Cmd {
	m.ux.copying = false
	r := m.Selected()
	if r == nil {
		return nil
	}
	switch msg.String() {
	case "p", "y":
		return m.copyPayload(r)
	case "j":
		var b bytes.Buffer
		if err := writeJSONL(&b, []kinesisx.Record{*r}); err != nil {
			return info(err.Error())
		}
		return m.copyText("JSON line", strings.TrimSuffix(b.String(), "\n"))
	case "k":
		return m.copyText("partition key", r.PartitionKey)
	case "s":
		return m.copyText("sequence number", r.SequenceNumber)
	}
	return nil
}

// copyPayload copies a payload: as text when it is UTF-8, else as base64.
func (m *Model) copyPayload(r *kinesisx.Record) tea.Cmd {
	if !utf8.Valid(r.Data) {
		return m.copyText("payload (base64)", base64.StdEncoding.EncodeToString(r.Data))
	}
	return m.copyText("payload", string(r.Data))
}

// copySelected copies the selected record's payload (y).
func (m *Model) copySelected() tea.Cmd {
	if r := m.Selected(); r != nil {
		return m.copyPayload(r)
	}
	return nil
}

// copyText sends text to the clipboard with OSC 52, then asks the
// terminal what its clipboard holds. Many terminals ignore OSC 52 without
// a word, or do not answer the question: until an answer matches, the
// message says only what was sent (clipboardRead says "copied").
func (m *Model) copyText(what, text string) tea.Cmd {
	m.ux.clip, m.ux.clipWhat = text, what
	return tea.Batch(info(clipboardSent(what, len(text))), tea.Sequence(tea.SetClipboard(text), tea.ReadClipboard))
}

// clipboardRead takes the terminal's answer about its clipboard.
func (m *Model) clipboardRead(msg tea.ClipboardMsg) tea.Cmd {
	if m.ux.clip == "" {
		return nil
	}
	want, what := m.ux.clip, m.ux.clipWhat
	m.ux.clip = ""
	if msg.Content == want {
		return info(fmt.Sprintf("copied the %s (%d bytes): the terminal's clipboard holds it", what, len(want)))
	}
	return info(fmt.Sprintf("the %s was not copied: the terminal's clipboard holds something else (OSC 52 writes may be turned off)", what))
}

// clipboardSent is the message after an OSC 52 write, which the terminal
// may ignore without a word.
func clipboardSent(what string, n int) string {
	return fmt.Sprintf("sent the %s (%d bytes) to the clipboard with OSC 52: your terminal may ignore it", what, n)
}
