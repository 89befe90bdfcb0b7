package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// Crashes of the real binary (RELIABILITY.md): SIGKILL while a source is
// ingested and while its snapshot is written, a corrupted or truncated
// state file, a full disk under --storage.path.

const crashToken = "crash-test-token-0123456789"

// trigger asks for an ingest without waiting for, or caring about, the
// answer: the process may be killed before it comes.
func trigger(p *proc, token string) {
	req, _ := http.NewRequest("POST", p.url("/api/v1/sources/kc-palembang/ingest"), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	go func() {
		if resp, err := p.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
}

// tempFiles lists the temporary files of interrupted snapshot saves.
func tempFiles(storage string) []string {
	m, _ := filepath.Glob(filepath.Join(storage, ".kc-palembang.*.tmp"))
	return m
}

// TestCrashDuringIngestAndSave kills the exporter at several points of an
// ingest of a big workbook (150,000 rows: seconds to read, and a snapshot
// of as many findings to write) and restarts it each time: the state file
// always loads whole, the restart serves the last good snapshot at once,
// and the temporary file of a cut save is removed.
func TestCrashDuringIngestAndSave(t *testing.T) {
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	storage := filepath.Join(dir, "data")
	inbox, cfg := goodInbox(t, dir, "good.xlsx")
	args := []string{"--config.file=" + cfg, "--storage.path=" + storage}
	p := launch(t, bin, args...)
	p.waitReady(nil)
	want := testtool.RegionLines(p.metrics())
	if !strings.Contains(want, `region_code="16.07"`) || !strings.Contains(want, `region_code="16.71"`) {
		t.Fatalf("good workbook not served:\n%s", want)
	}
	// Its rows are Banyuasin again and again, with the good figures: read,
	// it changes no figure served, and leaves a finding per repeated row.
	mustWrite(t, filepath.Join(inbox, "big.xlsx"), hostile.ManyRows(150_000))

	saves, ingests := 0, 0
	for i, point := range []string{"ingest", "save", "ingest", "save", "ingest", "save"} {
		trigger(p, crashToken)
		switch point {
		case "ingest":
			time.Sleep([]time.Duration{50, 400, 900}[i/2] * time.Millisecond)
		case "save":
			deadline := time.Now().Add(60 * time.Second)
			for len(tempFiles(storage)) == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("no snapshot save seen in 60 s; logs:\n%s", p.logs)
				}
				time.Sleep(time.Millisecond)
			}
		}
		p.kill()
		left := tempFiles(storage)
		if len(left) > 0 {
			saves++
		} else {
			ingests++
		}
		// The state file is the old one or the new one, whole.
		snap, err := snapshot.Load(storage, "kc-palembang")
		if err != nil {
			t.Fatalf("kill %d (%s): state file: %v", i+1, point, err)
		}
		if len(snap.Records) != 2 {
			t.Fatalf("kill %d (%s): state file holds %d regions", i+1, point, len(snap.Records))
		}
		p = launch(t, bin, args...)
		p.waitReady(nil)
		if got := testtool.RegionLines(p.metrics()); got != want {
			t.Fatalf("kill %d (%s): after restart\n%s\nwant\n%s", i+1, point, got, want)
		}
		if !strings.Contains(p.logs.String(), "restored last good snapshot") {
			t.Errorf("kill %d: restart did not restore the snapshot; logs:\n%s", i+1, p.logs)
		}
		for _, f := range left {
			if _, err := os.Stat(f); !os.IsNotExist(err) {
				t.Errorf("kill %d: temporary file %s of the cut save is still there", i+1, filepath.Base(f))
			}
		}
	}
	t.Logf("killed %d times during a snapshot save, %d times before it", saves, ingests)
	if saves < 3 {
		t.Errorf("only %d kills hit a snapshot save", saves)
	}
}

// corruptions turn a good state file into a bad one.
var corruptions = map[string]func(t *testing.T, good []byte) []byte{
	"truncated": func(_ *testing.T, good []byte) []byte { return good[:len(good)/2] },
	"empty":     func(_ *testing.T, _ []byte) []byte { return nil },
	"flipped byte": func(_ *testing.T, good []byte) []byte {
		bad := bytes.Clone(good)
		bad[len(bad)/2] ^= 0x55
		return bad
	},
	// Valid gzip and JSON, a figure changed: only the checksum tells.
	"figure changed": func(t *testing.T, good []byte) []byte {
		zr, err := gzip.NewReader(bytes.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var env map[string]json.RawMessage
		if err := json.Unmarshal(raw, &env); err != nil {
			t.Fatal(err)
		}
		changed := bytes.Replace(env["snapshot"], []byte("837062"), []byte("837063"), 1)
		if bytes.Equal(changed, env["snapshot"]) {
			t.Fatal("no figure to change in the state file")
		}
		env["snapshot"] = changed
		out, _ := json.Marshal(env)
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(out)
		_ = zw.Close()
		return b.Bytes()
	},
}

// TestCorruptStateFileNeverServed starts the real binary on a corrupted or
// truncated state file, its source unreadable: the file is detected,
// ignored with a warning and counted (op="restore"); nothing is served.
func TestCorruptStateFileNeverServed(t *testing.T) {
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	storage := filepath.Join(dir, "data")
	inbox, cfg := goodInbox(t, dir, "good.xlsx")
	args := []string{"--config.file=" + cfg, "--storage.path=" + storage}
	p := launch(t, bin, args...)
	p.waitReady(nil)
	p.kill()
	state := filepath.Join(storage, "kc-palembang.snapshot.json.gz")
	good, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(inbox); err != nil {
		t.Fatal(err)
	}
	for name, corrupt := range corruptions {
		t.Run(name, func(t *testing.T) {
			mustWrite(t, state, corrupt(t, good))
			p := launch(t, bin, args...)
			p.waitReady(nil)
			m := p.metrics()
			if lines := testtool.RegionLines(m); lines != "" {
				t.Errorf("a %s state file was served:\n%s", name, lines)
			}
			for _, want := range []string{
				`jkn_snapshot_persist_errors_total{branch_office="Palembang",op="restore",source="kc-palembang"} 1`,
				`jkn_source_up{branch_office="Palembang",source="kc-palembang"} 0`,
			} {
				if !strings.Contains(m, want) {
					t.Errorf("no %s", want)
				}
			}
			logs := p.logs.String()
			if !strings.Contains(logs, "ignoring saved snapshot") || !strings.Contains(logs, "level=WARN") {
				t.Errorf("no warning in the log:\n%s", logs)
			}
		})
	}
	// The pristine file is served again: the test corrupted what it meant to.
	mustWrite(t, state, good)
	p = launch(t, bin, args...)
	p.waitReady(nil)
	if lines := testtool.RegionLines(p.metrics()); !strings.Contains(lines, `region_code="16.07"`) {
		t.Errorf("the good state file was not restored:\n%s", lines)
	}
}
