package cwserver

import (
	"fmt"
	"net/http"

	"github.com/aws/smithy-go/encoding/cbor"
)

// apiError is an error reported to the client as CloudWatch does in RPC v2
// CBOR: a CBOR body {"__type", "message"} and, because CloudWatch is
// "query compatible", the old query-protocol code in X-Amzn-Query-Error.
type apiError struct {
	status    int
	code      string // the __type
	queryCode string // "" for none
	fault     string // Sender or Receiver
	msg       string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

// errValidation is CloudWatch's generic input error (query code
// ValidationError), e.g. more than 500 queries or a bad Id.
func errValidation(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ValidationError", queryCode: "ValidationError",
		fault: "Sender", msg: fmt.Sprintf(format, a...)}
}

// errSerialization answers a body that is not the CBOR the operation takes.
func errSerialization(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "SerializationException", msg: fmt.Sprintf(format, a...)}
}

// errNextToken is the modelled InvalidNextToken error of GetMetricData.
func errNextToken(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "com.amazonaws.cloudwatch#InvalidNextToken",
		queryCode: "InvalidNextToken", fault: "Sender", msg: fmt.Sprintf(format, a...)}
}

func errInternal(msg string) *apiError {
	return &apiError{status: http.StatusInternalServerError, code: "com.amazonaws.cloudwatch#InternalServiceFault",
		queryCode: "InternalServiceError", fault: "Receiver", msg: msg}
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.queryCode != "" {
		w.Header().Set("X-Amzn-Query-Error", e.queryCode+";"+e.fault)
	}
	writeCBOR(w, e.status, cbor.Map{"__type": cbor.String(e.code), "message": cbor.String(e.msg)})
}
