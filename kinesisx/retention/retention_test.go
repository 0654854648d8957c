package retention

import (
	"fmt"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

func TestAssess(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name      string
		retention time.Duration
		threshold time.Duration
		age       time.Duration
		wantLeft  time.Duration
		want      Level
	}{
		{"caught up", day, 0, 0, day, LevelOK},
		{"behind but safe", day, 0, 17 * time.Hour, 7 * time.Hour, LevelOK},
		{"just at the default threshold", day, 0, 18 * time.Hour, 6 * time.Hour, LevelOK},
		{"under the default threshold", day, 0, 18*time.Hour + time.Second, 6*time.Hour - time.Second, LevelAtRisk},
		{"explicit threshold", day, 30 * time.Minute, 23 * time.Hour, time.Hour, LevelOK},
		{"explicit threshold crossed", day, 2 * time.Hour, 23 * time.Hour, time.Hour, LevelAtRisk},
		{"exactly at retention", day, 0, day, 0, LevelLosing},
		{"past retention", day, 0, day + time.Hour, -time.Hour, LevelLosing},
		{"negative age", day, 0, -time.Minute, day, LevelOK},
		{"a week", 7 * day, 0, 5 * day, 2 * day, LevelOK},
		{"a week, two hours left", 7 * day, 0, 7*day - 2*time.Hour, 2 * time.Hour, LevelAtRisk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(tt.retention, tt.threshold, []ShardAge{{ShardID: "s", IteratorAge: tt.age}})
			if len(got) != 1 || got[0].Left != tt.wantLeft || got[0].Level != tt.want || got[0].AtRisk() != (tt.want != LevelOK) {
				t.Errorf("got %+v, want left %v level %v", got, tt.wantLeft, tt.want)
			}
		})
	}
}

func TestAssessOrderAndThreshold(t *testing.T) {
	got := Assess(24*time.Hour, 0, []ShardAge{{"b", time.Hour}, {"a", time.Hour}, {"c", 20 * time.Hour}})
	if fmt.Sprint(ids(got)) != "[c a b]" {
		t.Errorf("order %v", ids(got))
	}
	if DefaultThreshold(4*time.Hour) != time.Hour || DefaultThreshold(168*time.Hour) != 42*time.Hour {
		t.Error("DefaultThreshold")
	}
	if Retention(kinesisx.Stream{RetentionHours: 48}) != 48*time.Hour {
		t.Error("Retention")
	}
	for l, s := range map[Level]string{LevelOK: "ok", LevelAtRisk: "at-risk", LevelLosing: "losing"} {
		if l.String() != s {
			t.Errorf("%d: %s", l, l)
		}
	}
}

func TestFromProgress(t *testing.T) {
	got := FromProgress(map[string]kinesisx.ShardProgress{
		"s2": {MillisBehindLatest: 1500},
		"s1": {MillisBehindLatest: 0},
		"s0": {MillisBehindLatest: 9, Closed: true},
	})
	if fmt.Sprint(got) != "[{s1 0s} {s2 1.5s}]" {
		t.Errorf("got %v", got)
	}
}

func ids(rs []Risk) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ShardID)
	}
	return out
}
