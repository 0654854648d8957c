package lag

import (
	"errors"
	"fmt"

	"github.com/aws/smithy-go"
)

// ErrUnavailable marks a service kinspect has no endpoint for (a Reader
// built without its client).
var ErrUnavailable = errors.New("unavailable")

// PermissionError is an access-denied answer, with the IAM action that
// was refused.
type PermissionError struct {
	Action   string // e.g. dynamodb:Scan
	Resource string // e.g. the table; may be empty
	Err      error
}

func (e *PermissionError) Error() string {
	on := ""
	if e.Resource != "" {
		on = " on " + e.Resource
	}
	return fmt.Sprintf("no permission for %s%s: grant it to read consumer lag", e.Action, on)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// deniedCodes are the error codes AWS services answer a refused action with.
var deniedCodes = map[string]bool{
	"AccessDeniedException": true, "AccessDenied": true, "UnauthorizedOperation": true,
	"UnrecognizedClientException": false, // bad credentials, not a missing permission
}

// denied wraps err as a PermissionError when the service refused action.
func denied(err error, action, resource string) error {
	var api smithy.APIError
	if errors.As(err, &api) && deniedCodes[api.ErrorCode()] {
		return &PermissionError{Action: action, Resource: resource, Err: err}
	}
	return err
}
