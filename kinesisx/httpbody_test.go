package kinesisx_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/kinspect/kinspect/kinesisx"
)

// sdkBody behaves as smithy-go's request body does at the moment the SDK
// closes it: once its bytes are read, the next Read (or a WriteTo) does not
// return until Close, and then ends with io.EOF. smithy-go closes the body
// as soon as the response headers arrive, which can be while net/http is
// still checking the body for bytes beyond its Content-Length; this makes
// that moment certain instead of rare.
type sdkBody struct {
	r      *bytes.Reader
	once   sync.Once
	closed chan struct{}
}

func newSDKBody(b []byte) *sdkBody {
	return &sdkBody{r: bytes.NewReader(b), closed: make(chan struct{})}
}

func (b *sdkBody) Read(p []byte) (int, error) {
	if b.r.Len() > 0 {
		return b.r.Read(p)
	}
	<-b.closed
	return 0, io.EOF
}

func (b *sdkBody) WriteTo(w io.Writer) (int64, error) {
	if b.r.Len() > 0 {
		return b.r.WriteTo(w)
	}
	<-b.closed
	return 0, io.EOF // what smithy-go's closed body answers
}

func (b *sdkBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// A 200 answer survives the SDK closing the request body under net/http:
// the response is read in full over a connection that stays open.
func TestSafeRequestBodyKeepsTheAnswer(t *testing.T) {
	reqClosed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			t.Errorf("server read: %v", err)
		}
		io.WriteString(w, `{"FailedRecordCount":`)
		w.(http.Flusher).Flush()
		<-reqClosed
		// Give a client that reacts to the close (by closing the
		// connection, as net/http does without the fix) time to do so.
		time.Sleep(100 * time.Millisecond)
		io.WriteString(w, `0}`)
	}))
	defer srv.Close()

	// More than net/http's 4 KiB write buffer, so the whole body reaches
	// the server before net/http looks for extra bytes.
	payload := bytes.Repeat([]byte("x"), 64<<10)
	body := newSDKBody(payload)
	req, err := http.NewRequest(http.MethodPost, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Body, req.ContentLength = body, int64(len(payload))

	client := kinesisx.SafeRequestBody(awshttp.NewBuildableClient())
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body.Close() // as smithy-go's ClientHandler does after Do
	close(reqClosed)
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the 200 answer: %v", err)
	}
	if string(got) != `{"FailedRecordCount":0}` {
		t.Fatalf("answer %q", got)
	}
}
