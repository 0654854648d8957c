package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/logging"
	"golang.org/x/term"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
)

// Globals are the flags every command takes.
type Globals struct {
	Profile     string
	Region      string
	EndpointURL string
	ReadOnly    bool
	NoColor     bool
	// ProtoDescriptor and ProtoMessage decode payloads as a protobuf
	// message type from a descriptor set.
	ProtoDescriptor string
	ProtoMessage    string
}

// Factory carries what commands need: the global flags, the standard
// streams and lazily built AWS clients. Tests build one over buffers.
type Factory struct {
	Globals
	Stdio
	// IsTerminal reports whether stdin is a terminal (confirmation prompts).
	IsTerminal func() bool

	commands []func(*Factory) *cobraCommand

	// CallLog records every API call the clients make (the TUI's :log).
	CallLog *calllog.Log
	// Endpoints are service endpoints the program sets itself (the demo's
	// moto), by the SDK's service ID as in AWS_ENDPOINT_URL_<ID>: DYNAMODB,
	// LAMBDA. One counts as that variable would, without changing the
	// process's environment.
	Endpoints map[string]string

	once    sync.Once
	awsCfg  aws.Config
	cfgErr  error
	kinesis *kinesis.Client
	cw      *cloudwatch.Client
	dynamo  *dynamodb.Client
	lambda  *lambda.Client
	client  *kinesisx.Client
}

func newFactory(stdio Stdio) *Factory {
	f := &Factory{Stdio: stdio, CallLog: calllog.New(1000)}
	f.IsTerminal = func() bool {
		file, ok := stdio.In.(*os.File)
		return ok && term.IsTerminal(int(file.Fd()))
	}
	f.commands = allCommands()
	return f
}

// AWSConfig loads the AWS configuration once, as DESIGN.md §3 says: the
// default chain, a profile only when --profile is given (a profile makes the
// SDK ignore AWS_ACCESS_KEY_ID), a buildable HTTP client (AWS_CA_BUNDLE
// works with it), and for a loopback endpoint dummy credentials and no IMDS.
func (f *Factory) AWSConfig(ctx context.Context) (aws.Config, error) {
	f.once.Do(func() { f.awsCfg, f.cfgErr = f.loadAWS(ctx) })
	return f.awsCfg, f.cfgErr
}

func (f *Factory) loadAWS(ctx context.Context) (aws.Config, error) {
	if err := checkEndpointURL(f.EndpointURL); err != nil {
		return aws.Config{}, err
	}
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(awshttp.NewBuildableClient()),
		// The SDK's default logger writes warnings to stderr: into the
		// TUI's screen, and after the CLI's one-line errors. kinspect says
		// what went wrong itself; the calls are in the call log (:log).
		config.WithLogger(logging.Nop{}),
	}
	if f.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.Profile))
	}
	if f.Region != "" {
		opts = append(opts, config.WithRegion(f.Region))
	}
	local := kinesisx.IsLoopbackEndpoint(f.kinesisEndpoint())
	if local {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if local {
		if cfg.Region == "" {
			cfg.Region = "us-east-1"
		}
		if !hasEnvCredentials() && f.Profile == "" {
			cfg.Credentials = credentials.NewStaticCredentialsProvider("kinspect", "kinspect", "")
		}
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("no AWS region: pass --region, set AWS_REGION, or choose a profile with one (or try `kinspect demo`, which needs no AWS)")
	}
	return cfg, nil
}

func hasEnvCredentials() bool {
	return os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_PROFILE") != ""
}

// kinesisEndpoint is --endpoint-url, else AWS_ENDPOINT_URL_KINESIS, else
// AWS_ENDPOINT_URL (the SDK reads the variables itself; this is for the
// loopback check and the status line).
func (f *Factory) kinesisEndpoint() string {
	for _, v := range []string{f.EndpointURL, os.Getenv("AWS_ENDPOINT_URL_KINESIS"), os.Getenv("AWS_ENDPOINT_URL")} {
		if v != "" {
			return v
		}
	}
	return ""
}

// Kinesis returns the SDK Kinesis client.
func (f *Factory) Kinesis(ctx context.Context) (*kinesis.Client, error) {
	cfg, err := f.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	if f.kinesis == nil {
		f.kinesis = kinesis.NewFromConfig(cfg, func(o *kinesis.Options) {
			if f.EndpointURL != "" {
				o.BaseEndpoint = aws.String(f.EndpointURL)
			}
			// The configuration's client carries AWS_CA_BUNDLE.
			o.HTTPClient = kinesisx.WrapHTTPClient(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, calllog.Middleware(f.CallLog))
		})
	}
	return f.kinesis, nil
}

// CloudWatch returns the SDK CloudWatch client.
func (f *Factory) CloudWatch(ctx context.Context) (*cloudwatch.Client, error) {
	cfg, err := f.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	if f.cw == nil {
		f.cw = cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
			if f.EndpointURL != "" {
				o.BaseEndpoint = aws.String(f.EndpointURL)
			}
			o.HTTPClient = kinesisx.SafeRequestBody(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, calllog.Middleware(f.CallLog))
		})
	}
	return f.cw, nil
}

// errNoServiceEndpoint says that a service has no endpoint next to a local
// Kinesis one (see serviceAvailable).
var errNoServiceEndpoint = errors.New("not served by a local Kinesis endpoint")

// serviceAvailable decides whether kinspect may call service (its SDK ID
// upper-cased, as in AWS_ENDPOINT_URL_<ID>) at all. --endpoint-url names
// the Kinesis (and CloudWatch) endpoint only. When that endpoint, or
// AWS_ENDPOINT_URL_KINESIS, is a loopback one (kinspect local, kinesis-mock),
// the service is reachable only through an endpoint of its own,
// AWS_ENDPOINT_URL_<ID> or AWS_ENDPOINT_URL, which the SDK reads: sending
// it to AWS instead, with the dummy credentials a local endpoint gets,
// would fail in a confusing way or read another world than the stream's.
// A Kinesis endpoint that is not loopback (a VPC endpoint, a proxy) leaves
// the service on AWS with the same configuration.
func (f *Factory) serviceAvailable(service, name, purpose string) error {
	kep := f.kinesisEndpoint()
	if !kinesisx.IsLoopbackEndpoint(kep) || f.Endpoints[service] != "" || os.Getenv("AWS_ENDPOINT_URL_"+service) != "" || os.Getenv("AWS_ENDPOINT_URL") != "" {
		return nil
	}
	return fmt.Errorf("%s unavailable: the Kinesis endpoint %s is local and %s has none of its own (%w); "+
		"set AWS_ENDPOINT_URL_%s to one (moto_server serves it) to read %s", name, kep, name, errNoServiceEndpoint, service, purpose)
}

// serviceConfig is the AWS configuration for a service other than Kinesis
// and CloudWatch, once serviceAvailable allows it.
func (f *Factory) serviceConfig(ctx context.Context, service, name, purpose string) (aws.Config, error) {
	if err := f.serviceAvailable(service, name, purpose); err != nil {
		return aws.Config{}, err
	}
	return f.AWSConfig(ctx)
}

// DynamoDB returns the SDK DynamoDB client (KCL lease tables), or an
// error wrapping errNoServiceEndpoint when it has no endpoint.
func (f *Factory) DynamoDB(ctx context.Context) (*dynamodb.Client, error) {
	cfg, err := f.serviceConfig(ctx, "DYNAMODB", "DynamoDB", "KCL lease tables")
	if err != nil {
		return nil, err
	}
	if f.dynamo == nil {
		f.dynamo = dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
			if url := f.Endpoints["DYNAMODB"]; url != "" {
				o.BaseEndpoint = aws.String(url)
			}
			o.HTTPClient = kinesisx.SafeRequestBody(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, calllog.Middleware(f.CallLog))
		})
	}
	return f.dynamo, nil
}

// Lambda returns the SDK Lambda client (event source mappings), or an
// error wrapping errNoServiceEndpoint when it has no endpoint.
func (f *Factory) Lambda(ctx context.Context) (*lambda.Client, error) {
	cfg, err := f.serviceConfig(ctx, "LAMBDA", "Lambda", "event source mappings")
	if err != nil {
		return nil, err
	}
	if f.lambda == nil {
		f.lambda = lambda.NewFromConfig(cfg, func(o *lambda.Options) {
			if url := f.Endpoints["LAMBDA"]; url != "" {
				o.BaseEndpoint = aws.String(url)
			}
			o.HTTPClient = kinesisx.SafeRequestBody(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, calllog.Middleware(f.CallLog))
		})
	}
	return f.lambda, nil
}

// Client returns kinspect's Kinesis client, read-only if asked. It is
// built once, so that every EFO consumer the process registers is known to
// one registry and deregistered on the way out.
func (f *Factory) Client(ctx context.Context) (*kinesisx.Client, error) {
	if f.client != nil {
		return f.client, nil
	}
	k, err := f.Kinesis(ctx)
	if err != nil {
		return nil, err
	}
	f.client = kinesisx.New(k, kinesisx.WithGuard(f.Guard()))
	return f.client, nil
}

// EndpointLabel names where kinspect talks to, for status lines.
func (f *Factory) EndpointLabel() string {
	if e := f.kinesisEndpoint(); e != "" {
		return e
	}
	return "AWS"
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// streamAndShards describes a stream and lists its shards, open and
// closed, with kinspect's client: what the commands that report on every
// shard (metrics, lag) start from.
func (f *Factory) streamAndShards(ctx context.Context, stream string) (*kinesisx.Client, kinesisx.Stream, []kinesisx.Shard, error) {
	kc, err := f.Client(ctx)
	if err != nil {
		return nil, kinesisx.Stream{}, nil, err
	}
	st, err := kc.DescribeStream(ctx, stream)
	if err != nil {
		return nil, kinesisx.Stream{}, nil, err
	}
	shards, err := kc.ListShards(ctx, stream)
	if err != nil {
		return nil, kinesisx.Stream{}, nil, err
	}
	return kc, st, shards, nil
}
