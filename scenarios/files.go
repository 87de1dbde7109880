package scenarios

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// DefaultMaxScenarioBytes bounds a scenario file's size: a larger file is refused, the
// error naming the file and this limit. Real scenarios are a few kilobytes.
const DefaultMaxScenarioBytes = 16 << 20

// readScenarioFile reads a scenario file: a regular file (a symlink to one is fine) of at
// most DefaultMaxScenarioBytes. Anything else (a FIFO, a device such as /dev/zero, a
// directory) is refused from its mode, before it is opened, so the loader never blocks in
// open(2) on a FIFO nor reads an endless device. The open itself is non-blocking and the
// mode is checked again on the open file, in case the path changed in between.
func readScenarioFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	if err := checkScenarioFile(path, st); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	if err := checkScenarioFile(path, st); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, DefaultMaxScenarioBytes+1))
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	if len(data) > DefaultMaxScenarioBytes {
		return nil, tooLarge(path)
	}
	return data, nil
}

// checkScenarioFile refuses what is not a regular file or is over the size limit.
func checkScenarioFile(path string, st os.FileInfo) error {
	if !st.Mode().IsRegular() {
		return &Error{File: path, Msg: fmt.Sprintf("is not a regular file (%s): a scenario is a YAML file; FIFOs, devices and sockets are not read", fileKind(st.Mode()))}
	}
	if st.Size() > DefaultMaxScenarioBytes {
		return tooLarge(path)
	}
	return nil
}

func tooLarge(path string) error {
	return &Error{File: path, Msg: fmt.Sprintf("is larger than the %d-byte limit for a scenario file (DefaultMaxScenarioBytes); a scenario is a few kilobytes of YAML", DefaultMaxScenarioBytes)}
}

// fileKind names a non-regular file's type for an error message.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}
