package kinesisx

import "testing"

func TestIsLoopbackEndpoint(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:4567":                   true,
		"http://localhost:4566":                   true,
		"https://[::1]:443":                       true,
		"http://127.8.9.1":                        true,
		"https://kinesis.us-east-1.amazonaws.com": false,
		"http://10.0.0.5:4567":                    false,
		"":                                        false,
		"::not a url":                             false,
	} {
		if got := IsLoopbackEndpoint(url); got != want {
			t.Errorf("IsLoopbackEndpoint(%q) = %v, want %v", url, got, want)
		}
	}
}
