package local

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

type putEntry struct {
	Data            []byte  `json:"Data"`
	PartitionKey    *string `json:"PartitionKey"`
	ExplicitHashKey *string `json:"ExplicitHashKey"`
}

type putRecordInput struct {
	putEntry
	StreamName                string  `json:"StreamName"`
	StreamARN                 string  `json:"StreamARN"`
	SequenceNumberForOrdering *string `json:"SequenceNumberForOrdering"`
}

type putRecordsInput struct {
	Records    []putEntry `json:"Records"`
	StreamName string     `json:"StreamName"`
	StreamARN  string     `json:"StreamARN"`
}

// putResult is what became of one record of a write, in the shape
// PutRecords answers it: the store fills SequenceNumber and ShardID, or err
// (a store error); nameErrors turns err into ErrorCode and ErrorMessage.
type putResult struct {
	SequenceNumber string `json:"SequenceNumber,omitempty"`
	ShardID        string `json:"ShardId,omitempty"`
	ErrorCode      string `json:"ErrorCode,omitempty"`
	ErrorMessage   string `json:"ErrorMessage,omitempty"`
	err            error
}

// nameErrors names the failures of res as AWS names them and counts
// them.
func nameErrors(res []putResult) (failed int) {
	for i := range res {
		if res[i].err != nil {
			ae := wireError(res[i].err)
			res[i].ErrorCode, res[i].ErrorMessage = ae.code, ae.msg
			failed++
		}
	}
	return failed
}

// entryField names a member of the i-th record of a PutRecords request as
// AWS's validation errors do (records.1.member.data), or of the record of a
// PutRecord when i is negative (data).
func entryField(i int, member string) string {
	if i < 0 {
		return member
	}
	return fmt.Sprintf("records.%d.member.%s", i+1, member)
}

// validateEntry checks one record against the API's schema and returns its
// hash key; i is its index in a PutRecords request, -1 for a PutRecord.
func validateEntry(e *putEntry, i int) (hashkey.Key, error) {
	if e.PartitionKey == nil {
		return hashkey.Key{}, errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", entryField(i, "partitionKey"))
	}
	if n := utf8.RuneCountInString(*e.PartitionKey); n < 1 || n > 256 {
		return hashkey.Key{}, errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length between 1 and 256 (got %d)", entryField(i, "partitionKey"), n)
	}
	if e.Data == nil {
		return hashkey.Key{}, errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", entryField(i, "data"))
	}
	if size := len(e.Data) + len(*e.PartitionKey); size > maxRecordBytesLimit {
		return hashkey.Key{}, errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: record size %d (data + partition key) exceeds the maximum of %d bytes", entryField(i, "data"), size, maxRecordBytesLimit)
	}
	if e.ExplicitHashKey != nil {
		k, err := hashkey.Parse(*e.ExplicitHashKey)
		if err != nil && hashKeyPattern(*e.ExplicitHashKey) {
			return hashkey.Key{}, errInvalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", *e.ExplicitHashKey)
		}
		if err != nil {
			return hashkey.Key{}, errValidation("1 validation error detected: Value %q at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})", *e.ExplicitHashKey, entryField(i, "explicitHashKey"))
		}
		return k, nil
	}
	return hashkey.FromPartitionKey(*e.PartitionKey), nil
}

// hashKeyPattern reports whether s has the model's form of a hash key,
// 0|([1-9]\d{0,38}), whatever its value.
func hashKeyPattern(s string) bool { return len(s) <= 39 && validSeqSyntax(s) }

func (s *Server) putRecord(c *call) (any, error) {
	var in putRecordInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	name, err := streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	k, err := validateEntry(&in.putEntry, -1)
	if err != nil {
		return nil, err
	}
	st, err := s.store.getActive(name, c.now)
	if err != nil {
		return nil, err
	}
	if err := checkRecordSizes(st, []putEntry{in.putEntry}, true); err != nil {
		return nil, err
	}
	res := s.store.appendEntries(st, []putEntry{in.putEntry}, []hashkey.Key{k}, c.now, c.throttleAll)
	if res[0].err != nil {
		return nil, res[0].err
	}
	s.metrics.add(name, "", "PutRecord.Success", 1, c.now)
	s.metrics.add(name, "", "PutRecord.Bytes", float64(len(in.Data)+len(*in.PartitionKey)), c.now)
	s.metrics.add(name, "", "PutRecord.Latency", msSince(c.now, s.opts.Now()), c.now)
	return map[string]string{"SequenceNumber": res[0].SequenceNumber, "ShardId": res[0].ShardID, "EncryptionType": st.putEncryption()}, nil
}

func (s *Server) putRecords(c *call) (any, error) {
	in, ok := decodePutRecordsFast(c.body)
	if ok && c.model != nil && !c.model.putRecordsOK(&in) {
		ok = false // decode reports the model's errors
	}
	if !ok {
		in = putRecordsInput{}
		if err := c.decode(&in); err != nil {
			return nil, err
		}
	}
	name, err := streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	if n := len(in.Records); n < 1 || n > 500 {
		return nil, errValidation("1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500 and greater than or equal to 1 (got %d)", n)
	}
	keys := make([]hashkey.Key, len(in.Records))
	total := 0
	for i := range in.Records {
		if keys[i], err = validateEntry(&in.Records[i], i); err != nil {
			return nil, err
		}
		total += len(in.Records[i].Data) + len(*in.Records[i].PartitionKey)
	}
	if total > maxPutRecordsBytes {
		return nil, errInvalid("Records size %d bytes exceeds the maximum of %d bytes per PutRecords request", total, maxPutRecordsBytes)
	}
	st, err := s.store.getActive(name, c.now)
	if err != nil {
		return nil, err
	}
	if err := checkRecordSizes(st, in.Records, false); err != nil {
		return nil, err
	}
	res := s.store.appendEntries(st, in.Records, keys, c.now, c.throttleAll)
	failed := nameErrors(res)
	s.metrics.add(name, "", "PutRecords.Success", 1, c.now)
	s.metrics.add(name, "", "PutRecords.Bytes", float64(total), c.now)
	s.metrics.add(name, "", "PutRecords.TotalRecords", float64(len(res)), c.now)
	s.metrics.add(name, "", "PutRecords.SuccessfulRecords", float64(len(res)-failed), c.now)
	s.metrics.add(name, "", "PutRecords.FailedRecords", float64(failed), c.now)
	s.metrics.add(name, "", "PutRecords.Latency", msSince(c.now, s.opts.Now()), c.now)
	return struct {
		FailedRecordCount int         `json:"FailedRecordCount"`
		Records           []putResult `json:"Records"`
		EncryptionType    string      `json:"EncryptionType"`
	}{failed, res, st.putEncryption()}, nil
}

func msSince(from, to time.Time) float64 {
	return float64(to.Sub(from).Microseconds()) / 1000
}
