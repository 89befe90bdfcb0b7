package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// TestInboxEntriesReported puts beside a good workbook what an inbox may
// also hold: a FIFO and a folder named like workbooks, a link to the
// source's own upload token file, a CSV export and Excel's lock file. The
// real binary reads the workbook, reports every other entry but the lock
// file with its reason (log, jkn_source_ingest_errors_total,
// jkn_source_up 0, GET /api/v1/sources), and publishes nothing of the
// token: neither its size nor its digest. `check --config.file` lists the
// same entries and exits 1.
func TestInboxEntriesReported(t *testing.T) {
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	inbox, cfg := goodInbox(t, dir, "good.xlsx")
	if err := syscall.Mkfifo(filepath.Join(inbox, "pipa.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(inbox, "arsip.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	token := filepath.Join(dir, "upload.token") // sourceConfig's, outside the inbox
	if err := os.Symlink(token, filepath.Join(inbox, "token.xlsx")); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(inbox, "catatan.txt"), []byte("Laporan bulan Mei: angka menyusul\n"))
	mustWrite(t, filepath.Join(inbox, "~$good.xlsx"), []byte("lock"))
	tok, err := os.ReadFile(token)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(tok)
	tokenSum := hex.EncodeToString(sum[:])
	want := map[string]string{"arsip.xlsx": "not_regular_file", "pipa.xlsx": "not_regular_file", "token.xlsx": "outside_inbox", "catatan.txt": "unsupported_format"}

	code, out, errs := runCmd("check", "--lang=en", "--config.file="+cfg)
	if code != 1 {
		t.Errorf("check: exit %d, want 1\n%s%s", code, out, errs)
	}
	for name, reason := range want {
		if !strings.Contains(out, "  REJECTED ("+reason+"): "+name+": rejected ("+reason+"): ") {
			t.Errorf("check does not report %s as %s:\n%s", name, reason, out)
		}
	}
	if !strings.Contains(out, "regions (2):") || strings.Contains(out, "~$good.xlsx") || strings.Contains(out, tokenSum[:12]) {
		t.Errorf("check: the good workbook not read, the lock file listed or the token's digest shown:\n%s", out)
	}

	p := launch(t, bin, "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"))
	p.waitReady(nil)
	m := p.metrics()
	for _, line := range []string{
		`jkn_source_up{branch_office="Palembang",source="kc-palembang"} 0`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="not_regular_file",source="kc-palembang"} 2`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="outside_inbox",source="kc-palembang"} 1`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="unsupported_format",source="kc-palembang"} 1`,
		`jkn_population{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 837062`,
	} {
		if !strings.Contains(m, line+"\n") {
			t.Errorf("no %s", line)
		}
	}
	for name, reason := range want {
		logged := false
		for _, line := range strings.Split(p.logs.String(), "\n") {
			logged = logged || strings.Contains(line, `msg="rejected workbook" source_name=kc-palembang file=`+name+" ") && strings.Contains(line, " reason="+reason+" ")
		}
		if !logged {
			t.Errorf("no log line rejecting %s (%s):\n%s", name, reason, p.logs)
		}
	}

	code, api := p.do("GET", "/api/v1/sources", nil)
	var body struct {
		Sources []struct {
			Files []struct {
				Name, Reason, SHA256 string
				Size                 int64
			}
		}
	}
	if err := json.Unmarshal([]byte(api), &body); code != 200 || err != nil || len(body.Sources) != 1 {
		t.Fatalf("sources API: %d %v\n%s", code, err, api)
	}
	if strings.Contains(api, tokenSum) || strings.Contains(api, strings.TrimSpace(string(tok))) {
		t.Errorf("the sources API shows the token file's digest or content:\n%s", api)
	}
	got := map[string]string{}
	for _, f := range body.Sources[0].Files {
		got[f.Name] = f.Reason
		if f.Name == "token.xlsx" && (f.Size != 0 || f.SHA256 != "") {
			t.Errorf("token.xlsx listed with size %d, sha256 %q", f.Size, f.SHA256)
		}
	}
	want["good.xlsx"] = ""
	for name, reason := range want {
		if r, ok := got[name]; !ok || r != reason {
			t.Errorf("API: %s reason %q (listed: %v), want %q", name, r, ok, reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("API lists %v, want %v", got, want)
	}
}
