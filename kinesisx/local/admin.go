package local

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

type shardFilter struct {
	Type      string   `json:"Type"`
	ShardID   string   `json:"ShardId,omitempty"`
	Timestamp *float64 `json:"Timestamp,omitempty"`
}

type listShardsInput struct {
	streamRef
	NextToken               string       `json:"NextToken"`
	ExclusiveStartShardID   string       `json:"ExclusiveStartShardId"`
	MaxResults              *int         `json:"MaxResults"`
	StreamCreationTimestamp *float64     `json:"StreamCreationTimestamp"`
	ShardFilter             *shardFilter `json:"ShardFilter"`
}

// listShardsToken is the state a ListShards NextToken carries.
type listShardsToken struct {
	Stream  string       `json:"s"`
	Created int64        `json:"c"`
	After   int          `json:"a"`
	Filter  *shardFilter `json:"f,omitempty"`
}

func (s *Server) listShards(c *call) (any, error) {
	var in listShardsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, "maxResults", 1000)
	if err != nil {
		return nil, err
	}
	tok := listShardsToken{After: -1, Filter: in.ShardFilter}
	if in.NextToken != "" {
		if in.StreamName != "" || in.StreamARN != "" || in.ExclusiveStartShardID != "" || in.ShardFilter != nil || in.StreamCreationTimestamp != nil {
			return nil, errInvalid("NextToken and StreamName (or ExclusiveStartShardId, ShardFilter, StreamCreationTimestamp) cannot be provided together.")
		}
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || json.Unmarshal(b, &tok) != nil || tok.Stream == "" {
			return nil, errInvalid("Invalid NextToken.")
		}
	} else {
		name, err := in.name()
		if err != nil {
			return nil, err
		}
		tok.Stream = name
	}
	st, err := s.store.get(tok.Stream, c.now)
	if err != nil {
		return nil, err
	}
	if in.NextToken != "" && tok.Created != st.created.UnixNano() {
		return nil, errInvalid("Invalid NextToken: the stream was re-created.")
	}
	tok.Created = st.created.UnixNano()
	if in.ExclusiveStartShardID != "" {
		var idx int
		if _, err := fmt.Sscanf(in.ExclusiveStartShardID, "shardId-%d", &idx); err == nil {
			tok.After = idx
		}
	}
	keep, err := s.filterShards(st, tok.Filter, c.now)
	if err != nil {
		return nil, err
	}
	shards := []shardJSON{}
	more := false
	for _, sh := range st.sortedShards() {
		if sh.index <= tok.After || !keep(sh) {
			continue
		}
		if len(shards) == limit {
			more = true
			break
		}
		shards = append(shards, sh.json())
		tok.After = sh.index
	}
	out := map[string]any{"Shards": shards}
	if more {
		b, _ := json.Marshal(tok)
		out["NextToken"] = base64.RawURLEncoding.EncodeToString(b)
	}
	return out, nil
}

// filterShards returns the predicate of a ShardFilter; expired shards are
// never listed.
func (s *Server) filterShards(st *stream, f *shardFilter, now time.Time) (func(*shard) bool, error) {
	v := st.view(now, "", 0)
	retention := time.Duration(v.retentionHours) * time.Hour
	created := v.created
	live := func(sh *shard) bool {
		closed, at := sh.closedAt()
		return !closed || now.Sub(at) <= retention
	}
	if f == nil {
		return live, nil
	}
	ts := func() (time.Time, error) {
		if f.Timestamp == nil {
			return time.Time{}, errInvalid("ShardFilter type %s requires a Timestamp.", f.Type)
		}
		t := fromEpoch(*f.Timestamp)
		if t.Before(created) {
			t = created
		}
		return t, nil
	}
	switch f.Type {
	case "FROM_TRIM_HORIZON":
		return live, nil
	case "AT_LATEST":
		return func(sh *shard) bool { return !sh.isClosed() }, nil
	case "AFTER_SHARD_ID":
		var idx int
		if _, err := fmt.Sscanf(f.ShardID, "shardId-%d", &idx); err != nil {
			return nil, errInvalid("ShardFilter type AFTER_SHARD_ID requires a valid ShardId.")
		}
		return func(sh *shard) bool { return live(sh) && sh.index > idx }, nil
	case "AT_TRIM_HORIZON":
		t := now.Add(-retention)
		if t.Before(created) {
			t = created
		}
		return func(sh *shard) bool { return live(sh) && shardOpenAt(sh, t) }, nil
	case "AT_TIMESTAMP":
		t, err := ts()
		if err != nil {
			return nil, err
		}
		return func(sh *shard) bool { return live(sh) && shardOpenAt(sh, t) }, nil
	case "FROM_TIMESTAMP":
		t, err := ts()
		if err != nil {
			return nil, err
		}
		return func(sh *shard) bool {
			closed, at := sh.closedAt()
			return live(sh) && (!closed || !at.Before(t))
		}, nil
	}
	return nil, errValidation("1 validation error detected: Value %q at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]", f.Type)
}

// validateTags checks tag keys and values against the API's limits.
func validateTags(tags map[string]string) error {
	if len(tags) > 50 {
		return errInvalid("Too many tags: at most 50 per request.")
	}
	for k, v := range tags {
		if len(k) < 1 || len(k) > 128 || len(v) > 256 {
			return errInvalid("Tag key %q must be 1-128 characters and its value at most 256.", k)
		}
	}
	return nil
}

type tagsInput struct {
	streamRef
	Tags                 map[string]string `json:"Tags"`
	TagKeys              []string          `json:"TagKeys"`
	ExclusiveStartTagKey string            `json:"ExclusiveStartTagKey"`
	Limit                *int              `json:"Limit"`
}

// streamNamer is a request that names a stream (by name or ARN).
type streamNamer interface{ name() (string, error) }

// streamOf returns the stream a request names.
func (s *Server) streamOf(c *call, in streamNamer) (*stream, error) {
	name, err := in.name()
	if err != nil {
		return nil, err
	}
	return s.store.get(name, c.now)
}

// pageSize checks a request's page size against the API's 1 to 10000
// (field is its name in AWS's message) and returns it, or def when unset.
func pageSize(v *int, field string, def int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < 1 || *v > 10000 {
		return 0, errValidation("1 validation error detected: Value %d at '%s' failed to satisfy constraint: Member must have value between 1 and 10000", *v, field)
	}
	return *v, nil
}

func (s *Server) addTags(c *call) (any, error) {
	var in tagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, errValidation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.tag(nil, in.Tags, c.now)
}

func (s *Server) removeTags(c *call) (any, error) {
	var in tagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.untag(nil, in.TagKeys, c.now)
}

func (s *Server) listTags(c *call) (any, error) {
	var in tagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	limit := 50
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 50 {
			return nil, errInvalid("Limit %d must be between 1 and 50.", *in.Limit)
		}
		limit = *in.Limit
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	tags := []map[string]string{}
	more := false
	for _, kv := range st.tagsOf(nil) {
		if kv[0] <= in.ExclusiveStartTagKey {
			continue
		}
		if len(tags) == limit {
			more = true
			break
		}
		tags = append(tags, map[string]string{"Key": kv[0], "Value": kv[1]})
	}
	return map[string]any{"Tags": tags, "HasMoreTags": more}, nil
}

type retentionInput struct {
	streamRef
	RetentionPeriodHours *int `json:"RetentionPeriodHours"`
}

func (s *Server) increaseRetention(c *call) (any, error) { return s.changeRetention(c, true) }
func (s *Server) decreaseRetention(c *call) (any, error) { return s.changeRetention(c, false) }

func (s *Server) changeRetention(c *call, increase bool) (any, error) {
	var in retentionInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.RetentionPeriodHours == nil {
		return nil, errValidation("1 validation error detected: Value null at 'retentionPeriodHours' failed to satisfy constraint: Member must not be null")
	}
	h := *in.RetentionPeriodHours
	if h < 24 || h > 8760 {
		return nil, errInvalid("Minimum allowed retention period is 24 hours and maximum is 8760 hours; %d is out of range.", h)
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.setRetention(h, increase)
}

type monitoringInput struct {
	streamRef
	ShardLevelMetrics []string `json:"ShardLevelMetrics"`
}

func (s *Server) enableMonitoring(c *call) (any, error)  { return s.changeMonitoring(c, true) }
func (s *Server) disableMonitoring(c *call) (any, error) { return s.changeMonitoring(c, false) }

func (s *Server) changeMonitoring(c *call, enable bool) (any, error) {
	var in monitoringInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if len(in.ShardLevelMetrics) < 1 || len(in.ShardLevelMetrics) > 7 {
		return nil, errValidation("1 validation error detected: Value at 'shardLevelMetrics' failed to satisfy constraint: Member must have length between 1 and 7")
	}
	var want []string
	for _, m := range in.ShardLevelMetrics {
		switch {
		case m == "ALL":
			want = append(want, shardLevelMetrics()...)
		case slices.Contains(shardLevelMetrics(), m):
			want = append(want, m)
		default:
			return nil, errValidation("1 validation error detected: Value %q at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]", m)
		}
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	current, desired, err := s.store.monitor(st, want, enable)
	if err != nil {
		return nil, err
	}
	if desired == nil {
		desired = []string{}
	}
	return map[string]any{"StreamName": st.name, "StreamARN": st.arn,
		"CurrentShardLevelMetrics": current, "DesiredShardLevelMetrics": desired}, nil
}
