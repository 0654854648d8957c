// Package testenv gives tests of kinspect real servers and real SDK clients:
// a kinesis-mock server (npm package kinesis-local) started once per test
// binary on 127.0.0.1, SDK clients configured for tests, unique stream names
// and streams that clean up after themselves.
//
// Only tests import this package.
//
// Ownership and concurrency: the kinesis-mock process is started lazily by
// the first test that asks for it (a sync.Once, the one piece of
// package-level state, since the point is one server per binary) and is
// shared by every test of the binary; tests keep apart by using their own
// streams (StreamName). No goroutine is started: the process writes its
// output straight into a file, its exit is polled with a non-blocking wait,
// and it dies with the test binary because of SysProcAttr.Pdeathsig and a
// watchdog preloaded into node that exits when its parent changes. So
// goleak.VerifyTestMain in a package that uses it needs no exception.
//
// Clients built here ask for "Connection: close" on every request, so no
// idle keep-alive connection (and its two net/http goroutines) outlives a
// test.
package testenv
