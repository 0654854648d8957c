package testenv

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/kinspect/kinspect/kinesisx"
)

// Region is the region every test client uses; kinesis-mock's default
// account lives there.
const Region = "us-east-1"

// KinesisClient returns a real *kinesis.Client for endpoint (an http:// or
// https:// base URL): static credentials, region us-east-1, HTTPClient
// kinesisx.NewHTTPClient(), and the SDK's standard retryer made fast for
// tests (3 attempts, backoff at most 200 ms, no client-side retry quota, so
// fault-injection tests do not run out of retry tokens). optFns are applied
// last; pass one that sets RetryMaxAttempts to 1 to see every error.
func KinesisClient(t testing.TB, endpoint string, optFns ...func(*kinesis.Options)) *kinesis.Client {
	t.Helper()
	if err := checkEndpoint(endpoint); err != nil {
		t.Fatalf("testenv.KinesisClient: %v", err)
	}
	return newKinesisClient(endpoint, testHTTPClient(t), nil, optFns...)
}

// testHTTPClient is kinspect's HTTP client (kinesisx.WrapHTTPClient) over
// a transport of the test's own, whose idle keep-alive connections are
// closed when the test ends, so that goleak sees none of their goroutines.
func testHTTPClient(t testing.TB) kinesisx.HTTPDoer {
	tr := awshttp.NewBuildableClient().GetTransport() // the SDK's defaults, a transport of our own
	t.Cleanup(tr.CloseIdleConnections)
	return kinesisx.WrapHTTPClient(&http.Client{Transport: tr})
}

// CloudWatchClient returns a real *cloudwatch.Client for endpoint, set up
// like KinesisClient.
func CloudWatchClient(t testing.TB, endpoint string, optFns ...func(*cloudwatch.Options)) *cloudwatch.Client {
	t.Helper()
	if err := checkEndpoint(endpoint); err != nil {
		t.Fatalf("testenv.CloudWatchClient: %v", err)
	}
	return cloudwatch.New(cloudwatch.Options{
		Region:       Region,
		Credentials:  testCredentials(),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   testHTTPClient(t),
		Retryer:      testRetryer(),
	}, optFns...)
}

// newKinesisClient builds a client over hc with the given middleware; the
// readiness probe of the mock server, which has no testing.TB, passes
// closeConnection.
func newKinesisClient(endpoint string, hc kinesis.HTTPClient, apiOptions []func(*middleware.Stack) error, optFns ...func(*kinesis.Options)) *kinesis.Client {
	return kinesis.New(kinesis.Options{
		Region:       Region,
		Credentials:  testCredentials(),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   hc,
		Retryer:      testRetryer(),
		APIOptions:   apiOptions,
	}, optFns...)
}

func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint %q: want an http:// or https:// URL with a host", endpoint)
	}
	return nil
}

func testCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIDKINSPECTTEST", "kinspect-test-secret", "")
}

func testRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.MaxBackoff = 200 * time.Millisecond
		o.RateLimiter = ratelimit.None
	})
}

// closeConnection marks every request "Connection: close", for the few
// probe calls made without a testing.TB to clean up after. It runs after
// signing, so the signature does not cover it.
func closeConnection(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("KinspectTestConnectionClose",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				req.Close = true
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}
