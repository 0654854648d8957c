package local

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"
)

const (
	efoMaxEventBytes = 1 << 20
	efoIdleInterval  = time.Second
)

// subscribeGap is how soon after a successful SubscribeToShard the same
// consumer and shard may subscribe again (KINESIS.md §1, EFO).
const subscribeGap = 5 * time.Second

// sessions tracks the live SubscribeToShard sessions by consumer and shard,
// so a second subscription is refused while one is young, takes over an
// older one, and Close can wait for them.
type sessions struct {
	mu    sync.Mutex
	byKey map[string]*session
	// left holds, by key, the start of a recent session its client ended:
	// the same consumer and shard may not subscribe again within
	// subscribeGap of it. A session the endpoint ended (its lifetime, the
	// shard's end, a fault) leaves nothing, so the client resubscribes at
	// once.
	left map[string]time.Time
	wg   sync.WaitGroup
}

// session is one SubscribeToShard response in progress.
type session struct {
	stop    chan struct{}
	once    sync.Once
	reason  error // why it was stopped; read after stop is closed
	started time.Time
}

func newSessions() *sessions {
	return &sessions{byKey: map[string]*session{}, left: map[string]time.Time{}}
}

// begin opens a session for key at now, or gives the ResourceInUseException
// AWS gives within subscribeGap of the last one. A session open for longer
// is taken over: it ends with a ResourceInUseException, as AWS ends it.
func (ss *sessions) begin(key string, now time.Time) (*session, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if old := ss.byKey[key]; old != nil {
		if now.Sub(old.started) < subscribeGap {
			return nil, errInUse("Another active subscription exists for this consumer and shard (%s).", key)
		}
		old.end(errInUse("A newer subscription of this consumer and shard (%s) took over this one.", key))
	}
	if at, ok := ss.left[key]; ok && now.Sub(at) < subscribeGap {
		return nil, errInUse("Subscribe to this consumer and shard (%s) again at least %s after the previous subscription.", key, subscribeGap)
	}
	delete(ss.left, key)
	sess := &session{stop: make(chan struct{}), started: now}
	ss.byKey[key] = sess
	ss.wg.Add(1)
	return sess, nil
}

// finish closes sess; clientEnded says its client went away, which starts
// the gap before the next subscription.
func (ss *sessions) finish(key string, sess *session, clientEnded bool, now time.Time) {
	ss.mu.Lock()
	if ss.byKey[key] == sess {
		delete(ss.byKey, key)
		if clientEnded {
			for k, at := range ss.left {
				if now.Sub(at) >= subscribeGap {
					delete(ss.left, k)
				}
			}
			ss.left[key] = sess.started
		}
	}
	ss.mu.Unlock()
	ss.wg.Done()
}

// endPrefix stops every session whose key starts with prefix.
func (ss *sessions) endPrefix(prefix string, reason error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, sess := range ss.byKey {
		if strings.HasPrefix(k, prefix) {
			sess.end(reason)
		}
	}
}

func (ss *sessions) wait() { ss.wg.Wait() }

func (sess *session) end(reason error) {
	sess.once.Do(func() {
		sess.reason = reason
		close(sess.stop)
	})
}

type startingPosition struct {
	Type           string   `json:"Type"`
	SequenceNumber *string  `json:"SequenceNumber"`
	Timestamp      *float64 `json:"Timestamp"`
}

type subscribeInput struct {
	ConsumerARN      string            `json:"ConsumerARN"`
	ShardID          string            `json:"ShardId"`
	StartingPosition *startingPosition `json:"StartingPosition"`
}

func (s *Server) subscribeToShard(c *call) (any, error) {
	var in subscribeInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.StartingPosition == nil {
		return nil, errValidation("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null")
	}
	if in.ConsumerARN == "" {
		return nil, errValidation("1 validation error detected: Value null at 'consumerARN' failed to satisfy constraint: Member must not be null")
	}
	st, k, err := s.findConsumer(consumerInput{ConsumerARN: in.ConsumerARN}, c.now)
	if err != nil {
		return nil, err
	}
	status := st.consumerStatus(k, c.now)
	if status != "ACTIVE" {
		return nil, errInUse("Consumer %s is not ACTIVE, instead in state %s.", k.arn, status)
	}
	sh, err := st.shard(in.ShardID)
	if err != nil {
		return nil, err
	}
	sp := in.StartingPosition
	pos, minArrival, err := startPosition(sh, sp.Type, sp.SequenceNumber, sp.Timestamp)
	if err != nil {
		return nil, err
	}
	key := k.arn + "|" + sh.id
	sess, err := s.efo.begin(key, c.now)
	if err != nil {
		return nil, err
	}
	defer func() {
		s.efo.finish(key, sess, c.r.Context().Err() != nil && s.ctx.Err() == nil, s.opts.Now())
	}()
	(&efoSession{s: s, st: st, sh: sh, sess: sess, c: c, pos: pos, minArrival: minArrival}).run()
	return nil, nil
}

// efoSession streams one shard to one subscriber.
type efoSession struct {
	s          *Server
	st         *stream
	sh         *shard
	sess       *session
	c          *call
	pos        uint64
	minArrival int64
	enc        *eventstream.Encoder
	flusher    http.Flusher
	pace       *bucket // nil when limits are off
}

func (e *efoSession) run() {
	w := e.c.w
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	e.flusher, _ = w.(http.Flusher)
	e.enc = eventstream.NewEncoder()
	if !e.send("initial-response", []byte("{}")) {
		return
	}
	if e.s.opts.Limits {
		b := newBucket(efoBytesPerSec, efoBytesPerSec, e.s.opts.Now())
		e.pace = &b
	}
	lifetime := time.NewTimer(e.s.opts.SessionLifetime)
	defer lifetime.Stop()
	tick := time.NewTicker(efoIdleInterval)
	defer tick.Stop()
	force := true // the first event goes out at once, then one a second when idle
	for {
		wake := e.sh.wakeup()
		now := e.s.opts.Now()
		r := e.sh.read(e.pos, e.minArrival, maxGetRecordsLimit, efoMaxEventBytes, now, e.st.retention(), e.st)
		if len(r.recs) > 0 || r.end || force {
			force = false
			if !e.paceWait(r.bytes, lifetime.C) {
				return
			}
			if !e.event(r, now) {
				return
			}
			if e.c.resetAfterFirst {
				panic(http.ErrAbortHandler) // injected fault: drop the stream mid-session
			}
			if r.end {
				return
			}
			if r.behind > 0 {
				continue // more to send now
			}
		}
		select {
		case <-wake:
		case <-tick.C:
			force = true
		case <-lifetime.C:
			return // the session's lifetime is over: the stream ends cleanly
		case <-e.sess.stop:
			e.exception(e.sess.reason)
			return
		case <-e.s.ctx.Done():
			return
		case <-e.c.r.Context().Done():
			return
		}
	}
}

// paceWait holds the session at 2 MiB/s when limits are on: it waits
// until the budget covers n bytes, then spends them.
func (e *efoSession) paceWait(n int, lifetime <-chan time.Time) bool {
	if e.pace == nil || n == 0 {
		return true
	}
	for {
		now := e.s.opts.Now()
		if e.pace.take(float64(n), now) {
			return true
		}
		need := (float64(n) - e.pace.level) / e.pace.rate
		t := time.NewTimer(time.Duration(need * float64(time.Second)))
		select {
		case <-t.C:
			continue
		case <-lifetime:
		case <-e.sess.stop:
		case <-e.s.ctx.Done():
		case <-e.c.r.Context().Done():
		}
		t.Stop()
		return false
	}
}

// event sends a SubscribeToShardEvent for r and advances the position.
func (e *efoSession) event(r readResult, now time.Time) bool {
	size := 256
	for i := range r.recs {
		size += recordJSONLen(&r.recs[i], i > 0, encryptedAt(r.encLog, r.recs[i].seq))
	}
	b := make([]byte, 0, size)
	b = append(b, `{"Records":[`...)
	for i := range r.recs {
		b = appendRecordJSON(b, e.sh, &r.recs[i], i > 0, encryptedAt(r.encLog, r.recs[i].seq))
	}
	b = append(b, `],"MillisBehindLatest":`...)
	b = strconv.AppendInt(b, r.behind, 10)
	if r.end {
		b = appendChildren(b, r.children)
	} else {
		cont := max(r.next, e.sh.startSeq+1) - 1
		b = append(b, `,"ContinuationSequenceNumber":"`...)
		b = appendSeq(b, e.sh.prefix, cont)
		b = append(b, '"')
	}
	b = append(b, '}')
	if !e.send("SubscribeToShardEvent", b) {
		return false
	}
	e.pos = r.next
	if len(r.recs) > 0 {
		e.minArrival = 0
	}
	e.s.recordRead(e.st.name, e.sh.id, r, now, false)
	return true
}

func (e *efoSession) send(eventType string, payload []byte) bool {
	var m eventstream.Message
	m.Headers.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.EventMessageType))
	m.Headers.Set(eventstreamapi.EventTypeHeader, eventstream.StringValue(eventType))
	return e.writePayload(m, payload)
}

func (e *efoSession) exception(err error) {
	if err == nil {
		err = errInternal("the subscription ended")
	}
	reason := wireError(err)
	payload, _ := json.Marshal(map[string]string{"message": reason.msg})
	var m eventstream.Message
	m.Headers.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.ExceptionMessageType))
	m.Headers.Set(eventstreamapi.ExceptionTypeHeader, eventstream.StringValue(reason.code))
	e.writePayload(m, payload)
}

// writePayload sends m with a JSON payload, transcoded to CBOR for a CBOR
// client (whose SDK parses event payloads with the request's protocol).
func (e *efoSession) writePayload(m eventstream.Message, payload []byte) bool {
	contentType := "application/json"
	if e.c.cbor {
		b, err := jsonToCBOR(payload)
		if err != nil {
			return false
		}
		payload, contentType = b, cborType
	}
	m.Headers.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue(contentType))
	m.Payload = payload
	return e.write(m)
}

func (e *efoSession) write(m eventstream.Message) bool {
	if err := e.enc.Encode(e.c.w, m); err != nil {
		return false
	}
	if e.flusher != nil {
		e.flusher.Flush()
	}
	return true
}
