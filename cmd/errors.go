package cmd

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// explain turns an error into the one line a person can act on.
func explain(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "no EC2 IMDS role found") || strings.Contains(msg, "get credentials"):
		return "no AWS credentials found: set AWS_PROFILE (or pass --profile), export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`; `kinspect demo` needs no AWS"
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		// Keep our own context (everything before the SDK's "operation error")
		// and the service's message, drop the SDK's request IDs and status.
		prefix := msg
		if i := strings.Index(msg, "operation error"); i >= 0 {
			prefix = strings.TrimSuffix(strings.TrimSpace(msg[:i]), ":")
		}
		text := api.ErrorMessage()
		if text == "" {
			text = api.ErrorCode()
		} else {
			text = api.ErrorCode() + ": " + text
		}
		if api.ErrorCode() == "ResourceNotFoundException" && strings.HasPrefix(api.ErrorMessage(), "Stream ") {
			text += " (`kinspect ls` lists the streams of this account and region)"
		}
		if prefix != "" {
			return prefix + ": " + text
		}
		return text
	}
	return msg
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
