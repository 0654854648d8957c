package cell

import "testing"

func TestShortShardID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"shardId-000000000007", "7"},
		{"shardId-000000000120", "120"},
		{"shardId-000000000000", "0"},
		{"shardId-", "0"},
		{"007", "007"},
		{"custom", "custom"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ShortShardID(tt.id); got != tt.want {
			t.Errorf("ShortShardID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}
