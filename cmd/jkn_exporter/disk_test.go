//go:build linux

package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// TestFullDiskKeepsServing puts --storage.path on a full disk: a 1 MiB
// tmpfs, filled, so that saving the snapshot fails with ENOSPC. That needs
// root (mount); without it the subtest is skipped, and the other one,
// a storage path under a regular file (ENOTDIR for any user), still shows
// a failing save. Either way the save failure is logged and counted
// (op="save"), the new figures are served from memory, and the last saved
// state file is left whole.
func TestFullDiskKeepsServing(t *testing.T) {
	bin := testtool.BuildExporter(t)
	t.Run("tmpfs full", func(t *testing.T) {
		// CI runs as root and can mount: there the case must run, not skip.
		skip := t.Skipf
		if os.Getenv("CI") != "" {
			skip = t.Fatalf
		}
		if os.Geteuid() != 0 {
			skip("mounting a tmpfs needs root; the not-a-directory case below still runs")
		}
		storage := t.TempDir()
		if err := syscall.Mount("tmpfs", storage, "tmpfs", 0, "size=1m"); err != nil {
			skip("cannot mount a tmpfs here (%v); the not-a-directory case below still runs", err)
		}
		t.Cleanup(func() { _ = syscall.Unmount(storage, syscall.MNT_DETACH) })
		fill := func() func() {
			f, err := os.Create(filepath.Join(storage, "filler"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(f, zeros{})
			f.Close()
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the tmpfs: %v", err)
			}
			return func() { _ = os.Remove(f.Name()) }
		}
		checkFullDisk(t, bin, storage, fill, "no space left on device")
	})
	t.Run("storage path under a file", func(t *testing.T) {
		dir := t.TempDir()
		storage := filepath.Join(dir, "data")
		// Saving works at first; then the directory is swapped for a file,
		// so that creating the state file under it fails.
		block := func() func() {
			if err := os.Rename(storage, storage+".saved"); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, storage, []byte("not a directory"))
			return func() {
				_ = os.Remove(storage)
				_ = os.Rename(storage+".saved", storage)
			}
		}
		checkFullDisk(t, bin, storage, block, "not a directory")
	})
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// checkFullDisk serves a source with storage under path, breaks the
// storage with block, ingests changed figures, then unblocks it.
func checkFullDisk(t *testing.T, bin, storage string, block func() (unblock func()), errText string) {
	t.Helper()
	dir := t.TempDir()
	inbox, cfg := goodInbox(t, dir, "rekap.xlsx")
	book := filepath.Join(inbox, "rekap.xlsx")
	p := launch(t, bin, "--config.file="+cfg, "--storage.path="+storage)
	p.waitReady(nil)
	if _, err := snapshot.Load(storage, "kc-palembang"); err != nil {
		t.Fatalf("first save: %v", err)
	}
	unblock := block()
	// New figures for Banyuasin; the ingest must serve them whatever the disk.
	rows := hostile.GoodRows()
	rows[0][3] = "817999"
	mustWrite(t, book, hostile.Table("1 Juni 2025", rows...))
	if code, body := p.do("POST", "/api/v1/sources/kc-palembang/ingest", nil, "Authorization", "Bearer "+crashToken); code != 200 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	m := p.metrics()
	for _, want := range []string{
		`jkn_participants{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 817999`,
		`jkn_snapshot_persist_errors_total{branch_office="Palembang",op="save",source="kc-palembang"} 1`,
		`jkn_source_up{branch_office="Palembang",source="kc-palembang"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("no %s", want)
		}
	}
	logs := p.logs.String()
	if !strings.Contains(logs, "cannot save snapshot") || !strings.Contains(logs, errText) {
		t.Errorf("the failed save is not logged with %q:\n%s", errText, logs)
	}
	unblock()
	// The last saved file is whole and holds the old figures; no temporary
	// file is left.
	snap, err := snapshot.Load(storage, "kc-palembang")
	if err != nil || participants(snap) != 817221 {
		t.Fatalf("state file after the failed save: %v, %+v", err, snap)
	}
	if left := tempFiles(storage); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// With room again, the next ingest saves.
	if code, _ := p.do("POST", "/api/v1/sources/kc-palembang/ingest", nil, "Authorization", "Bearer "+crashToken); code != 200 {
		t.Fatal("ingest after freeing the disk failed")
	}
	if snap, err := snapshot.Load(storage, "kc-palembang"); err != nil || participants(snap) != 817999 {
		t.Errorf("state file after the disk was freed: %v", err)
	}
}

// participants is Banyuasin's participants figure in a saved snapshot.
func participants(s *snapshot.Snapshot) float64 {
	for _, r := range s.Records {
		if r.Region.Code == "16.07" {
			v, _ := r.Figures.Get(jkn.FieldParticipants)
			return v
		}
	}
	return -1
}
