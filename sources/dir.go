package sources

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Dir is a directory of .xlsx files, one branch office's inbox.
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
	// complete holds files written whole by the exporter itself (uploads,
	// renamed into place), which need not settle: name -> modtime.
	complete map[string]time.Time
	// pending lists the files the last Fetch left to settle.
	pending []string
}

// MarkComplete tells the source that a file was written atomically and
// may be read before its settle time.
func (d *Dir) MarkComplete(name string, modTime time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.complete == nil {
		d.complete = map[string]time.Time{}
	}
	d.complete[name] = modTime
}

// Pending lists the files the last Fetch left for a later run because
// they were still changing.
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

// Fetch implements Source. Files that are not workbooks, Excel's lock files
// (~$name.xlsx), hidden files and temporary names are left alone.
func (d *Dir) Fetch(ctx context.Context) ([]File, error) {
	entries, err := os.ReadDir(d.Path)
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
		if e.IsDir() || !IsWorkbookName(name) {
			continue
		}
		path := filepath.Join(d.Path, name)
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			continue // removed meanwhile, or not a plain file
		}
		if d.settling(name, info.ModTime(), now) {
			pending = append(pending, name)
			continue
		}
		if d.MaxFileBytes > 0 && info.Size() > d.MaxFileBytes {
			files = append(files, File{Name: name, Path: path, ModTime: info.ModTime(), Size: info.Size()})
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		files = append(files, NewFile(name, path, info.ModTime(), data))
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	d.mu.Lock()
	d.pending = pending
	d.mu.Unlock()
	return files, nil
}

// IsWorkbookName reports whether a file name is a workbook to read: an
// .xlsx that is not Excel's lock file (~$…), hidden (.…) or a partial copy.
func IsWorkbookName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case !strings.HasSuffix(lower, ".xlsx"):
		return false
	case strings.HasPrefix(name, "~$"), strings.HasPrefix(name, "."):
		return false
	}
	return true
}
