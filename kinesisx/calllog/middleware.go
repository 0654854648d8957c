package calllog

import (
	"context"
	"errors"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// middlewareID names the middleware in the SDK's stack.
const middlewareID = "KinspectCallLog"

// Middleware returns an SDK API option that logs every call made through
// the client to log. It sits first in the Initialize step, so Latency
// covers the whole operation, retries and backoff included, and it sees
// the input as the caller passed it.
//
//	kinesis.NewFromConfig(cfg, func(o *kinesis.Options) {
//		o.APIOptions = append(o.APIOptions, calllog.Middleware(log))
//	})
func Middleware(log *Log) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(middlewareID,
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				start := log.now()
				out, md, err := next.HandleInitialize(ctx, in)
				e := describe(in.Parameters)
				e.Time = start
				e.Latency = log.now().Sub(start)
				e.Service = middleware.GetServiceID(ctx)
				e.Operation = middleware.GetOperationName(ctx)
				e.Attempts = 1
				if r, ok := retry.GetAttemptResults(md); ok && len(r.Results) > 0 {
					e.Attempts = len(r.Results)
				}
				e.Outcome, e.Message = outcome(err)
				log.Add(e)
				return out, md, err
			}), middleware.Before)
	}
}

// outcome names how a call ended.
func outcome(err error) (code, message string) {
	if err == nil {
		return OutcomeOK, ""
	}
	var api smithy.APIError
	switch {
	case errors.As(err, &api):
		return api.ErrorCode(), api.ErrorMessage()
	case errors.Is(err, context.Canceled):
		return "Canceled", ""
	case errors.Is(err, context.DeadlineExceeded):
		return "DeadlineExceeded", ""
	}
	return "Error", err.Error()
}

// describe fills the stream, shard, consumer and, for mutations, the
// equivalent command, from an operation's input.
func describe(params any) Entry {
	var e Entry
	e.Stream = firstField(params, "StreamName", "StreamARN")
	e.Consumer = firstField(params, "ConsumerARN", "ConsumerName")
	var shards []string
	for _, f := range []string{"ShardId", "ShardToSplit", "ShardToMerge", "AdjacentShardToMerge"} {
		if s := firstField(params, f); s != "" {
			shards = append(shards, s)
		}
	}
	e.Shard = strings.Join(shards, " ")
	e.Command, e.Mutation = command(params)
	return e
}

// firstField returns the first of the named string fields the input struct
// has set (the SDK's inputs use *string).
func firstField(params any, names ...string) string {
	v := reflect.ValueOf(params)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for _, n := range names {
		f := v.FieldByName(n)
		switch {
		case !f.IsValid():
		case f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String:
			return f.Elem().String()
		case f.Kind() == reflect.String && f.String() != "":
			return f.String()
		}
	}
	return ""
}
