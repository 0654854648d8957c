package human

import (
	"testing"
	"time"
)

func TestAge(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{{-time.Second, "0s"}, {0, "0s"}, {45 * time.Second, "45s"}, {12 * time.Minute, "12m"}, {47 * time.Hour, "47h"}, {48 * time.Hour, "2d"}, {96 * time.Hour, "4d"}}
	for _, tt := range tests {
		if got := Age(tt.d); got != tt.want {
			t.Errorf("Age(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
