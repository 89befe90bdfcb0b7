//go:build !linux

package sources

import "io/fs"

// stampOf is the Stamp of a file's stat: its size and modification time
// only, where the exporter is not built for Linux.
func stampOf(info fs.FileInfo) Stamp {
	return Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
}
