package kinesisx

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// HTTPDoer is what the SDK accepts as an HTTP client.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// NewHTTPClient returns the HTTP client kinspect gives the Kinesis SDK
// client when it has none to start from: the SDK's buildable client (HTTP/2
// is negotiated over TLS, which EFO needs) behind WrapHTTPClient.
func NewHTTPClient() HTTPDoer {
	return WrapHTTPClient(awshttp.NewBuildableClient())
}

// WrapHTTPClient puts kinspect's two repairs in front of an HTTP client
// (the SDK's, one with a custom CA bundle, an h2c client in tests):
// SafeRequestBody, and a shim that gives an event stream lacking the
// initial-response event one. kinesis-mock, and so LocalStack, omit that
// event and the SDK refuses the stream without it; AWS always sends it, so
// against AWS the shim only looks at the first frame.
func WrapHTTPClient(next HTTPDoer) HTTPDoer {
	return initialResponseShim{next: SafeRequestBody(next)}
}

// SafeRequestBody keeps a call that the server carried out from failing
// on the client. The SDK (smithy-go) closes a request's body as soon as the
// response arrives, and its closed body answers WriteTo with io.EOF.
// net/http may at that moment still be checking the body for bytes beyond
// its Content-Length, through WriteTo; it takes the io.EOF for a write
// error and closes the connection under the response the SDK is reading.
// The call then fails with "use of closed network connection" after a 200,
// and a PutRecords that landed is sent again. Hiding WriteTo makes net/http
// use Read, where a closed body reads as a clean end.
func SafeRequestBody(next HTTPDoer) HTTPDoer {
	return safeRequestBody{next: next}
}

type safeRequestBody struct {
	next HTTPDoer
}

func (s safeRequestBody) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = readCloser{req.Body}
	}
	return s.next.Do(req)
}

// readCloser is an io.ReadCloser and nothing more: no WriteTo.
type readCloser struct {
	io.ReadCloser
}

type initialResponseShim struct {
	next HTTPDoer
}

func (s initialResponseShim) Do(req *http.Request) (*http.Response, error) {
	resp, err := s.next.Do(req)
	if err != nil || resp == nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.amazon.eventstream") {
		return resp, nil
	}
	resp.Body = &peekedBody{body: resp.Body}
	return resp, nil
}

// peekedBody reads the first frame on the first Read and, if it is not an
// initial-response event, puts a synthetic one in front of it. It peeks
// lazily so that RoundTrip never blocks on the stream's first event.
type peekedBody struct {
	body io.ReadCloser
	once sync.Once
	r    io.Reader
}

func (p *peekedBody) Read(b []byte) (int, error) {
	p.once.Do(p.peek)
	return p.r.Read(b)
}

func (p *peekedBody) Close() error { return p.body.Close() }

func (p *peekedBody) peek() {
	var seen bytes.Buffer
	msg, err := eventstream.NewDecoder().Decode(io.TeeReader(p.body, &seen), nil)
	if err != nil {
		// Let the SDK see the same bytes and fail (or end) as it would.
		p.r = io.MultiReader(&seen, p.body)
		return
	}
	if v := msg.Headers.Get(eventstreamapi.EventTypeHeader); v != nil && v.String() == "initial-response" {
		p.r = io.MultiReader(&seen, p.body)
		return
	}
	var initial bytes.Buffer
	var m eventstream.Message
	m.Headers.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.EventMessageType))
	m.Headers.Set(eventstreamapi.EventTypeHeader, eventstream.StringValue("initial-response"))
	m.Headers.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue("application/x-amz-json-1.1"))
	m.Payload = []byte("{}")
	if err := eventstream.NewEncoder().Encode(&initial, m); err != nil {
		p.r = io.MultiReader(&seen, p.body)
		return
	}
	p.r = io.MultiReader(&initial, &seen, p.body)
}
