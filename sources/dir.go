package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/atomicfile"
)

// Reject reasons of a directory entry that is not read: the `reason`
// label of jkn_source_ingest_errors_total, beside the parser's.
const (
	// ReasonNotRegularFile: a directory, named pipe (FIFO), socket or
	// device, or a link to one.
	ReasonNotRegularFile = "not_regular_file"
	// ReasonOutsideInbox: a symbolic link whose target is outside the
	// source's directory. It is not followed: nothing of the target (its
	// size, digest or contents) is read or shown.
	ReasonOutsideInbox = "outside_inbox"
	// ReasonUnreadable: the entry cannot be opened or read (permissions,
	// an I/O error, a link to nothing).
	ReasonUnreadable = "unreadable"
)

// Dir is a directory of workbooks, one branch office's inbox. Every entry
// but the ignored names (Ignored) is offered: a file is read, anything
// else becomes a File rejected with its reason.
type Dir struct {
	SourceName string
	Path       string
	// MaxFileBytes: a larger file is listed with its size but not read, so
	// the ingest rejects it without holding it in memory. 0: no limit.
	MaxFileBytes int64
	// SettleTime: a file modified more recently may still be being copied
	// in; it waits for the next run. 0: read every file at once.
	SettleTime time.Duration

	mu sync.Mutex
	// complete holds files written whole by Put (uploads, renamed into
	// place), which need not settle: name -> modtime.
	complete map[string]time.Time
	// pending lists the files the last Fetch left to settle.
	pending []string
}

// A directory is an inbox, and leaves files that are still being copied
// in pending.
var (
	_ Inbox  = (*Dir)(nil)
	_ Pender = (*Dir)(nil)
)

// Put implements Inbox: the file is written atomically (atomicfile,
// through a hidden temporary name Fetch ignores) and is read by the next
// Fetch without settling.
func (d *Dir) Put(name string, data []byte) error {
	if filepath.Base(name) != name || !IsWorkbookName(name) {
		return fmt.Errorf("putting %q into %s: not a plain workbook file name", name, d.Path)
	}
	// 0600, as the exporter wrote uploads so far: a branch office's figures.
	final := filepath.Join(d.Path, name)
	if err := atomicfile.WriteFile(final, data, 0o600); err != nil {
		return fmt.Errorf("putting %s into %s: %w", name, d.Path, err)
	}
	info, err := os.Stat(final)
	if err != nil {
		return fmt.Errorf("putting %s into %s: %w", name, d.Path, err)
	}
	modTime := info.ModTime()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.complete == nil {
		d.complete = map[string]time.Time{}
	}
	d.complete[name] = modTime
	return nil
}

// Pending implements Pender: the files the last Fetch left for a later
// run because they were still changing.
func (d *Dir) Pending() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.pending...)
}

func (d *Dir) settling(name string, modTime, now time.Time) bool {
	if d.SettleTime <= 0 || now.Sub(modTime) >= d.SettleTime {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	done, ok := d.complete[name]
	return !ok || !done.Equal(modTime)
}

// Name implements Source.
func (d *Dir) Name() string { return d.SourceName }

// Fetch implements Source. Every entry that is not Ignored is offered: one
// that cannot be read is a File with its RejectReason, and the others are
// read all the same. Links are followed only inside the directory.
func (d *Dir) Fetch(ctx context.Context) ([]File, error) {
	// Through the Root, no open follows a link (or "..") out of the
	// directory, even one swapped in after it was looked at.
	root, err := os.OpenRoot(d.Path)
	if err != nil {
		return nil, fmt.Errorf("reading directory: %w", err)
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, fmt.Errorf("reading directory: %w", err)
	}
	// Where links must lead to, resolved once: the directory itself may be
	// reached through a link.
	resolved, err := resolve(d.Path)
	if err != nil {
		return nil, fmt.Errorf("reading directory: %w", err)
	}
	var files []File
	var pending []string
	now := time.Now()
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := e.Name()
		if Ignored(name) {
			continue
		}
		f, wait, ok := d.entry(root, resolved, name, now, false)
		switch {
		case wait:
			pending = append(pending, name)
		case ok:
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	d.mu.Lock()
	d.pending = pending
	d.mu.Unlock()
	return files, nil
}

// read reads one file Fetch listed, through the checks of entry again:
// the entry may have changed since.
func (d *Dir) read(resolved, name string) File {
	path := filepath.Join(d.Path, name)
	root, err := os.OpenRoot(d.Path)
	if err != nil {
		return File{Name: name, Path: path, RejectReason: ReasonUnreadable, Err: fmt.Errorf("the source directory cannot be opened: %w", pathless(err))}
	}
	defer root.Close()
	f, _, ok := d.entry(root, resolved, name, time.Time{}, true)
	if !ok {
		return File{Name: name, Path: path, RejectReason: ReasonUnreadable, Err: errors.New("removed from the source directory before it could be read")}
	}
	return f
}

// entry lists one directory entry, and with readNow reads it; without, a
// file that passes every check comes back unread, with a Read that reads
// it. wait: it is still settling (never with readNow); !ok: it was removed
// meanwhile (nothing to report).
func (d *Dir) entry(root *os.Root, resolved, name string, now time.Time, readNow bool) (f File, wait, ok bool) {
	path := filepath.Join(d.Path, name)
	reject := func(reason string, modTime time.Time, format string, args ...any) (File, bool, bool) {
		return File{Name: name, Path: path, ModTime: modTime, RejectReason: reason, Err: fmt.Errorf(format, args...)}, false, true
	}
	info, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return File{}, false, false
	case err != nil:
		return reject(ReasonUnreadable, time.Time{}, "cannot be read: %v", pathless(err))
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		// The link's own time: nothing of a target outside is shown.
		linkTime := info.ModTime()
		target, err := resolve(path)
		if err != nil {
			return reject(ReasonUnreadable, linkTime, "a symbolic link to nothing that can be read (its target is missing or not reachable)")
		}
		if !within(resolved, target) {
			return reject(ReasonOutsideInbox, linkTime, "a symbolic link to a file outside the source directory: links are not followed out of it, "+
				"so nothing of its target is read or shown; put the workbook itself in the directory")
		}
		if info, err = root.Stat(name); err != nil {
			return reject(ReasonUnreadable, linkTime, "a symbolic link whose target cannot be read: %v", pathless(err))
		}
	}
	if info.IsDir() && info.Mode()&fs.ModeSymlink == 0 && filepath.Ext(name) == "" {
		// A folder of its own (arsip/, lost+found/) is no sheet an office
		// sent: passed over. One named like a file ("rekap.xlsx/") is
		// reported below, as it may be a sheet that never arrived.
		return File{}, false, false
	}
	if !info.Mode().IsRegular() {
		return reject(ReasonNotRegularFile, info.ModTime(), "%s, not a workbook file; only files are read from a source directory "+
			"(keep other things outside it, or under a hidden name such as .arsip)", kind(info.Mode()))
	}
	if !readNow && d.settling(name, info.ModTime(), now) {
		return File{}, true, false
	}
	if d.MaxFileBytes > 0 && info.Size() > d.MaxFileBytes {
		return File{Name: name, Path: path, ModTime: info.ModTime(), Size: info.Size(), Stamp: stampOf(info)}, false, true
	}
	if !readNow {
		return File{Name: name, Path: path, ModTime: info.ModTime(), Size: info.Size(), Stamp: stampOf(info),
			Read: func() File { return d.read(resolved, name) }}, false, true
	}
	// O_NONBLOCK: should the entry have become a FIFO since the Stat, the
	// open returns at once instead of waiting for a writer; the Stat of
	// the open file then tells.
	fh, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return reject(ReasonUnreadable, info.ModTime(), "cannot be opened: %v", pathless(err))
	}
	defer fh.Close()
	opened, err := fh.Stat()
	switch {
	case err != nil:
		return reject(ReasonUnreadable, info.ModTime(), "cannot be read: %v", pathless(err))
	case !opened.Mode().IsRegular():
		return reject(ReasonNotRegularFile, opened.ModTime(), "%s, not a workbook file", kind(opened.Mode()))
	}
	info = opened
	r := io.Reader(fh)
	if d.MaxFileBytes > 0 {
		r = io.LimitReader(fh, d.MaxFileBytes+1) // it may have grown since
	}
	// Sized to the file: io.ReadAll's doubling would leave twice a large
	// file's bytes behind for the collector.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	_, err = buf.ReadFrom(r)
	data := buf.Bytes()
	if err != nil {
		return reject(ReasonUnreadable, info.ModTime(), "cannot be read: %v", pathless(err))
	}
	if d.MaxFileBytes > 0 && int64(len(data)) > d.MaxFileBytes {
		// No Stamp: it grew while it was read, and is looked at again.
		return File{Name: name, Path: path, ModTime: info.ModTime(), Size: max(info.Size(), int64(len(data)))}, false, true
	}
	f = NewFile(name, path, info.ModTime(), data)
	// The stat of the open file, taken before the bytes were read: a
	// write during the read changes the file's stamp after it, so the
	// next ingest reads it again.
	f.Stamp = stampOf(info)
	return f, false, true
}

// resolve makes a path absolute and free of links.
func resolve(path string) (string, error) {
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	return filepath.Abs(p)
}

// within reports whether path is dir or below it; both are absolute and
// free of links.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && filepath.IsLocal(rel)
}

// kind names what a non-regular entry is, for its reject message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a regular file (" + m.Type().String() + ")"
	}
}

// pathless drops the path from an *fs.PathError: the message already names
// the file, and a path through a link must not show where it leads.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// temporarySuffixes end the names that copies and downloads are written
// under before they are renamed into place.
var temporarySuffixes = []string{".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".filepart", "~"}

// Ignored reports whether a directory source leaves a name alone without a
// word: Office's lock and temporary files (~$rekap.xlsx, ~WRL0001.tmp),
// hidden names (.name, and Windows' hidden Thumbs.db and desktop.ini, which
// a shared folder shows without their hidden attribute) and the temporary
// names of copies and downloads (.part, .crdownload, .tmp, ...). Every
// other entry is read or rejected with a reason.
func Ignored(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~"), strings.HasPrefix(name, "."):
		return true
	case lower == "thumbs.db", lower == "desktop.ini":
		return true
	}
	for _, s := range temporarySuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}

// WorkbookSuffixes returns the name endings an upload may be stored
// under, those of the formats the parser reads (.xlsx and .xlsm, .xls,
// .ods, CSV as .csv, .tsv and Excel's .txt, HTML tables as .htm and
// .html). The parser reads a file by its content, never by its name: the
// list only keeps an upload's name honest about what it holds.
func WorkbookSuffixes() []string {
	return []string{".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".htm", ".html"}
}

// IsWorkbookName reports whether a file name is one to store an upload
// under: a name ending in one of WorkbookSuffixes that is not Ignored.
func IsWorkbookName(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range WorkbookSuffixes() {
		if strings.HasSuffix(lower, s) {
			return !Ignored(name)
		}
	}
	return false
}
