package local

import (
	"regexp"
	"time"
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
	return s.withStream(c, in, true, func(st *stream) (any, error) {
		if st.settings.encryption == "KMS" && st.settings.keyID == in.KeyID {
			return struct{}{}, nil // already so: nothing to apply
		}
		st.settings.keyChanges = within24h(st.settings.keyChanges, c.now)
		if len(st.settings.keyChanges) >= keyChangesPerDay {
			return nil, errLimit("Stream %s under account %s has had a new KMS key applied %d times in the last 24 hours, the limit.", st.name, account, keyChangesPerDay)
		}
		st.settings.keyChanges = append(st.settings.keyChanges, c.now)
		st.schedule(c.now, s.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.setEncryption("KMS", in.KeyID)
			st.status = "ACTIVE"
		})
		return struct{}{}, nil
	})
}

func (s *Server) stopStreamEncryption(c *call) (any, error) {
	var in encryptionInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.EncryptionType != "KMS" {
		return nil, errInvalid("KMS is the only valid EncryptionType for this request.")
	}
	return s.withStream(c, in, true, func(st *stream) (any, error) {
		if st.settings.encryption == "" {
			return nil, errInvalid("Stream %s under account %s is not encrypted.", st.name, account)
		}
		if st.settings.keyID != in.KeyID {
			return nil, errInvalid("KeyId %s is not the key stream %s under account %s is encrypted with.", in.KeyID, st.name, account)
		}
		st.schedule(c.now, s.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.setEncryption("", "")
			st.status = "ACTIVE"
		})
		return struct{}{}, nil
	})
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
		if err := s.warmAllowed(mode, *in.WarmThroughputMiBps); err != nil {
			return nil, err
		}
	}
	if err := s.store.onDemandRoom(mode, c.now); err != nil {
		return nil, err
	}
	return s.withStream(c, in, true, func(st *stream) (any, error) {
		if st.mode == mode {
			return nil, errInvalid("Stream %s under account %s is already in %s mode.", st.name, account, mode)
		}
		st.settings.modeSwitches = within24h(st.settings.modeSwitches, c.now)
		if len(st.settings.modeSwitches) >= modeSwitchesPerDay {
			return nil, errLimit("Stream %s under account %s has switched capacity mode %d times in the last 24 hours, the limit.", st.name, account, modeSwitchesPerDay)
		}
		st.settings.modeSwitches = append(st.settings.modeSwitches, c.now)
		st.schedule(c.now, s.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.mode = mode // the shards are kept as they are
			st.settings.warmTarget, st.settings.warmCurrent = 0, 0
			if in.WarmThroughputMiBps != nil {
				st.settings.warmTarget, st.settings.warmCurrent = *in.WarmThroughputMiBps, *in.WarmThroughputMiBps
			}
			st.status = "ACTIVE"
		})
		return struct{}{}, nil
	})
}

// onDemandCount counts the ON_DEMAND streams.
func (s *store) onDemandCount(now time.Time) int {
	n := 0
	for _, st := range s.all(now) {
		st.mu.RLock()
		if st.mode == "ON_DEMAND" {
			n++
		}
		st.mu.RUnlock()
	}
	return n
}

// onDemandRoom refuses one more ON_DEMAND stream (mode) past the account's
// quota.
func (s *store) onDemandRoom(mode string, now time.Time) error {
	if mode == "ON_DEMAND" && s.onDemandCount(now) >= onDemandStreamLimit {
		return errLimit("The account %s in %s already has %d ON_DEMAND streams, the limit.", account, region, onDemandStreamLimit)
	}
	return nil
}

// warmAllowed checks a WarmThroughputMiBps for a stream in mode: warm
// throughput is for ON_DEMAND streams of accounts with a minimum
// throughput billing commitment, up to 10 GiBps.
func (s *Server) warmAllowed(mode string, mibps int) error {
	if mode != "ON_DEMAND" {
		return errInvalid("Warm throughput is only supported for streams in ON_DEMAND mode.")
	}
	if !s.store.account.committed() {
		return errInvalid("Warm throughput needs MinimumThroughputBillingCommitment ENABLED for account %s.", account)
	}
	if mibps > maxWarmMiBps {
		return errLimit("Warm throughput %d MiBps is above the limit of %d MiBps for an on-demand stream.", mibps, maxWarmMiBps)
	}
	return nil
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
	return s.withStream(c, in, true, func(st *stream) (any, error) {
		st.schedule(c.now, s.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.settings.maxRecordKiB = in.MaxRecordSizeInKiB
			st.status = "ACTIVE"
		})
		return struct{}{}, nil
	})
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
	return s.withStream(c, in, true, func(st *stream) (any, error) {
		if err := s.warmAllowed(st.mode, in.WarmThroughputMiBps); err != nil {
			return nil, err
		}
		current := st.settings.warmCurrent
		st.settings.warmTarget = in.WarmThroughputMiBps
		st.schedule(c.now, s.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.settings.warmCurrent = st.settings.warmTarget
			st.status = "ACTIVE"
		})
		if s.opts.UpdateDelay <= 0 {
			current = st.settings.warmCurrent
		}
		return map[string]any{"StreamARN": st.arn, "StreamName": st.name,
			"WarmThroughput": warmJSON{in.WarmThroughputMiBps, current}}, nil
	})
}
