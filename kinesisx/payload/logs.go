package payload

import (
	"bytes"
	"encoding/json"
)

// Logs summarises a CloudWatch Logs subscription message: the gzip-ed JSON
// that a subscription filter delivers to a Kinesis stream.
type Logs struct {
	// MessageType is DATA_MESSAGE, or CONTROL_MESSAGE for the health
	// checks CloudWatch Logs sends when a subscription is created.
	MessageType string
	// Owner is the AWS account ID of the log group.
	Owner string
	// LogGroup and LogStream say where the events come from.
	LogGroup, LogStream string
	// Events is how many log events the message carries.
	Events int
	// FirstMessage is the message of the first event.
	FirstMessage string
}

// logsMessage is the JSON shape of a subscription message.
type logsMessage struct {
	MessageType         *string  `json:"messageType"`
	Owner               string   `json:"owner"`
	LogGroup            string   `json:"logGroup"`
	LogStream           string   `json:"logStream"`
	SubscriptionFilters []string `json:"subscriptionFilters"`
	LogEvents           *[]struct {
		ID        string `json:"id"`
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	} `json:"logEvents"`
}

// parseLogs returns the summary of b if it is a subscription message
// (a JSON object with messageType and logEvents), else nil.
func parseLogs(b []byte) *Logs {
	// Unmarshal scans the whole document: skip it for most JSON.
	if firstNonSpace(b) != '{' || !bytes.Contains(b, []byte(`"logEvents"`)) {
		return nil
	}
	var m logsMessage
	if err := json.Unmarshal(b, &m); err != nil || m.MessageType == nil || m.LogEvents == nil {
		return nil
	}
	l := &Logs{
		MessageType: *m.MessageType,
		Owner:       m.Owner,
		LogGroup:    m.LogGroup,
		LogStream:   m.LogStream,
		Events:      len(*m.LogEvents),
	}
	if l.Events > 0 {
		l.FirstMessage = (*m.LogEvents)[0].Message
	}
	return l
}

// preview is the one-line form of a subscription message, before escaping
// and fitting: "logs GROUP STREAM (N events): FIRST MESSAGE".
func (l *Logs) preview() string {
	if l.MessageType == "CONTROL_MESSAGE" {
		return "logs control: " + l.FirstMessage
	}
	s := "logs " + l.LogGroup + " " + l.LogStream
	switch l.Events {
	case 0:
		return s + " (no events)"
	case 1:
		return s + " (1 event): " + l.FirstMessage
	default:
		return s + " (" + itoa(l.Events) + " events): " + l.FirstMessage
	}
}

// itoa formats a non-negative int without fmt.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
