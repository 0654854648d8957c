package metrics

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ErrNoCloudWatch is what Stream returns (wrapped, with the endpoint's
// address and status) when the endpoint answers GetMetricData with
// something that is not CloudWatch: kinesis-mock, moto's Kinesis port, a
// Kinesis-only server. The SDK's own error there is a CBOR decoder's
// ("unexpected minor value 28"), which says nothing to a person.
var ErrNoCloudWatch = errors.New("does not serve CloudWatch GetMetricData")

// notCloudWatch turns the SDK's error for an answer that is not
// CloudWatch's into one that says so; any other error comes back as it is.
// An answer is not CloudWatch's when the SDK could not read it as
// CloudWatch's (no service error code, or UnknownError), with a status CloudWatch never
// sends for a well-formed request (404, 405, 501), or when its body could
// not be decoded at all.
func notCloudWatch(err error) error {
	// The SDK names an error without a code UnknownError.
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "UnknownError" {
		return err
	}
	var resp *smithyhttp.ResponseError
	if !errors.As(err, &resp) {
		return err
	}
	var deser *smithy.DeserializationError
	switch status := resp.HTTPStatusCode(); {
	case status == http.StatusNotFound, status == http.StatusMethodNotAllowed, status == http.StatusNotImplemented,
		errors.As(err, &deser):
		where := "the endpoint"
		if r := resp.Response; r != nil && r.Request != nil && r.Request.URL != nil {
			where = r.Request.URL.Scheme + "://" + r.Request.URL.Host
		}
		return fmt.Errorf("%s %w (it answered HTTP %d, not as CloudWatch does): no metrics there; "+
			"kinesis-mock and moto's Kinesis do not serve it, `kinspect local` does", where, ErrNoCloudWatch, status)
	}
	return err
}
