package local

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"strconv"
	"sync"
)

// answerChunk is how much of a GetRecords answer is encoded before it is
// written to the connection.
const answerChunk = 256 << 10

// chunkPool holds the buffers GetRecords answers are encoded into.
type chunkPool struct{ p sync.Pool }

func (c *chunkPool) get() *[]byte {
	if b, ok := c.p.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, answerChunk+answerChunk/4)
	return &b
}

func (c *chunkPool) put(b *[]byte) {
	*b = (*b)[:0]
	c.p.Put(b)
}

// getRecordsAnswer is a GetRecords response, the endpoint's largest (up to
// 10 MiB of records, about 14 MiB of JSON) and the hot path of every
// reader. It is encoded by hand a chunk at a time into a pooled buffer and
// written to the connection as it goes, so the answer is never held in
// memory whole; its exact length is known beforehand for Content-Length.
type getRecordsAnswer struct {
	sh     *shard
	r      readResult
	next   string // NextShardIterator ("" at a closed shard's end)
	chunks *chunkPool
}

// size is the exact length of the encoded answer.
func (a *getRecordsAnswer) size() int {
	var scratch [64]byte
	n := len(`{"Records":[`) + len(`],"MillisBehindLatest":`) + len(strconv.AppendInt(scratch[:0], a.r.behind, 10)) + len(`}`)
	for i := range a.r.recs {
		n += recordJSONLen(&a.r.recs[i], i > 0, encryptedAt(a.r.encLog, a.r.recs[i].seq))
	}
	if a.next != "" {
		n += len(`,"NextShardIterator":""`) + len(a.next)
	}
	if a.r.end {
		n += len(appendChildren(nil, a.r.children))
	}
	return n
}

// writeBody writes the answer to w.
func (a *getRecordsAnswer) writeBody(w io.Writer) error {
	bp := a.chunks.get()
	defer a.chunks.put(bp)
	b := append((*bp)[:0], `{"Records":[`...)
	for i := range a.r.recs {
		b = appendRecordJSON(b, a.sh, &a.r.recs[i], i > 0, encryptedAt(a.r.encLog, a.r.recs[i].seq))
		if len(b) >= answerChunk {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `],"MillisBehindLatest":`...)
	b = strconv.AppendInt(b, a.r.behind, 10)
	if a.next != "" {
		b = append(b, `,"NextShardIterator":"`...)
		b = append(b, a.next...)
		b = append(b, '"')
	}
	if a.r.end {
		b = appendChildren(b, a.r.children)
	}
	b = append(b, '}')
	_, err := w.Write(b)
	*bp = b
	return err
}

// Fixed parts of a record's JSON (appendRecordJSON).
const recordJSONFixed = len(`{"SequenceNumber":""`) + seqLen + len(`,"ApproximateArrivalTimestamp":`) +
	len(`,"Data":""`) + len(`,"PartitionKey":`) + len(`,"EncryptionType":"NONE"}`)

// recordJSONLen is the length appendRecordJSON adds for rec.
func recordJSONLen(rec *record, comma, kms bool) int {
	var scratch [32]byte
	n := recordJSONFixed + len(appendEpochMillis(scratch[:0], rec.arrival)) +
		base64.StdEncoding.EncodedLen(len(rec.data)) + jsonStringLen(rec.key)
	if comma {
		n++
	}
	if kms {
		n-- // "KMS" for "NONE"
	}
	return n
}

// jsonStringLen is the length appendJSONString adds for s.
func jsonStringLen(s string) int {
	if plainJSON(s) {
		return len(s) + 2
	}
	return len(appendJSONString(nil, s))
}

// plainJSON reports whether s goes into a JSON string as it is.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendRecordJSON appends rec as the JSON of a Kinesis Record; kms says
// it was written while server-side encryption was on.
func appendRecordJSON(b []byte, sh *shard, rec *record, comma, kms bool) []byte {
	if comma {
		b = append(b, ',')
	}
	b = append(b, `{"SequenceNumber":"`...)
	b = appendSeq(b, sh.prefix, rec.seq)
	b = append(b, `","ApproximateArrivalTimestamp":`...)
	b = appendEpochMillis(b, rec.arrival)
	b = append(b, `,"Data":"`...)
	b = base64.StdEncoding.AppendEncode(b, rec.data)
	b = append(b, `","PartitionKey":`...)
	b = appendJSONString(b, rec.key)
	if kms {
		return append(b, `,"EncryptionType":"KMS"}`...)
	}
	return append(b, `,"EncryptionType":"NONE"}`...)
}

func appendChildren(b []byte, children []childShard) []byte {
	b = append(b, `,"ChildShards":`...)
	cj, _ := json.Marshal(children)
	if children == nil {
		cj = []byte("[]")
	}
	return append(b, cj...)
}

// appendJSONString appends s as a JSON string, quickly for plain ASCII.
func appendJSONString(b []byte, s string) []byte {
	if !plainJSON(s) {
		q, _ := json.Marshal(s)
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
