package local

import (
	"encoding/base64"
	"strings"
)

type streamRef struct {
	StreamName string `json:"StreamName"`
	StreamARN  string `json:"StreamARN"`
}

func (r streamRef) name() (string, error) { return streamName(r.StreamName, r.StreamARN) }

// streamName resolves a StreamName or StreamARN argument.
func streamName(name, arn string) (string, error) {
	if name == "" && arn == "" {
		return "", errValidation("either StreamName or StreamARN must be provided")
	}
	if arn != "" {
		n, ok := strings.CutPrefix(arn, arnPrefix)
		if !ok && streamARNRE.MatchString(arn) {
			// Well formed, of another account, region or partition: no
			// stream this endpoint has, as AWS answers for it.
			return "", errNotFound("Stream %s not found.", arn)
		}
		if !ok || !nameRE.MatchString(n) {
			return "", errValidation("StreamARN %q is not a valid stream ARN for this endpoint", arn)
		}
		if name != "" && name != n {
			return "", errInvalid("StreamName %q and StreamARN %q name different streams", name, arn)
		}
		return n, nil
	}
	if !nameRE.MatchString(name) {
		return "", errValidation("1 validation error detected: Value %q at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length 1..128", name)
	}
	return name, nil
}

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
	return struct{}{}, s.store.create(streamSpec{name: in.StreamName, mode: mode, shards: count, tags: in.Tags,
		maxRecordKiB: in.MaxRecordSizeInKiB, warm: in.WarmThroughputMiBps}, c.now)
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
	name, err := in.name()
	if err != nil {
		return nil, err
	}
	st, err := s.store.delete(name, in.EnforceConsumerDeletion, c.now)
	if err != nil {
		return nil, err
	}
	s.efo.endPrefix(st.arn+"/consumer/", notFound("Stream %s was deleted.", st.name))
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
		v := st.view(c.now, "", 0)
		summaries = append(summaries, streamSummaryJSON{v.name, v.arn, v.status, modeDetails{v.mode}, epoch(v.created)})
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
	v := st.view(c.now, in.ExclusiveStartShardID, limit)
	shards := []shardJSON{}
	for _, sh := range v.shards {
		shards = append(shards, sh.json())
	}
	d := map[string]any{
		"StreamName": v.name, "StreamARN": v.arn, "StreamStatus": v.status,
		"StreamModeDetails": modeDetails{v.mode}, "Shards": shards, "HasMoreShards": v.more,
		"RetentionPeriodHours": v.retentionHours, "StreamCreationTimestamp": epoch(v.created),
		"EnhancedMonitoring": []monitoringJSON{{v.monitoring}},
	}
	describeSettings(d, v, false)
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
	consumers := len(st.liveConsumers(c.now))
	v := st.view(c.now, "", 0)
	d := map[string]any{
		"StreamName": v.name, "StreamARN": v.arn, "StreamStatus": v.status,
		"StreamModeDetails": modeDetails{v.mode}, "RetentionPeriodHours": v.retentionHours,
		"StreamCreationTimestamp": epoch(v.created),
		"EnhancedMonitoring":      []monitoringJSON{{v.monitoring}},
		"OpenShardCount":          v.openShards, "ConsumerCount": consumers,
	}
	describeSettings(d, v, true)
	return map[string]any{"StreamDescriptionSummary": d}, nil
}
