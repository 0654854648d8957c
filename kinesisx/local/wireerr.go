package local

import (
	"errors"
	"fmt"
)

// The wire errors: what the client is told, as AWS tells it (an HTTP
// status, an exception type, a message). The protocol layer makes them for
// malformed requests; the store's errors (storeerr.go) become them in
// wireError, the one place that names an exception for a store error.

// apiError is an error the endpoint reports to the client as AWS does.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func newErr(status int, code, format string, a ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, a...)}
}

func errNotFound(format string, a ...any) *apiError {
	return newErr(400, "ResourceNotFoundException", format, a...)
}
func errInUse(format string, a ...any) *apiError {
	return newErr(400, "ResourceInUseException", format, a...)
}
func errInvalid(format string, a ...any) *apiError {
	return newErr(400, "InvalidArgumentException", format, a...)
}
func errValidation(format string, a ...any) *apiError {
	return newErr(400, "ValidationException", format, a...)
}
func errLimit(format string, a ...any) *apiError {
	return newErr(400, "LimitExceededException", format, a...)
}
func errThroughput(format string, a ...any) *apiError {
	return newErr(400, "ProvisionedThroughputExceededException", format, a...)
}
func errInternal(format string, a ...any) *apiError {
	return newErr(500, "InternalFailure", format, a...)
}

// wireError is err as the client is told it: a wire error as it is, a
// store error by its kind, anything else an InternalFailure.
func wireError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var se *storeError
	if !errors.As(err, &se) {
		return errInternal("%v", err)
	}
	code := map[errKind]string{
		kindNotFound:        "ResourceNotFoundException",
		kindInUse:           "ResourceInUseException",
		kindInvalid:         "InvalidArgumentException",
		kindLimit:           "LimitExceededException",
		kindThrottled:       "ProvisionedThroughputExceededException",
		kindProvisionedOnly: "ValidationException", // botocore: "a data stream with the on-demand capacity mode"
		kindBadValue:        "ValidationException",
	}[se.kind]
	if code == "" { // kindInternal
		return errInternal("%s", se.msg)
	}
	return &apiError{status: 400, code: code, msg: se.msg}
}
