package sources

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv names the directory a re-executed test binary fetches as an
// unprivileged user (fetchUnprivileged) instead of running the tests.
const childEnv = "JKN_SOURCES_FETCH_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		files, err := (&Dir{SourceName: "kc", Path: dir}).Fetch(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		_ = json.NewEncoder(os.Stdout).Encode(summarize(files))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// entrySummary is what a test checks of one offered File.
type entrySummary struct {
	Reason, Err, SHA256 string
	Size                int64
	Data                string
}

// summarize reads each file as the ingest does (File.Loaded) and sums
// it up.
func summarize(files []File) map[string]entrySummary {
	out := map[string]entrySummary{}
	for _, f := range files {
		f = f.Loaded()
		s := entrySummary{Reason: f.RejectReason, SHA256: f.SHA256, Size: f.Size, Data: string(f.Data)}
		if f.Err != nil {
			s.Err = f.Err.Error()
		}
		out[f.Name] = s
	}
	return out
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// fetch runs Fetch, failing the test if it does not return: a FIFO opened
// for reading would block it until a writer comes.
func fetch(t *testing.T, d *Dir) []File {
	t.Helper()
	type result struct {
		files []File
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, err := d.Fetch(context.Background())
		for i := range files {
			files[i] = files[i].Loaded() // as the ingest reads them
		}
		done <- result{files, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Fetch: %v", r.err)
		}
		return r.files
	case <-time.After(30 * time.Second):
		t.Fatal("Fetch blocked (a FIFO opened for reading?)")
		return nil
	}
}

func TestDirSkipsFilesStillBeingWritten(t *testing.T) {
	dir := t.TempDir()
	d := &Dir{SourceName: "kc", Path: dir, SettleTime: time.Hour}
	for _, name := range []string{"~$rekap.xlsx", ".hidden.xlsx", "rekap.xlsx.part"} {
		write(t, filepath.Join(dir, name), "x")
	}
	growing := filepath.Join(dir, "rekap.xlsx")
	write(t, growing, "half")
	files := fetch(t, d)
	if len(files) != 0 || len(d.Pending()) != 1 || d.Pending()[0] != "rekap.xlsx" {
		t.Fatalf("files %v, pending %v: a just-written file must wait", files, d.Pending())
	}
	// Once it has not changed for the settle time it is read.
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(growing, old, old); err != nil {
		t.Fatal(err)
	}
	files = fetch(t, d)
	if len(files) != 1 || files[0].Name != "rekap.xlsx" || len(d.Pending()) != 0 {
		t.Fatalf("after settling: %v %v", files, d.Pending())
	}
	// A file put into the inbox (an upload, written atomically) need not
	// settle, and leaves no temporary file behind.
	var inbox Inbox = d
	if err := inbox.Put("upload.xlsx", []byte("whole")); err != nil {
		t.Fatal(err)
	}
	files = fetch(t, d)
	if len(files) != 2 || files[1].Name != "upload.xlsx" || string(files[1].Data) != "whole" {
		t.Fatalf("upload put into the inbox not read at once: %v", files)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	for _, bad := range []string{"../x.xlsx", "sub/x.xlsx", ".hidden.xlsx"} {
		if err := d.Put(bad, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted", bad)
		}
	}
}

func TestIgnoredNames(t *testing.T) {
	for _, name := range []string{
		"~$rekap.xlsx", "~WRL0001.tmp", ".hidden.xlsx", ".~lock.rekap.xlsx#", "._rekap.xlsx", ".DS_Store",
		"Thumbs.db", "desktop.ini", "rekap.xlsx.part", "rekap.xlsx.crdownload", "rekap.xlsx.partial",
		"rekap.xlsx.download", "rekap.xlsx.filepart", "rekap.TMP", "rekap.xlsx.temp", "rekap.xlsx~",
	} {
		if !Ignored(name) {
			t.Errorf("%q is not ignored", name)
		}
	}
	for _, name := range []string{"rekap.xlsx", "REKAP.XLSX", "rekap.xls", "rekap.ods", "rekap.csv", "catatan.txt", "rekap", "arsip", "rekap.xlsx.bak"} {
		if Ignored(name) {
			t.Errorf("%q is ignored: it must be read or reported", name)
		}
	}
	for _, name := range []string{"Rekap Mei.XLSX", "rekap.xlsm", "rekap.XLS", "rekap.ods", "rekap.csv", "rekap.tsv", "rekap.txt", "rekap.htm", "rekap.html"} {
		if !IsWorkbookName(name) {
			t.Errorf("IsWorkbookName(%q) is false: an upload may be stored under the name of each format read", name)
		}
	}
	for _, name := range []string{"~$rekap.xlsx", "rekap.csv.tmp", "rekap.pdf", "rekap.docx", "rekap"} {
		if IsWorkbookName(name) {
			t.Errorf("IsWorkbookName(%q) is true", name)
		}
	}
}

// TestDirReportsEveryEntry fills an inbox with one of everything a
// directory can hold besides workbooks: every entry but the ignored names
// is offered, read or rejected with its reason, and the good files are
// read whatever sits beside them. No link leads out of the directory:
// nothing of a target outside (the upload token file, /dev/zero) is read.
func TestDirReportsEveryEntry(t *testing.T) {
	base := t.TempDir()
	inbox := filepath.Join(base, "inbox")
	if err := os.MkdirAll(filepath.Join(inbox, "arsip"), 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "upload.token")
	write(t, secret, "tok-S3CRET-0123456789")
	write(t, filepath.Join(inbox, "a_rekap.xlsx"), "workbook a")
	write(t, filepath.Join(inbox, "z_rekap.xlsx"), "workbook z")
	write(t, filepath.Join(inbox, "rekap.csv"), "Kabupaten;Penduduk\n")
	write(t, filepath.Join(inbox, "arsip", "old.xlsx"), "archived")
	// A folder of its own is passed over; one named like a workbook is reported.
	if err := os.Mkdir(filepath.Join(inbox, "rekap_mei.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(inbox, "~$a_rekap.xlsx"), "lock")
	if err := syscall.Mkfifo(filepath.Join(inbox, "pipe.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(inbox, "sock.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	symlink(t, secret, filepath.Join(inbox, "token.xlsx"))
	symlink(t, "/dev/zero", filepath.Join(inbox, "zero.xlsx"))
	symlink(t, "arsip/../../upload.token", filepath.Join(inbox, "dotdot.xlsx"))
	symlink(t, "a_rekap.xlsx", filepath.Join(inbox, "latest.xlsx"))
	symlink(t, "latest.xlsx", filepath.Join(inbox, "chain.xlsx"))
	symlink(t, "arsip/old.xlsx", filepath.Join(inbox, "old_link.xlsx"))
	symlink(t, "arsip", filepath.Join(inbox, "arsip_link.xlsx"))
	symlink(t, "missing.xlsx", filepath.Join(inbox, "dangling.xlsx"))
	symlink(t, "loop.xlsx", filepath.Join(inbox, "loop.xlsx"))
	// A link out of a directory reached through a link, and the inbox
	// itself through one: judged by where they really lead.
	viaLink := filepath.Join(base, "inbox-link")
	symlink(t, inbox, viaLink)

	want := map[string]entrySummary{
		"a_rekap.xlsx":    {Data: "workbook a"},
		"z_rekap.xlsx":    {Data: "workbook z"},
		"rekap.csv":       {Data: "Kabupaten;Penduduk\n"}, // for the parser to judge
		"latest.xlsx":     {Data: "workbook a"},
		"chain.xlsx":      {Data: "workbook a"},
		"old_link.xlsx":   {Data: "archived"},
		"arsip_link.xlsx": {Reason: ReasonNotRegularFile, Err: "a directory"},
		"rekap_mei.xlsx":  {Reason: ReasonNotRegularFile, Err: "a directory"},
		"pipe.xlsx":       {Reason: ReasonNotRegularFile, Err: "a named pipe (FIFO)"},
		"sock.xlsx":       {Reason: ReasonNotRegularFile, Err: "a socket"},
		"token.xlsx":      {Reason: ReasonOutsideInbox, Err: "outside the source directory"},
		"zero.xlsx":       {Reason: ReasonOutsideInbox, Err: "outside the source directory"},
		"dotdot.xlsx":     {Reason: ReasonOutsideInbox, Err: "outside the source directory"},
		"dangling.xlsx":   {Reason: ReasonUnreadable, Err: "a symbolic link to nothing"},
		"loop.xlsx":       {Reason: ReasonUnreadable, Err: "a symbolic link to nothing"},
	}
	for _, path := range []string{inbox, viaLink} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			files := fetch(t, &Dir{SourceName: "kc", Path: path, MaxFileBytes: 1 << 20})
			got := summarize(files)
			for name, w := range want {
				g, ok := got[name]
				switch {
				case !ok:
					t.Errorf("%s: not offered (silently skipped)", name)
				case g.Reason != w.Reason || g.Data != w.Data || !strings.Contains(g.Err, w.Err):
					t.Errorf("%s: reason %q err %q data %q; want reason %q, err with %q, data %q", name, g.Reason, g.Err, g.Data, w.Reason, w.Err, w.Data)
				case g.Reason != "" && (g.Size != 0 || g.SHA256 != ""):
					t.Errorf("%s: rejected entry shows size %d, sha256 %q", name, g.Size, g.SHA256)
				}
			}
			for name, g := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s offered (%+v): it is ignored", name, g)
				}
				if strings.Contains(g.Data+g.Err, "S3CRET") || strings.Contains(g.Err, base) {
					t.Errorf("%s: shows what a link points at: %+v", name, g)
				}
			}
		})
	}
}

// TestDirTooLargeListedUnread keeps today's contract: a file over the
// limit is offered with its size and no data, for the ingest to reject.
func TestDirTooLargeListedUnread(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.xlsx"), strings.Repeat("x", 2048))
	write(t, filepath.Join(dir, "small.xlsx"), "x")
	got := summarize(fetch(t, &Dir{SourceName: "kc", Path: dir, MaxFileBytes: 1024}))
	if g := got["big.xlsx"]; g.Size != 2048 || g.Data != "" || g.Reason != "" {
		t.Errorf("big.xlsx: %+v", g)
	}
	if g := got["small.xlsx"]; g.Data != "x" {
		t.Errorf("small.xlsx: %+v", g)
	}
}

// TestDirUnreadableFileDoesNotStopOthers puts a file its reader may not
// open between two good ones (as an unprivileged user: root reads any
// file). It is rejected as unreadable; the others are read. Before, one
// such file made the whole source unreadable.
func TestDirUnreadableFileDoesNotStopOthers(t *testing.T) {
	dir, err := os.MkdirTemp("", "jkn-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.xlsx"), "a")
	write(t, filepath.Join(dir, "m_locked.xlsx"), "secret")
	write(t, filepath.Join(dir, "z.xlsx"), "z")
	if err := os.Chmod(filepath.Join(dir, "m_locked.xlsx"), 0); err != nil {
		t.Fatal(err)
	}
	got := fetchUnprivileged(t, dir)
	if got["a.xlsx"].Data != "a" || got["z.xlsx"].Data != "z" {
		t.Errorf("the readable files: %+v", got)
	}
	if g := got["m_locked.xlsx"]; g.Reason != ReasonUnreadable || !strings.Contains(g.Err, "permission denied") || g.Data != "" {
		t.Errorf("m_locked.xlsx: %+v", g)
	}
}

// fetchUnprivileged fetches dir as the current user or, for root, in a
// copy of the test binary run as nobody.
func fetchUnprivileged(t *testing.T, dir string) map[string]entrySummary {
	t.Helper()
	if os.Geteuid() != 0 {
		return summarize(fetch(t, &Dir{SourceName: "kc", Path: dir}))
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The go tool's build directory is root's alone: copy the binary out.
	binDir := filepath.Join(dir, ".bin") // hidden: the source ignores it
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(binDir, "sources.test")
	copyFile(t, exe, bin)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534, NoSetGroups: true}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fetch as nobody: %v\n%s", err, stderr.String())
	}
	got := map[string]entrySummary{}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return got
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDirReadsLazily: Fetch lists the files and reads none; each is read
// when it is loaded, one at a time, through the checks again (issue 14:
// ten 60 MB workbooks were all held before the first was parsed).
func TestDirReadsLazily(t *testing.T) {
	dir := t.TempDir()
	d := &Dir{SourceName: "kc", Path: dir}
	write(t, filepath.Join(dir, "a.xlsx"), "first")
	write(t, filepath.Join(dir, "b.xlsx"), "second")
	files, err := d.Fetch(context.Background())
	if err != nil || len(files) != 2 {
		t.Fatalf("Fetch: %v %v", files, err)
	}
	for _, f := range files {
		if f.Data != nil || f.Read == nil || f.SHA256 != "" || f.Size == 0 {
			t.Fatalf("%s read by Fetch: %+v", f.Name, f)
		}
	}
	if got := files[0].Loaded(); string(got.Data) != "first" || got.SHA256 == "" || got.Size != 5 {
		t.Errorf("a.xlsx loaded: %+v", got)
	}
	// Changed or removed between the listing and the reading: read as it
	// is then, or rejected with a reason, never a stale or empty read.
	write(t, filepath.Join(dir, "b.xlsx"), "replaced")
	if got := files[1].Loaded(); string(got.Data) != "replaced" || got.Size != 8 {
		t.Errorf("b.xlsx changed: %+v", got)
	}
	if err := os.Remove(filepath.Join(dir, "b.xlsx")); err != nil {
		t.Fatal(err)
	}
	if got := files[1].Loaded(); got.RejectReason != ReasonUnreadable || got.Err == nil || !strings.Contains(got.Err.Error(), "removed") {
		t.Errorf("b.xlsx removed: %+v", got)
	}
}

// TestDirStamps: a file's Stamp is the same listed and read, while the
// file is; a new modification time, a rewrite in place that keeps size
// and modification time, and a rename into place each change it, so an
// ingest that goes by the stamp reads the file again.
func TestDirStamps(t *testing.T) {
	dir := t.TempDir()
	d := &Dir{SourceName: "kc", Path: dir}
	path := filepath.Join(dir, "a.xlsx")
	write(t, path, "first")
	stamp := func() (listed, read Stamp) {
		t.Helper()
		files, err := d.Fetch(context.Background())
		if err != nil || len(files) != 1 {
			t.Fatalf("Fetch: %v %v", files, err)
		}
		return files[0].Stamp, files[0].Loaded().Stamp
	}
	listed, read := stamp()
	if !listed.Known() || listed != read || listed.Size != 5 || listed.Inode == 0 {
		t.Fatalf("listed %+v, read %+v", listed, read)
	}
	if again, _ := stamp(); again != listed {
		t.Errorf("unchanged file: stamp %+v, then %+v", listed, again)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	touched := info.ModTime().Add(time.Second)
	if err := os.Chtimes(path, touched, touched); err != nil {
		t.Fatal(err)
	}
	after, _ := stamp()
	if after == listed || after.ModTime != touched.UnixNano() {
		t.Errorf("touched: stamp %+v, before %+v", after, listed)
	}
	// Rewritten in place, same size, modification time set back (cp -p).
	// The kernel stamps times from a clock that may move by the jiffy (1
	// to 10 ms): let it move, as it has for any rewrite after a read.
	time.Sleep(20 * time.Millisecond)
	write(t, path, "FIRST")
	if err := os.Chtimes(path, touched, touched); err != nil {
		t.Fatal(err)
	}
	if rewritten, _ := stamp(); rewritten == after || rewritten.ModTime != after.ModTime || rewritten.Size != after.Size {
		t.Errorf("rewritten in place: stamp %+v, before %+v", rewritten, after)
	}
	before, _ := stamp()
	write(t, filepath.Join(dir, ".new"), "FIRST")
	if err := os.Chtimes(filepath.Join(dir, ".new"), touched, touched); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, ".new"), path); err != nil {
		t.Fatal(err)
	}
	if renamed, _ := stamp(); renamed.Inode == before.Inode || renamed == before {
		t.Errorf("renamed into place: stamp %+v, before %+v", renamed, before)
	}
}
