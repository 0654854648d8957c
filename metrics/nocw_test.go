package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestNoCloudWatchIsSaid: an endpoint that serves Kinesis only answers
// GetMetricData with a body that is not CBOR; Stream says the endpoint
// serves no CloudWatch, not the CBOR decoder's "unexpected minor value".
func TestNoCloudWatchIsSaid(t *testing.T) {
	kinesisOnly := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"__type":"UnknownOperationException"}`)) // as kinesis-mock does
	}))
	t.Cleanup(kinesisOnly.Close)
	_, builtIn := localtest.Start(t, local.Options{NoCloudWatch: true})
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	for name, url := range map[string]string{"json 404": kinesisOnly.URL, "built-in without CloudWatch": builtIn, "text 404": plain.URL} {
		t.Run(name, func(t *testing.T) {
			c := New(testenv.CloudWatchClient(t, url))
			_, err := c.Stream(context.Background(), "s", []string{"shardId-000000000000"}, 15*time.Minute, time.Now())
			if !errors.Is(err, ErrNoCloudWatch) {
				t.Fatalf("err = %v, want ErrNoCloudWatch", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "minor value") || strings.Contains(msg, "\n") || !strings.Contains(msg, strings.TrimPrefix(url, "http://")) {
				t.Errorf("message %q: want one line naming the endpoint, no decoder detail", msg)
			}
		})
	}
}
