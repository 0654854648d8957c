package local

import (
	"sort"
	"time"
)

// The store side of the stream-setting operations (streamops.go): each
// takes an ACTIVE stream, holds it UPDATING for opts.UpdateDelay and
// applies the setting then.

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

// change runs f under the stream's write lock, once the stream is ACTIVE
// if active says it must be (else ResourceInUse).
func (st *stream) change(active bool, f func() error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if active && st.status != "ACTIVE" {
		return inUse("Stream %s under account %s not ACTIVE, instead in state %s", st.name, account, st.status)
	}
	return f()
}

// startEncryption turns KMS encryption with keyID on.
func (st *stream) startEncryption(keyID string, now time.Time) error {
	return st.change(true, func() error {
		if st.settings.encryption == "KMS" && st.settings.keyID == keyID {
			return nil // already so: nothing to apply
		}
		st.settings.keyChanges = within24h(st.settings.keyChanges, now)
		if len(st.settings.keyChanges) >= keyChangesPerDay {
			return overLimit("Stream %s under account %s has had a new KMS key applied %d times in the last 24 hours, the limit.", st.name, account, keyChangesPerDay)
		}
		st.settings.keyChanges = append(st.settings.keyChanges, now)
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.setEncryption("KMS", keyID)
			st.status = "ACTIVE"
		})
		return nil
	})
}

// stopEncryption turns encryption with keyID off.
func (st *stream) stopEncryption(keyID string, now time.Time) error {
	return st.change(true, func() error {
		if st.settings.encryption == "" {
			return invalid("Stream %s under account %s is not encrypted.", st.name, account)
		}
		if st.settings.keyID != keyID {
			return invalid("KeyId %s is not the key stream %s under account %s is encrypted with.", keyID, st.name, account)
		}
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.setEncryption("", "")
			st.status = "ACTIVE"
		})
		return nil
	})
}

// switchMode changes the capacity mode, with warm throughput warm (nil:
// none), at most modeSwitchesPerDay times in 24 hours.
func (st *stream) switchMode(mode string, warm *int, now time.Time) error {
	return st.change(true, func() error {
		if st.mode == mode {
			return invalid("Stream %s under account %s is already in %s mode.", st.name, account, mode)
		}
		st.settings.modeSwitches = within24h(st.settings.modeSwitches, now)
		if len(st.settings.modeSwitches) >= modeSwitchesPerDay {
			return overLimit("Stream %s under account %s has switched capacity mode %d times in the last 24 hours, the limit.", st.name, account, modeSwitchesPerDay)
		}
		st.settings.modeSwitches = append(st.settings.modeSwitches, now)
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.mode = mode // the shards are kept as they are
			st.settings.warmTarget, st.settings.warmCurrent = 0, 0
			if warm != nil {
				st.settings.warmTarget, st.settings.warmCurrent = *warm, *warm
			}
			st.status = "ACTIVE"
		})
		return nil
	})
}

// setMaxRecordSize changes MaxRecordSizeInKiB.
func (st *stream) setMaxRecordSize(kib int, now time.Time) error {
	return st.change(true, func() error {
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.settings.maxRecordKiB = kib
			st.status = "ACTIVE"
		})
		return nil
	})
}

// setWarm asks for warm throughput mibps and returns the stream's mode,
// name, ARN and the warm throughput in effect after the call.
func (s *store) setWarm(st *stream, mibps int, now time.Time) (current int, err error) {
	err = st.change(true, func() error {
		if err := s.warmAllowed(st.mode, mibps); err != nil {
			return err
		}
		current = st.settings.warmCurrent
		st.settings.warmTarget = mibps
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(time.Time) {
			st.settings.warmCurrent = st.settings.warmTarget
			st.status = "ACTIVE"
		})
		if st.opts.UpdateDelay <= 0 {
			current = st.settings.warmCurrent
		}
		return nil
	})
	return current, err
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
		return overLimit("The account %s in %s already has %d ON_DEMAND streams, the limit.", account, region, onDemandStreamLimit)
	}
	return nil
}

// warmAllowed checks a WarmThroughputMiBps for a stream in mode: warm
// throughput is for ON_DEMAND streams of accounts with a minimum
// throughput billing commitment, up to 10 GiBps.
func (s *store) warmAllowed(mode string, mibps int) error {
	if mode != "ON_DEMAND" {
		return invalid("Warm throughput is only supported for streams in ON_DEMAND mode.")
	}
	if !s.account.committed() {
		return invalid("Warm throughput needs MinimumThroughputBillingCommitment ENABLED for account %s.", account)
	}
	if mibps > maxWarmMiBps {
		return overLimit("Warm throughput %d MiBps is above the limit of %d MiBps for an on-demand stream.", mibps, maxWarmMiBps)
	}
	return nil
}
