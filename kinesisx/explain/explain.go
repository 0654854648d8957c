// Package explain turns the errors kinspect meets (the SDK's, the
// network's, its own) into the one line a person can act on, for the
// command line and the TUI alike.
package explain

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/kinspect/kinspect/kinesisx"
)

// Error returns the one line a person can act on: kinspect's own context,
// then the service's error code and message, or why the endpoint could not
// be reached and what to try; never the SDK's request IDs, status codes or
// retry counts.
func Error(err error) string {
	return OneLine(explain(err))
}

func explain(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "no EC2 IMDS role found") || strings.Contains(msg, "get credentials"):
		return "no AWS credentials found: set AWS_PROFILE (or pass --profile), export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`; `kinspect demo` needs no AWS"
	}
	// Keep our own context (everything before the SDK's "operation error")
	// and the service's message or the network's reason; drop the SDK's
	// request IDs, status and retry count.
	prefix := msg
	if i := strings.Index(msg, "operation error"); i >= 0 {
		prefix = strings.TrimSuffix(strings.TrimSpace(msg[:i]), ":")
	}
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) {
		var service string
		if op := (*smithy.OperationError)(nil); errors.As(err, &op) {
			service = op.ServiceID
		}
		if prefix != "" {
			return prefix + ": " + sendError(send.Err, service)
		}
		return sendError(send.Err, service)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		// An error without the SDK's operation error (an event stream's
		// exception) holds the service's own text: say it once.
		if i := strings.Index(prefix, api.Error()); i >= 0 {
			prefix = strings.TrimSuffix(strings.TrimSpace(prefix[:i]), ":")
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
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		// An answer that is not a Kinesis one: a proxy's error page, a
		// plain HTTP server on an https URL, a connection cut mid-answer.
		text := fmt.Sprintf("the endpoint answered HTTP %d, not as Kinesis does (%s); check --endpoint-url", resp.HTTPStatusCode(), innermost(err))
		if prefix != "" {
			return prefix + ": " + text
		}
		return text
	}
	return msg
}

// sendError says why a request to service (the SDK's ServiceID, "" when
// unknown) could not be sent, and what to try.
func sendError(err error, service string) string {
	where := "the endpoint"
	loopback := false
	var uerr *url.Error
	if errors.As(err, &uerr) {
		if u, perr := url.Parse(uerr.URL); perr == nil && u.Host != "" {
			where = u.Scheme + "://" + u.Host
			loopback = kinesisx.IsLoopbackEndpoint(where)
		}
	}
	var (
		dns      *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		netErr   net.Error
	)
	reason, hint := "", ""
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "connection refused"
		switch {
		case !loopback:
		case service == "" || service == "Kinesis" || service == "CloudWatch":
			hint = "is the endpoint running? `kinspect local` starts one"
		default:
			// DynamoDB, Lambda: the built-in endpoint is not one of them.
			hint = "is " + service + " running there? `kinspect local` serves only Kinesis and CloudWatch"
		}
	case errors.As(err, &dns):
		reason, hint = "cannot resolve "+dns.Name, "check --endpoint-url and --region"
	case errors.As(err, &unknown):
		reason, hint = "its TLS certificate is signed by an unknown authority", "set AWS_CA_BUNDLE to a file with your CA's certificates"
	case errors.As(err, &hostname):
		reason = "its TLS certificate is not valid for " + hostname.Host
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		reason, hint = "it speaks plain HTTP", "use an http:// endpoint URL"
	case errors.As(err, &netErr) && netErr.Timeout():
		reason = "timed out"
	default:
		reason = innermost(err).Error()
	}
	s := "cannot reach " + where + ": " + reason
	if hint != "" {
		s += " (" + hint + ")"
	}
	return s
}

// innermost unwraps err to the error it wraps last.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// OneLine folds a message onto one line.
func OneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
