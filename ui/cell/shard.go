package cell

import "strings"

// ShortShardID is a shard ID without the "shardId-" prefix and its leading
// zeros: shardId-000000000007 is "7", shardId-000000000000 is "0". Other
// IDs are kept whole.
func ShortShardID(id string) string {
	rest, ok := strings.CutPrefix(id, "shardId-")
	if !ok {
		return id
	}
	if rest = strings.TrimLeft(rest, "0"); rest == "" {
		return "0"
	}
	return rest
}
