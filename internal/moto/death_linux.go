package moto

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills moto with kinspect, should Close not run.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
