package local_test

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// serveEnv makes the test binary a bare endpoint (default options, the soft
// memory limit it names, 0 for none) that prints its URL and serves until
// its stdin closes: the memory benchmark measures the server's own CPU time
// in a process of its own.
const serveEnv = "KINSPECT_LOCAL_BENCH_SERVE"

// serveForBench runs the endpoint when serveEnv is set and reports whether
// it did.
func serveForBench() bool {
	v, ok := os.LookupEnv(serveEnv)
	if !ok {
		return false
	}
	if limit, _ := strconv.ParseInt(v, 10, 64); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	srv := local.New(local.Options{})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		return true
	}
	fmt.Println(url)
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
	return true
}
