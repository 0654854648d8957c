package local

import "regexp"

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

// checkRecordSizes refuses entries above the stream's MaxRecordSizeInKiB;
// single says they are a PutRecord's one record.
func checkRecordSizes(st *stream, entries []putEntry, single bool) error {
	limit := st.maxRecordSize()
	for i := range entries {
		e := &entries[i]
		if size := len(e.Data) + len(*e.PartitionKey); size > limit {
			at := i
			if single {
				at = -1
			}
			return errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: record size %d (data + partition key) exceeds the stream's MaxRecordSizeInKiB of %d (%d bytes)", entryField(at, "data"), size, limit>>10, limit)
		}
	}
	return nil
}

// describeSettings adds the settings' fields of v to a DescribeStream or
// DescribeStreamSummary answer d.
func describeSettings(d map[string]any, v streamView, summary bool) {
	d["EncryptionType"] = v.encryption
	if v.keyID != "" {
		d["KeyId"] = v.keyID
	}
	if !summary {
		return
	}
	d["MaxRecordSizeInKiB"] = v.maxRecordKiB
	if v.mode == "ON_DEMAND" && v.warmTarget > 0 {
		d["WarmThroughput"] = warmJSON{v.warmTarget, v.warmCurrent}
	}
}

// warmJSON is a WarmThroughputObject.
type warmJSON struct {
	TargetMiBps  int `json:"TargetMiBps"`
	CurrentMiBps int `json:"CurrentMiBps"`
}
