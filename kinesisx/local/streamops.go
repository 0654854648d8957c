package local

import (
	"regexp"
)

// The stream-setting operations: StartStreamEncryption,
// StopStreamEncryption, UpdateStreamMode, UpdateMaxRecordSize and
// UpdateStreamWarmThroughput. Each takes an ACTIVE stream (a stream being
// created, resharded, updated or deleted answers ResourceInUseException),
// returns at once and holds the stream UPDATING for Options.UpdateDelay;
// the new setting shows in DescribeStream(Summary) when the stream is
// ACTIVE again. Reads and writes go on meanwhile.

// kmsKeyRE is what a KMS KeyId can be: a key ID, a multi-Region key ID, an
// alias name, or a key or alias ARN.
var kmsKeyRE = regexp.MustCompile(`^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key/\S+|alias/[a-zA-Z0-9/_-]+))$`)

type encryptionInput struct {
	streamRef
	EncryptionType string `json:"EncryptionType"`
	KeyID          string `json:"KeyId"`
}

func (s *Server) startStreamEncryption(c *call) (any, error) {
	var in encryptionInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.EncryptionType != "KMS" {
		return nil, errInvalid("KMS is the only valid EncryptionType for this request.")
	}
	if !kmsKeyRE.MatchString(in.KeyID) {
		return nil, newErr(400, "KMSNotFoundException", "Invalid keyId %s", in.KeyID)
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.startEncryption(in.KeyID, c.now)
}

func (s *Server) stopStreamEncryption(c *call) (any, error) {
	var in encryptionInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.EncryptionType != "KMS" {
		return nil, errInvalid("KMS is the only valid EncryptionType for this request.")
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.stopEncryption(in.KeyID, c.now)
}

type updateStreamModeInput struct {
	streamRef
	StreamModeDetails   *modeDetails `json:"StreamModeDetails"`
	WarmThroughputMiBps *int         `json:"WarmThroughputMiBps"`
}

func (s *Server) updateStreamMode(c *call) (any, error) {
	var in updateStreamModeInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	in.StreamName = ""                      // the operation takes a StreamARN only
	mode := in.StreamModeDetails.StreamMode // required and an enum value: the model checked it
	if in.WarmThroughputMiBps != nil {
		if err := s.store.warmAllowed(mode, *in.WarmThroughputMiBps); err != nil {
			return nil, err
		}
	}
	if err := s.store.onDemandRoom(mode, c.now); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.switchMode(mode, in.WarmThroughputMiBps, c.now)
}

type updateMaxRecordSizeInput struct {
	streamRef
	MaxRecordSizeInKiB int `json:"MaxRecordSizeInKiB"`
}

func (s *Server) updateMaxRecordSize(c *call) (any, error) {
	var in updateMaxRecordSizeInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	in.StreamName = "" // the operation takes a StreamARN only
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.setMaxRecordSize(in.MaxRecordSizeInKiB, c.now)
}

type updateWarmInput struct {
	streamRef
	WarmThroughputMiBps int `json:"WarmThroughputMiBps"`
}

func (s *Server) updateStreamWarmThroughput(c *call) (any, error) {
	var in updateWarmInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	current, err := s.store.setWarm(st, in.WarmThroughputMiBps, c.now)
	if err != nil {
		return nil, err
	}
	return map[string]any{"StreamARN": st.arn, "StreamName": st.name,
		"WarmThroughput": warmJSON{in.WarmThroughputMiBps, current}}, nil
}
