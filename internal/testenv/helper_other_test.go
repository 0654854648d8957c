//go:build !linux

package testenv

const helperEnv = "KINSPECT_TESTENV_HELPER"

// helperMain exists for TestMain; the helper process is Linux-only.
func helperMain() int { return 1 }
