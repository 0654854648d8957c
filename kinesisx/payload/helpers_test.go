package payload

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// gz compresses b.
func gz(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// cwLogs is a CloudWatch Logs subscription message as a Lambda function's
// log group sends it.
const cwLogs = `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/lambda/orders","logStream":"2026/11/26/[$LATEST]0f1e2d3c","subscriptionFilters":["to-kinesis"],"logEvents":[{"id":"38000000000000000000000000000000000000000000000000000000","timestamp":1795680000000,"message":"START RequestId: 1b2c Version: $LATEST\n"},{"id":"38000000000000000000000000000000000000000000000000000001","timestamp":1795680000005,"message":"order 42 accepted"}]}`

// cwControl is the message CloudWatch Logs sends when a subscription is
// created.
const cwControl = `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1795680000000,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}`
