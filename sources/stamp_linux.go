package sources

import (
	"io/fs"
	"syscall"
)

// stampOf is the Stamp of a file's stat.
func stampOf(info fs.FileInfo) Stamp {
	s := Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		s.Device, s.Inode = st.Dev, st.Ino
		s.Change = st.Ctim.Nano()
	}
	return s
}
