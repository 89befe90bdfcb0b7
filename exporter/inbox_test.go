package exporter

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// TestInboxEntriesNeverSkippedSilently reads an inbox of two good
// workbooks, then replaces one by a FIFO of the same name and adds a
// subdirectory, a socket, a link to a file outside the inbox, a link to
// /dev/zero and a CSV file. Each of them is a file rejected with its own
// reason, counted in jkn_source_ingest_errors_total and setting
// jkn_source_up 0; the other workbook is read as before, the replaced
// one's regions are kept, and nothing of the links' targets is shown.
func TestInboxEntriesNeverSkippedSilently(t *testing.T) {
	base := t.TempDir()
	inbox := filepath.Join(base, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	rows := hostile.GoodRows()
	mustWrite := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(inbox, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite("banyuasin.xlsx", hostile.Table("1 Mei 2025", rows[0]))
	mustWrite("palembang.xlsx", hostile.Table("1 Mei 2025", rows[1]))
	src := &Source{
		Source:   &sources.Dir{SourceName: "kc-palembang", Path: inbox, MaxFileBytes: DefaultMaxFileBytes},
		Kind:     "directory",
		Settings: ingest.Settings{BranchOffice: "Palembang", Province: "Sumatera Selatan", MaxFileBytes: DefaultMaxFileBytes},
	}
	e, reg := newTestExporter(t, []*Source{src}, "")
	if s := e.Ingest(context.Background(), src); !s.Up || len(s.Records) != 2 {
		t.Fatalf("good inbox: up %v, %d regions", s.Up, len(s.Records))
	}
	before := regionSeries(scrape(t, e, reg))

	if err := os.Remove(filepath.Join(inbox, "palembang.xlsx")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(inbox, "palembang.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(inbox, "arsip.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(inbox, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	token := filepath.Join(base, "upload.token")
	if err := os.WriteFile(token, []byte("tok-S3CRET-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"token.xlsx": token, "zero.xlsx": "/dev/zero"} {
		if err := os.Symlink(target, filepath.Join(inbox, link)); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite("catatan.txt", []byte("Laporan bulan Mei: angka menyusul\n"))

	s := e.Ingest(context.Background(), src)
	if s.Up {
		t.Error("source up with entries it could not read")
	}
	want := map[string]string{
		"banyuasin.xlsx": "", "palembang.xlsx": sources.ReasonNotRegularFile, "arsip.xlsx": sources.ReasonNotRegularFile,
		"sock": sources.ReasonNotRegularFile, "token.xlsx": sources.ReasonOutsideInbox, "zero.xlsx": sources.ReasonOutsideInbox,
		"catatan.txt": jkn.ReasonUnsupportedFormat,
	}
	for _, f := range s.Files {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected file %s", f.Name)
			continue
		}
		delete(want, f.Name)
		if f.Reason != w {
			t.Errorf("%s: reason %q (%s), want %q", f.Name, f.Reason, f.Error, w)
		}
		if w != "" && !strings.HasPrefix(f.Error, f.Name+": rejected ("+w+"): ") {
			t.Errorf("%s: error %q does not name the file and reason", f.Name, f.Error)
		}
		if w == sources.ReasonOutsideInbox && (f.Size != 0 || f.SHA256 != "" || strings.Contains(f.Error, base)) {
			t.Errorf("%s: shows its target: size %d, sha256 %q, error %q", f.Name, f.Size, f.SHA256, f.Error)
		}
		if f.Name == "palembang.xlsx" && !f.Kept {
			t.Error("palembang.xlsx: its regions from the last good read are not kept")
		}
	}
	for name := range want {
		t.Errorf("%s: not reported (skipped silently)", name)
	}
	m := scrape(t, e, reg)
	for _, line := range []string{
		`jkn_source_up{branch_office="Palembang",source="kc-palembang"} 0`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="not_regular_file",source="kc-palembang"} 3`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="outside_inbox",source="kc-palembang"} 2`,
		`jkn_source_ingest_errors_total{branch_office="Palembang",reason="unsupported_format",source="kc-palembang"} 1`,
	} {
		if !strings.Contains(m, line+"\n") {
			t.Errorf("no %s", line)
		}
	}
	if after := regionSeries(m); after != before {
		t.Errorf("region series changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if strings.Contains(m, "S3CRET") {
		t.Error("the exposition shows the token")
	}
}
