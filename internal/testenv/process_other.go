//go:build !linux

package testenv

import "errors"

// startMock is implemented for Linux only: it relies on Pdeathsig and
// process groups to keep node from outliving the test binary.
func startMock(dir string) (*mockServer, error) {
	return nil, errors.New("the kinesis-mock harness runs on Linux only")
}
