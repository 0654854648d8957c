package local

import (
	"encoding/base64"
	"sort"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

const (
	maxShardsPerStream = 10000
	maxCreating        = 5
	// accountShardLimit is the default shard quota of us-east-1: it also
	// bounds the memory a hostile client can make the endpoint spend.
	accountShardLimit = 20000
)

// openShards counts the open shards of every stream.
func (s *store) openShards() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, st := range s.streams {
		n += st.openCount()
	}
	return n
}

type streamRef struct {
	StreamName string `json:"StreamName"`
	StreamARN  string `json:"StreamARN"`
}

func (r streamRef) name() (string, error) { return streamName(r.StreamName, r.StreamARN) }

type modeDetails struct {
	StreamMode string `json:"StreamMode"`
}

type createStreamInput struct {
	StreamName        string            `json:"StreamName"`
	ShardCount        *int              `json:"ShardCount"`
	StreamModeDetails *modeDetails      `json:"StreamModeDetails"`
	Tags              map[string]string `json:"Tags"`
	// MaxRecordSizeInKiB and WarmThroughputMiBps: the model checks the
	// range of the first; the second is for ON_DEMAND streams (settings.go).
	MaxRecordSizeInKiB  int  `json:"MaxRecordSizeInKiB"`
	WarmThroughputMiBps *int `json:"WarmThroughputMiBps"`
}

func (s *Server) createStream(c *call) (any, error) {
	var in createStreamInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !nameRE.MatchString(in.StreamName) {
		return nil, errValidation("1 validation error detected: Value %q at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length 1..128", in.StreamName)
	}
	mode := "PROVISIONED"
	if in.StreamModeDetails != nil {
		mode = in.StreamModeDetails.StreamMode
		if mode != "PROVISIONED" && mode != "ON_DEMAND" {
			return nil, errValidation("1 validation error detected: Value %q at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]", mode)
		}
	}
	count := 4
	switch {
	case in.ShardCount != nil:
		count = *in.ShardCount
		if count < 1 || count > maxShardsPerStream {
			return nil, errValidation("1 validation error detected: Value %d at 'shardCount' failed to satisfy constraint: Member must have value between 1 and %d", count, maxShardsPerStream)
		}
	case mode == "PROVISIONED":
		return nil, errInvalid("ShardCount is required for a stream in PROVISIONED mode")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if in.WarmThroughputMiBps != nil {
		if err := s.warmAllowed(mode, *in.WarmThroughputMiBps); err != nil {
			return nil, err
		}
	}
	if err := s.store.onDemandRoom(mode, c.now); err != nil {
		return nil, err
	}
	s.store.all(c.now) // drops streams whose deletion is complete
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	creating, open := 0, 0
	for name, st := range s.store.streams {
		open += st.openCount()
		if name == in.StreamName {
			return nil, errInUse("Stream %s under account %s already exists.", name, account)
		}
		st.mu.RLock()
		if st.status == "CREATING" {
			creating++
		}
		st.mu.RUnlock()
	}
	if creating >= maxCreating && s.opts.CreateDelay > 0 {
		return nil, errLimit("Too many streams are being created at once (at most %d).", maxCreating)
	}
	if open+count > accountShardLimit {
		return nil, errLimit("This request would exceed the shard limit for the account %s in %s. Current shard count for the account: %d. Limit: %d. Number of additional shards that would have resulted from this request: %d.", account, region, open, accountShardLimit, count)
	}
	st := &stream{
		name: in.StreamName, arn: arnPrefix + in.StreamName, created: c.now, opts: &s.opts, total: &s.store.bytes,
		status: "CREATING", mode: mode, retentionHours: 24,
		tags: map[string]string{}, consumers: map[string]*consumer{},
	}
	for k, v := range in.Tags {
		st.tags[k] = v
	}
	st.settings.maxRecordKiB = in.MaxRecordSizeInKiB
	if w := in.WarmThroughputMiBps; w != nil {
		st.settings.warmTarget, st.settings.warmCurrent = *w, *w
	}
	for _, r := range hashkey.Split(count) {
		st.newShard(r, "", "", c.now)
	}
	st.publishOpen()
	st.schedule(c.now, s.opts.CreateDelay, "CREATING", func(time.Time) { st.status = "ACTIVE" })
	s.store.streams[in.StreamName] = st
	return struct{}{}, nil
}

type deleteStreamInput struct {
	streamRef
	EnforceConsumerDeletion bool `json:"EnforceConsumerDeletion"`
}

func (s *Server) deleteStream(c *call) (any, error) {
	var in deleteStreamInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.status == "DELETING" {
		return nil, errInUse("Stream %s under account %s is already being deleted.", st.name, account)
	}
	if len(st.consumers) > 0 && !in.EnforceConsumerDeletion {
		return nil, errInUse("Stream %s under account %s has registered consumers; deregister them or set EnforceConsumerDeletion.", st.name, account)
	}
	st.status = "DELETING"
	st.pending = nil // a pending reshard is abandoned
	st.pendingAt.Store(0)
	st.deleteAt = c.now.Add(s.opts.DeleteDelay)
	s.metrics.setMonitoring(st.name, nil)
	s.efo.endPrefix(st.arn+"/consumer/", errNotFound("Stream %s was deleted.", st.name))
	return struct{}{}, nil
}

type listStreamsInput struct {
	Limit                    *int   `json:"Limit"`
	ExclusiveStartStreamName string `json:"ExclusiveStartStreamName"`
	NextToken                string `json:"NextToken"`
}

type streamSummaryJSON struct {
	StreamName              string      `json:"StreamName"`
	StreamARN               string      `json:"StreamARN"`
	StreamStatus            string      `json:"StreamStatus"`
	StreamModeDetails       modeDetails `json:"StreamModeDetails"`
	StreamCreationTimestamp epoch       `json:"StreamCreationTimestamp"`
}

func (s *Server) listStreams(c *call) (any, error) {
	var in listStreamsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	limit, err := pageSize(in.Limit, "limit", 100)
	if err != nil {
		return nil, err
	}
	after := in.ExclusiveStartStreamName
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || !strings.HasPrefix(string(b), "streams:") {
			return nil, errInvalid("Invalid NextToken.")
		}
		after = strings.TrimPrefix(string(b), "streams:")
	}
	names := []string{}
	summaries := []streamSummaryJSON{}
	more := false
	for _, st := range s.store.all(c.now) {
		if after != "" && st.name <= after {
			continue
		}
		if len(names) == limit {
			more = true
			break
		}
		st.mu.RLock()
		summaries = append(summaries, streamSummaryJSON{st.name, st.arn, st.status, modeDetails{st.mode}, epoch(st.created)})
		st.mu.RUnlock()
		names = append(names, st.name)
	}
	out := map[string]any{"StreamNames": names, "StreamSummaries": summaries, "HasMoreStreams": more}
	if more {
		out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte("streams:" + names[len(names)-1]))
	}
	return out, nil
}

type shardJSON struct {
	ShardID               string       `json:"ShardId"`
	ParentShardID         string       `json:"ParentShardId,omitempty"`
	AdjacentParentShardID string       `json:"AdjacentParentShardId,omitempty"`
	HashKeyRange          hashKeyRange `json:"HashKeyRange"`
	SequenceNumberRange   seqRangeJSON `json:"SequenceNumberRange"`
}

type seqRangeJSON struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

func (sh *shard) json() shardJSON {
	start, end := sh.seqRange()
	return shardJSON{sh.id, sh.parent, sh.adjacent, rangeJSON(sh.rng), seqRangeJSON{start, end}}
}

type monitoringJSON struct {
	ShardLevelMetrics []string `json:"ShardLevelMetrics"`
}

type describeStreamInput struct {
	streamRef
	Limit                 *int   `json:"Limit"`
	ExclusiveStartShardID string `json:"ExclusiveStartShardId"`
}

func (s *Server) describeStream(c *call) (any, error) {
	var in describeStreamInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if _, err := in.name(); err != nil {
		return nil, err
	}
	limit, err := pageSize(in.Limit, "limit", 100)
	if err != nil {
		return nil, err
	}
	limit = min(limit, 100)
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	shards := []shardJSON{}
	more := false
	for _, sh := range st.shards {
		if st.expired(sh, c.now) || (in.ExclusiveStartShardID != "" && sh.id <= in.ExclusiveStartShardID) {
			continue
		}
		if len(shards) == limit {
			more = true
			break
		}
		shards = append(shards, sh.json())
	}
	d := map[string]any{
		"StreamName": st.name, "StreamARN": st.arn, "StreamStatus": st.status,
		"StreamModeDetails": modeDetails{st.mode}, "Shards": shards, "HasMoreShards": more,
		"RetentionPeriodHours": st.retentionHours, "StreamCreationTimestamp": epoch(st.created),
		"EnhancedMonitoring": []monitoringJSON{{append([]string{}, st.monitoring...)}},
	}
	st.describeSettings(d, false)
	return map[string]any{"StreamDescription": d}, nil
}

func (s *Server) describeStreamSummary(c *call) (any, error) {
	var in streamRef
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	consumers := len(s.liveConsumers(st, c.now))
	st.mu.RLock()
	defer st.mu.RUnlock()
	d := map[string]any{
		"StreamName": st.name, "StreamARN": st.arn, "StreamStatus": st.status,
		"StreamModeDetails": modeDetails{st.mode}, "RetentionPeriodHours": st.retentionHours,
		"StreamCreationTimestamp": epoch(st.created),
		"EnhancedMonitoring":      []monitoringJSON{{append([]string{}, st.monitoring...)}},
		"OpenShardCount":          st.openCount(), "ConsumerCount": consumers,
	}
	st.describeSettings(d, true)
	return map[string]any{"StreamDescriptionSummary": d}, nil
}

// shardsOpenAt returns whether sh was open at t.
func shardOpenAt(sh *shard, t time.Time) bool {
	closed, at := sh.closedAt()
	return !sh.created.After(t) && (!closed || at.After(t))
}

// sortedShards returns the stream's shards in ID order (a copy).
func (st *stream) sortedShards() []*shard {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := append([]*shard(nil), st.shards...)
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}
