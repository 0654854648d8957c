package cwserver

import (
	"fmt"
	"net/http"
	"strings"

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

// errParam is InvalidParameterValueException (query code
// InvalidParameterValue) of GetMetricStatistics and ListMetrics.
func errParam(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "com.amazonaws.cloudwatch#InvalidParameterValueException",
		queryCode: "InvalidParameterValue", fault: "Sender", msg: fmt.Sprintf(format, a...)}
}

// errMissing is MissingRequiredParameterException (MissingParameter).
func errMissing(param string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "com.amazonaws.cloudwatch#MissingRequiredParameterException",
		queryCode: "MissingParameter", fault: "Sender", msg: "The parameter " + param + " is required."}
}

// errCombination is InvalidParameterCombinationException
// (InvalidParameterCombination).
func errCombination(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "com.amazonaws.cloudwatch#InvalidParameterCombinationException",
		queryCode: "InvalidParameterCombination", fault: "Sender", msg: fmt.Sprintf(format, a...)}
}

// errMalformedQuery answers a Query-protocol form that cannot be read.
func errMalformedQuery(format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "MalformedQueryString", queryCode: "MalformedQueryString",
		fault: "Sender", msg: fmt.Sprintf(format, a...)}
}

// errUnsupported answers an operation this endpoint does not serve, as
// CloudWatch answers one it does not have: UnknownOperationException in
// RPC v2 CBOR (404) and JSON 1.0, InvalidAction in the Query protocol.
func errUnsupported(p protocol, op string) *apiError {
	msg := "kinspect's local endpoint serves CloudWatch's GetMetricData, GetMetricStatistics and ListMetrics (namespace AWS/Kinesis), not " + op
	if op == "" {
		msg = "no operation given (Action); " + msg[:strings.Index(msg, ", not")]
	}
	switch p {
	case protoCBOR:
		return &apiError{status: http.StatusNotFound, code: "UnknownOperationException", msg: msg}
	case protoJSON:
		return &apiError{status: http.StatusBadRequest, code: "com.amazon.coral.service#UnknownOperationException", msg: msg}
	}
	return &apiError{status: http.StatusBadRequest, code: "InvalidAction", queryCode: "InvalidAction", fault: "Sender",
		msg: "The action " + op + " is not valid for this web service: " + msg}
}
