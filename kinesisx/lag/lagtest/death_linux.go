package lagtest

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills moto with the test binary, should Cleanup not run.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
