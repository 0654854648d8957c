package local

import (
	"regexp"
	"sort"
	"time"
)

// The per-stream settings of the newer operations: server-side encryption
// (StartStreamEncryption / StopStreamEncryption), the largest record a
// stream takes (UpdateMaxRecordSize), on-demand warm throughput
// (UpdateStreamWarmThroughput), mode switches (UpdateStreamMode) and
// resource policies (Put/Get/DeleteResourcePolicy).

const (
	defaultMaxRecordKiB = maxRecordBytes >> 10
	// maxRecordBytesLimit is the largest record any stream can be raised to
	// take (the model's MaxRecordSizeInKiB maximum, 10240 KiB).
	maxRecordBytesLimit = 10 << 20
	// maxWarmMiBps is the default cap of on-demand warm throughput, 10 GiBps.
	maxWarmMiBps = 10 << 10
	// modeSwitchesPerDay and keyChangesPerDay are AWS's rolling 24-hour
	// limits on UpdateStreamMode and on applying a new KMS key.
	modeSwitchesPerDay = 2
	keyChangesPerDay   = 25
	// onDemandStreamLimit is the default quota of on-demand streams.
	onDemandStreamLimit = 50
)

// streamARNRE is the model's StreamARN pattern.
var streamARNRE = regexp.MustCompile(`^arn:aws.*:kinesis:.*:\d{12}:stream/\S+$`)

// streamSettings is a stream's state for the newer operations. It is
// guarded by the stream's mu.
type streamSettings struct {
	encryption   string // "" (NONE) or "KMS"
	keyID        string
	maxRecordKiB int // 0: the default 1024
	warmTarget   int // on-demand warm throughput asked for, MiB/s (0: none)
	warmCurrent  int // on-demand warm throughput in effect, MiB/s
	// modeSwitches and keyChanges are when UpdateStreamMode and a new KMS
	// key were applied, for the rolling 24-hour limits.
	modeSwitches []time.Time
	keyChanges   []time.Time
	// policies holds the resource policies of the stream and of its
	// consumers, by ARN.
	policies map[string]string
}

// encryptionType returns the stream's EncryptionType. The caller holds
// st.mu.
func (st *stream) encryptionType() string {
	if st.settings.encryption == "" {
		return "NONE"
	}
	return st.settings.encryption
}

// setEncryption turns server-side encryption on (kind "KMS") or off ("")
// for the records written from now on. The caller holds st.mu.
func (st *stream) setEncryption(kind, keyID string) {
	was := st.settings.encryption != ""
	st.settings.encryption, st.settings.keyID = kind, keyID
	if was == (kind != "") {
		return
	}
	var log []uint64
	if cur := st.encLog.Load(); cur != nil {
		log = append(log, *cur...)
	}
	log = append(log, st.seq.Load()+1)
	st.encLog.Store(&log)
}

// encryptedAt reports whether the record of counter seq was written while
// encryption was on, by the stream's encryption log.
func encryptedAt(log []uint64, seq uint64) bool {
	if len(log) == 0 {
		return false
	}
	return sort.Search(len(log), func(i int) bool { return log[i] > seq })%2 == 1
}

// putEncryption returns the EncryptionType PutRecord and PutRecords answer.
func (st *stream) putEncryption() string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.encryptionType()
}

// maxRecordSize returns the largest record (data + partition key, bytes)
// the stream takes.
func (st *stream) maxRecordSize() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.maxRecordKiB() << 10
}

// maxRecordKiB is MaxRecordSizeInKiB. The caller holds st.mu.
func (st *stream) maxRecordKiB() int {
	if st.settings.maxRecordKiB == 0 {
		return defaultMaxRecordKiB
	}
	return st.settings.maxRecordKiB
}

// checkRecordSizes refuses entries above the stream's MaxRecordSizeInKiB.
func checkRecordSizes(st *stream, entries []putEntry) error {
	limit := st.maxRecordSize()
	for i := range entries {
		e := &entries[i]
		if size := len(e.Data) + len(*e.PartitionKey); size > limit {
			return errValidation("1 validation error detected: Value at 'records.%d.member.data' failed to satisfy constraint: record size %d (data + partition key) exceeds the stream's MaxRecordSizeInKiB of %d (%d bytes)", i+1, size, limit>>10, limit)
		}
	}
	return nil
}

// describeSettings adds the settings' fields to a DescribeStream or
// DescribeStreamSummary answer d. The caller holds st.mu.
func (st *stream) describeSettings(d map[string]any, summary bool) {
	d["EncryptionType"] = st.encryptionType()
	if st.settings.keyID != "" {
		d["KeyId"] = st.settings.keyID
	}
	if !summary {
		return
	}
	d["MaxRecordSizeInKiB"] = st.maxRecordKiB()
	if st.mode == "ON_DEMAND" && st.settings.warmTarget > 0 {
		d["WarmThroughput"] = warmJSON{st.settings.warmTarget, st.settings.warmCurrent}
	}
}

// warmJSON is a WarmThroughputObject.
type warmJSON struct {
	TargetMiBps  int `json:"TargetMiBps"`
	CurrentMiBps int `json:"CurrentMiBps"`
}

// within24h keeps the times of ts less than 24 hours before now.
func within24h(ts []time.Time, now time.Time) []time.Time {
	out := ts[:0]
	for _, t := range ts {
		if now.Sub(t) < 24*time.Hour {
			out = append(out, t)
		}
	}
	return out
}
