// Package sources holds where workbooks come from: each source kind lists
// the workbook files it currently offers, one file per source kind.
package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// File is one workbook as a source offers it, read whole into memory.
type File struct {
	// Name is the file's base name (what findings and logs show).
	Name string
	// Path locates the file for the operator (a path or URL); may equal Name.
	Path    string
	ModTime time.Time
	// Size is the file's size in bytes. Data is nil when a source did not
	// read a file because it is over its size limit; Size still says how big.
	Size int64
	// SHA256 is the hex digest of Data.
	SHA256 string
	Data   []byte
	// RejectReason, when set, says why the source offers this entry
	// unread (a directory, a link out of the inbox, ...), in the reasons'
	// snake_case; Err says it in words. Data is then nil and the ingest
	// rejects the file with that reason.
	RejectReason string
	Err          error
	// Read, when set, reads a file the source listed but left unread
	// (Data nil): a directory's files are read one at a time as the
	// ingest reaches each, not all before it (ten 60 MB workbooks held
	// 0.6 GB). It returns the file as it is then, read or rejected.
	Read func() File
	// Stamp is what the source's stat says of the file, without reading
	// it; the zero Stamp when it cannot tell (a URL). Of a file read, it
	// is the stat of the opened file, taken before its bytes were.
	Stamp Stamp
}

// Stamp is a file's identity and version as a stat gives them: device,
// inode, size, modification and change time. While it stays the same, so
// do the file's bytes, as far as the file system can tell: an ingest may
// reuse what it made of them (ingest.Cache) instead of reading them
// again. The change time (ctime) is there because no tool sets it: a
// rewrite in place that keeps the size and the modification time (cp -p,
// touch -r) still changes it, as a rename into place changes the inode.
type Stamp struct {
	Device, Inode uint64
	Size          int64
	// ModTime and Change are in Unix nanoseconds, so that stamps compare
	// with ==.
	ModTime, Change int64
}

// Known reports whether the stamp says anything: the zero one never
// matches.
func (s Stamp) Known() bool { return s != Stamp{} }

// Loaded returns the file with its bytes: itself when it holds them, is
// rejected or was not read for its size, else what Read gives.
func (f File) Loaded() File {
	if f.Read == nil || f.Data != nil || f.RejectReason != "" {
		return f
	}
	return f.Read()
}

// NewFile fills in the digest of data.
func NewFile(name, path string, modTime time.Time, data []byte) File {
	sum := sha256.Sum256(data)
	return File{Name: name, Path: path, ModTime: modTime, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// Source lists the workbook files a branch office currently offers.
// Fetch returns every current file; an error means the source as a whole
// could not be read (a missing directory), not that one file is bad.
type Source interface {
	Name() string
	Fetch(ctx context.Context) ([]File, error)
}

// The optional abilities of a source. A caller asks for one with a type
// assertion on these names, never on a concrete source type.

// Pender is a source whose Fetch may leave files for a later one because
// they are still being written (a directory's settle time): they are not
// ignored without a word, they are pending.
type Pender interface {
	// Pending lists the files the last Fetch left for a later one.
	Pending() []string
}

// Inbox is a source that takes workbooks written into it: a branch
// office's uploads.
type Inbox interface {
	Source
	// Put stores a workbook under a plain file name, whole or not at all,
	// so that no Fetch sees half of it; the next Fetch reads it without
	// waiting for it to settle.
	Put(name string, data []byte) error
}
