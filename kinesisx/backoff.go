package kinesisx

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/smithy-go"
)

// backoff is capped exponential backoff with jitter. The zero value is
// ready; reset after a success.
type backoff struct {
	base, max time.Duration
	attempt   int
}

func newBackoff(base, max time.Duration) backoff {
	return backoff{base: base, max: max}
}

// next returns the next delay: base·2^n capped at max, jittered into
// [d/2, d] so that many runners do not retry in step.
func (b *backoff) next() time.Duration {
	d := b.base << min(b.attempt, 20)
	if d > b.max || d <= 0 {
		d = b.max
	}
	b.attempt++
	half := d / 2
	return half + rand.N(half+1)
}

func (b *backoff) reset() { b.attempt = 0 }

// errClass says what a tail does with an error.
type errClass int

const (
	errFatal     errClass = iota // stop the tail with this error
	errRetry                     // back off and call again
	errThrottled                 // a throttle: back off and call again
	errExpired                   // the shard iterator expired: rebuild it
	errInUse                     // EFO: the subscription is held elsewhere or too soon
	errStopped                   // the context ended: stop quietly
)

// classify sorts an error from a data-plane call.
func classify(ctx context.Context, err error) errClass {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return errStopped
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ExpiredIteratorException":
			return errExpired
		case "ProvisionedThroughputExceededException", "LimitExceededException", "ThrottlingException", "KMSThrottlingException", "TooManyRequestsException":
			return errThrottled
		case "ResourceInUseException":
			return errInUse
		case "InternalFailure", "InternalFailureException", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException":
			return errRetry
		}
		return errFatal
	}
	if isTransportError(err) {
		return errRetry
	}
	return errFatal
}

// isTransportError recognises a dropped connection or a cut response, which
// a tail retries (the same iterator or position gives the same records).
func isTransportError(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE),
		errors.As(err, &netErr):
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection reset", "broken pipe", "unexpected EOF", "server closed", "http2: ", "deserialization failed", "failed to decode", "EOF"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// noRetry makes one SDK call without the SDK's own retries: the tail
// retries itself, with its own pacing, and so never exhausts the SDK's
// retry quota under sustained throttling.
func noRetry(o *kinesis.Options) {
	o.Retryer = aws.NopRetryer{}
}
