package reports

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// DefaultMaxReportBytes bounds a report or summary file read back: a larger file is
// refused, the error naming the file and the limit.
const DefaultMaxReportBytes = 64 << 20

// readBounded reads a regular file of at most DefaultMaxReportBytes; a FIFO or a device is
// refused from its mode, without being opened for a blocking read.
func readBounded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s): reports are JSON files", path, st.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: reports are JSON files", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, DefaultMaxReportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > DefaultMaxReportBytes {
		return nil, fmt.Errorf("%s is larger than the %d-byte limit for a report file (DefaultMaxReportBytes)", path, DefaultMaxReportBytes)
	}
	return b, nil
}
