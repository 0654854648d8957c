package explain

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sdkErr wraps err as the SDK does, under kinspect's context.
func sdkErr(context string, err error) error {
	return fmt.Errorf("%s: %w", context, &smithy.OperationError{ServiceID: "Kinesis", OperationName: "ListStreams", Err: err})
}

func sendErr(u string, err error) error {
	return &smithyhttp.RequestSendError{Err: &url.Error{Op: "Post", URL: u, Err: err}}
}

func TestError(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"API error", sdkErr("describe stream s", &smithy.GenericAPIError{Code: "LimitExceededException", Message: "Rate exceeded for stream s"}),
			"describe stream s: LimitExceededException: Rate exceeded for stream s"},
		{"unknown stream", sdkErr("describe stream s", &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "Stream s under account 1 not found."}),
			"describe stream s: ResourceNotFoundException: Stream s under account 1 not found. (`kinspect ls` lists the streams of this account and region)"},
		{"event stream exception", fmt.Errorf("subscribe to shardId-000000000000: %w", &smithy.GenericAPIError{Code: "ResourceInUseException", Message: "Consumer c is not ACTIVE."}),
			"subscribe to shardId-000000000000: ResourceInUseException: Consumer c is not ACTIVE."},
		{"refused on loopback", sdkErr("list streams", sendErr("http://127.0.0.1:4567/", refused)),
			"list streams: cannot reach http://127.0.0.1:4567: connection refused (is the endpoint running? `kinspect local` starts one)"},
		{"DynamoDB refused on loopback", fmt.Errorf("scan lease table app: %w", &smithy.OperationError{ServiceID: "DynamoDB", OperationName: "Scan", Err: sendErr("http://127.0.0.1:8000/", refused)}),
			"scan lease table app: cannot reach http://127.0.0.1:8000: connection refused (is DynamoDB running there? `kinspect local` serves only Kinesis and CloudWatch)"},
		{"refused elsewhere", sdkErr("list streams", sendErr("https://kinesis.example.com/", refused)),
			"list streams: cannot reach https://kinesis.example.com: connection refused"},
		{"no such host", sdkErr("list streams", sendErr("https://kinesis.nowhere.invalid/", &net.DNSError{Name: "kinesis.nowhere.invalid", Err: "no such host", IsNotFound: true})),
			"list streams: cannot reach https://kinesis.nowhere.invalid: cannot resolve kinesis.nowhere.invalid (check --endpoint-url and --region)"},
		{"private CA", sdkErr("list streams", sendErr("https://vpce.example.com/", &tlsErr{x509.UnknownAuthorityError{}})),
			"list streams: cannot reach https://vpce.example.com: its TLS certificate is signed by an unknown authority (set AWS_CA_BUNDLE to a file with your CA's certificates)"},
		{"other transport error", sdkErr("list streams", sendErr("http://127.0.0.1:1/", errors.New("weird\nfailure"))),
			"list streams: cannot reach http://127.0.0.1:1: weird failure"},
		{"interrupted", fmt.Errorf("tail: %w", context.Canceled), "interrupted"},
		{"credentials", errors.New("get credentials: failed to refresh cached credentials, no EC2 IMDS role found"),
			"no AWS credentials found: set AWS_PROFILE (or pass --profile), export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`; `kinspect demo` needs no AWS"},
		{"ours, on two lines", errors.New("split: bad\n  key"), "split: bad key"},
	} {
		if got := Error(tt.err); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// tlsErr wraps a certificate error as crypto/tls does.
type tlsErr struct{ err error }

func (e *tlsErr) Error() string { return "tls: failed to verify certificate: " + e.err.Error() }
func (e *tlsErr) Unwrap() error { return e.err }

// An HTTP answer the SDK could not read as Kinesis's says so, in one line.
func TestErrorNotAKinesisAnswer(t *testing.T) {
	resp := &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 502}},
		Err:      &smithy.DeserializationError{Err: errors.New("invalid character '<' looking for beginning of value")},
	}
	got := Error(sdkErr("list streams", resp))
	want := "list streams: the endpoint answered HTTP 502, not as Kinesis does (invalid character '<' looking for beginning of value); check --endpoint-url"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}
