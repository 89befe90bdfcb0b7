package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func rec(code, file string, asOf time.Time, pop float64) ingest.Record {
	return ingest.Record{
		Region:       jkn.Region{Code: code, Name: "R " + code, Level: jkn.LevelVillage, ProvinceCode: code[:2], Province: "P"},
		BranchOffice: "B", AsOf: asOf, File: file, Sheet: "Data", Row: 5,
		Figures: jkn.FiguresOf(map[jkn.Field]float64{jkn.FieldPopulation: pop, jkn.FieldPBPU: 0}),
		Cells:   jkn.CellsOf(map[jkn.Field]string{jkn.FieldPopulation: "G", jkn.FieldPBPU: "Q"}),
	}
}

// TestSaveLoad: the state file round-trips, and its bytes are what
// marshalling the envelope whole gave before Save wrote it in parts.
func TestSaveLoad(t *testing.T) {
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	records := []ingest.Record{rec("16.07.01.2001", "a.xlsx", day, 1200), rec("16.07.01.2002", "a.xlsx", day, 900)}
	// Text from sheets that looks like the records key must not be taken
	// for it.
	findings := []jkn.Finding{{File: `x,"records":null,.xlsx`, Sheet: `,"records":null,`, Check: "bad_number", Reason: `"records":null`}}
	for name, s := range map[string]*Snapshot{
		"records": {Source: "kc-a", BranchOffice: "B", Up: true, Attempted: day, LastSuccess: day, Records: records},
		"records and findings like the key": {Source: "kc-a", Error: `,"records":null,`, Files: []FileSummary{{Name: `,"records":null,`}},
			Records: records, Findings: findings},
		"no records":  {Source: "kc-a", Records: []ingest.Record{}},
		"nil records": {Source: "kc-a", Findings: findings},
		"one record":  {Source: "kc-a", Records: records[:1]},
		// What the checks between sheets need after a restart.
		"priors and completeness": {Source: "kc-a", Records: records,
			Priors: []ingest.Prior{{Code: "16.07.01.2001", AsOf: day.AddDate(0, -1, 0), File: "april.xlsx", Sheet: "Data", Row: 5,
				Population: ingest.Count{Value: 1190, Column: "G"}, Participants: ingest.Count{Value: 1100, Column: "H"}}},
			Completeness: &ingest.Completeness{Basis: ingest.BasisLearned, Expected: 3, Reported: 2, AsOf: day, Sheets: []string{"a.xlsx"},
				Missing: []ingest.Missing{{Region: jkn.Region{Code: "16.07.01.2003", Name: "R", Level: jkn.LevelVillage, ProvinceCode: "16", Province: "P"},
					LastFile: "april.xlsx", LastAsOf: day.AddDate(0, -1, 0)}}}},
	} {
		t.Run(name, func(t *testing.T) { testSaveLoad(t, s) })
	}
}

func testSaveLoad(t *testing.T, s *Snapshot) {
	dir := t.TempDir()
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir, "kc-a")
	if err != nil {
		t.Fatal(err)
	}
	got.Restored = false
	if !reflect.DeepEqual(got, s) {
		t.Errorf("loaded %+v\nsaved %+v", got, s)
	}
	f, _ := os.Open(filepath.Join(dir, "kc-a"+fileSuffix))
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	payload := statePayload(t, s)
	sum := sha256.Sum256(payload)
	want, _ := json.Marshal(envelope{Version: stateVersion, SHA256: hex.EncodeToString(sum[:]), Snapshot: payload})
	if !bytes.Equal(raw, want) {
		t.Errorf("state file:\n%s\nwant:\n%s", raw, want)
	}
	if s.Completeness == nil && (bytes.Contains(raw, []byte(`"priors"`)) || bytes.Contains(raw, []byte(`"completeness"`))) {
		t.Errorf("a snapshot without priors and completeness writes them:\n%s", raw)
	}
	if len(s.Records) > 0 && (!bytes.Contains(raw, []byte(`"figures":{"population":1200,"segment_pbpu":0}`)) || !bytes.Contains(raw, []byte(`"cells":{"population":"G","segment_pbpu":"Q"}`))) {
		t.Errorf("figures and cells are not in their map form:\n%s", raw)
	}
}

// statePayload is the payload of s marshalled whole, as the state types
// give it.
func statePayload(t *testing.T, s *Snapshot) []byte {
	t.Helper()
	st := toState(s)
	st.Records = each(s.Records, toStateRecord)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoadChecksumFirst: state files written before the checksum moved
// after the payload still load, and a wrong checksum is still refused.
func TestLoadChecksumFirst(t *testing.T) {
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	s := &Snapshot{Source: "kc-a", Records: []ingest.Record{rec("16.07.01.2001", "a.xlsx", day, 1200)}}
	payload := statePayload(t, s)
	sum := sha256.Sum256(payload)
	for name, checksum := range map[string]string{"good": hex.EncodeToString(sum[:]), "bad": hex.EncodeToString(make([]byte, 32))} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			old, _ := json.Marshal(struct {
				Version  int             `json:"version"`
				SHA256   string          `json:"sha256"`
				Snapshot json.RawMessage `json:"snapshot"`
			}{stateVersion, checksum, payload})
			if !bytes.HasPrefix(old, []byte(`{"version":1,"sha256":`)) {
				t.Fatalf("not the old layout: %.60s", old)
			}
			var zb bytes.Buffer
			zw := gzip.NewWriter(&zb)
			if _, err := zw.Write(old); err != nil {
				t.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "kc-a"+fileSuffix), zb.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := Load(dir, "kc-a")
			if name == "bad" {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("bad checksum: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Records) != 1 || got.Records[0].Region.Code != "16.07.01.2001" {
				t.Errorf("loaded %+v", got)
			}
		})
	}
}

// TestBuildKeepsRecordsOfRejectedFiles: a rejected file's records from the
// previous snapshot stay where they are newer or missing; otherwise the
// ingest's records are the snapshot's, not copied.
func TestBuildKeepsRecordsOfRejectedFiles(t *testing.T) {
	may, jun := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	prev := &Snapshot{Source: "s", Records: []ingest.Record{rec("16.01", "old.xlsx", jun, 1), rec("16.02", "old.xlsx", may, 2), rec("16.03", "gone.xlsx", may, 3)}}
	ingested := []ingest.Record{rec("16.02", "new.xlsx", jun, 20), rec("16.04", "new.xlsx", jun, 40)}
	res := &ingest.Result{Records: ingested, Files: []ingest.FileReport{
		{Name: "new.xlsx", Records: ingested}, {Name: "old.xlsx", Reason: "corrupt"},
	}}
	s := Build("s", "B", res, prev, may, jun)
	var codes []string
	for _, r := range s.Records {
		codes = append(codes, r.Region.Code+"@"+r.File)
	}
	if want := []string{"16.01@old.xlsx", "16.02@new.xlsx", "16.04@new.xlsx"}; !reflect.DeepEqual(codes, want) || s.Up || !s.Files[1].Kept {
		t.Errorf("records %v, up %v, files %+v; want %v", codes, s.Up, s.Files, want)
	}
	res.Files = res.Files[:1]
	s = Build("s", "B", res, prev, may, jun)
	if len(s.Records) != 2 || &s.Records[0] != &ingested[0] || !s.Up {
		t.Error("with no file rejected, the ingest's sorted records are not the snapshot's")
	}
}

// gunzip returns the decompressed bytes of a state file.
func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoadVersion1Files: state files written by the exporter before the
// state file had its own types (testdata/README.md), in both layouts,
// load with every field, and saving what they hold writes the same bytes
// again: the format did not change.
func TestLoadVersion1Files(t *testing.T) {
	written := gunzip(t, filepath.Join("testdata", "v1", "kc-banjarmasin"+fileSuffix))
	for _, dir := range []string{"v1", "v1_checksum_first"} {
		t.Run(dir, func(t *testing.T) {
			s, err := Load(filepath.Join("testdata", dir), "kc-banjarmasin")
			if err != nil {
				t.Fatal(err)
			}
			at := func(v string) time.Time {
				tm, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					t.Fatal(err)
				}
				return tm
			}
			if s.Source != "kc-banjarmasin" || s.BranchOffice != "Banjarmasin" || s.Up || !s.Restored || s.Error != "" ||
				!s.Attempted.Equal(at("2025-05-21T06:15:00.987Z")) || !s.LastSuccess.Equal(at("2025-05-21T06:00:01.234Z")) ||
				s.Duration != 987*time.Millisecond || s.RowsAccepted != 2 || s.RowsRejected != 4 {
				t.Errorf("snapshot %+v", s)
			}
			wantFiles := []FileSummary{
				{Name: "data_mei_2025.xlsx", SHA256: "ef62e91490eb3623cf015b87e3885dff8c9cc03cc27c9ff87ee79112c42af1d7", Size: 5357,
					Sheet: "Data", HeaderRow: 4, AsOf: at("2025-05-01T00:00:00Z"), AsOfOrigin: "title_cell", Regions: 2},
				{Name: "kepesertaan.xlsx", SHA256: "480ccfe05b9b0b444ab6f64818df353ea6cf11615471a28c78326d94a9dfffef", Size: 3220,
					Reason: "corrupt", Error: "kepesertaan.xlsx: rejected (corrupt): damaged or truncated zip archive: zip: not a valid zip file", Kept: true},
			}
			if !reflect.DeepEqual(s.Files, wantFiles) {
				t.Errorf("files %+v\nwant %+v", s.Files, wantFiles)
			}
			if len(s.Records) != 3 {
				t.Fatalf("%d records, want 3", len(s.Records))
			}
			r := s.Records[0]
			pop, _ := r.Figure(jkn.FieldPopulation)
			seg, _ := r.Figure(jkn.FieldPPUPN)
			if r.Region != (jkn.Region{Code: "63.03", Name: "Kabupaten Banjar", Level: jkn.LevelRegency, ProvinceCode: "63", Province: "Kalimantan Selatan"}) ||
				r.BranchOffice != "Banjarmasin" || !r.AsOf.Equal(at("2025-05-01T00:00:00Z")) || r.File != "kepesertaan.xlsx" || r.Sheet != "Data" || r.Row != 5 ||
				pop != 590393 || seg != 38417 || r.Figures.Len() != 11 || r.Cells.Letter(jkn.FieldPopulation) != "D" || r.Cells.Letter(jkn.FieldBP) != "N" {
				t.Errorf("record %+v", r)
			}
			// A restored finding has its English reason and no message (state
			// files keep the text only).
			if len(s.Findings) != 4 || !reflect.DeepEqual(s.Findings[0], jkn.Finding{File: "data_mei_2025.xlsx", Sheet: "Data", Row: 7, Column: "D", Check: "bad_number",
				Reason: `column "Jumlah Peserta": cannot read "8l7.221" as a number`, Rejected: true}) || s.Findings[3].Check != "no_region" {
				t.Errorf("findings %+v", s.Findings)
			}
			out := t.TempDir()
			if err := Save(out, s); err != nil {
				t.Fatal(err)
			}
			if again := gunzip(t, filepath.Join(out, "kc-banjarmasin"+fileSuffix)); !bytes.Equal(again, written) {
				t.Errorf("saved again:\n%s\nwritten before:\n%s", again, written)
			}
		})
	}
}

// A region whose new row is rejected keeps the figures it was served
// before, with their older as-of date and a finding; one whose row is
// good again, or that another row serves, does not (issue 14).
func TestBuildKeepsRegionsOfRejectedRows(t *testing.T) {
	may, jun := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	prev := &Snapshot{Source: "s", Records: []ingest.Record{rec("16.01", "rekap.xlsx", may, 1), rec("16.02", "rekap.xlsx", may, 2), rec("16.03", "rekap.xlsx", may, 3)}}
	ingested := []ingest.Record{rec("16.02", "rekap.xlsx", jun, 20), rec("16.04", "rekap.xlsx", jun, 40)}
	res := &ingest.Result{Records: ingested, Files: []ingest.FileReport{
		// 16.01's row and a row of 16.02 (which another row serves) were
		// rejected; 16.09 was never served.
		{Name: "rekap.xlsx", Records: ingested, RejectedRegions: map[string]int{"16.01": 7, "16.02": 9, "16.09": 11}},
	}}
	s := Build("s", "B", res, prev, may, jun)
	var got []string
	for _, r := range s.Records {
		got = append(got, r.Region.Code+"@"+r.AsOf.Format(time.DateOnly))
	}
	if want := []string{"16.01@2025-05-01", "16.02@2025-06-01", "16.04@2025-06-01"}; !reflect.DeepEqual(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	if len(s.Findings) != 1 || s.Findings[0].Check != CheckKept || s.Findings[0].Row != 7 ||
		s.Findings[0].Reason != "the row of R 16.01 (16.01) was rejected: still serving its figures from rekap.xlsx row 5, as of 2025-05-01" {
		t.Errorf("findings %+v", s.Findings)
	}
	// The next ingest, with the row still rejected, keeps it again.
	if s2 := Build("s", "B", res, s, jun, jun); len(s2.Records) != 3 || s2.Records[0].AsOf != may {
		t.Errorf("second ingest: %+v", s2.Records)
	}
	// Without a previous snapshot there is nothing to keep.
	if s3 := Build("s", "B", res, nil, may, jun); len(s3.Records) != 2 || len(s3.Findings) != 0 {
		t.Errorf("no previous snapshot: %+v %+v", s3.Records, s3.Findings)
	}
}

// TestLoadStreamedChecksum: a state file as Save writes it is decoded as
// it is decompressed, and still refused when its payload, its checksum or
// what follows it differs from what Save wrote, with the gzip stream
// itself intact; a payload without records stays without.
func TestLoadStreamedChecksum(t *testing.T) {
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	s := &Snapshot{Source: "kc-a", Files: []FileSummary{{Name: "a.xlsx", Regions: 2}},
		Records: []ingest.Record{rec("16.07.01.2001", "a.xlsx", day, 1200), rec("16.07.01.2002", "a.xlsx", day, 1300)}}
	var zb bytes.Buffer
	if err := write(&zb, s); err != nil {
		t.Fatal(err)
	}
	good := gunzipBytes(t, zb.Bytes())
	for name, edit := range map[string]func([]byte) []byte{
		"as written": func(b []byte) []byte { return b },
		"a figure":   func(b []byte) []byte { return bytes.Replace(b, []byte("1300"), []byte("1301"), 1) },
		"checksum":   func(b []byte) []byte { i := len(b) - 3; b[i] ^= 1; return b },
		"trailing":   func(b []byte) []byte { return append(b, ' ') },
		"cut":        func(b []byte) []byte { return b[:len(b)-1] },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var out bytes.Buffer
			zw := gzip.NewWriter(&out)
			_, _ = zw.Write(edit(bytes.Clone(good)))
			_ = zw.Close()
			if err := os.WriteFile(filepath.Join(dir, "kc-a"+fileSuffix), out.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := Load(dir, "kc-a")
			if name != "as written" {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("loaded %v, %v", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Records) != 2 || got.Records[1].Region.Code != "16.07.01.2002" || len(got.Files) != 1 {
				t.Errorf("loaded %+v", got)
			}
		})
	}
	// Records null stays nil.
	dir := t.TempDir()
	if err := Save(dir, &Snapshot{Source: "kc-a"}); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(dir, "kc-a"); err != nil || got.Records != nil {
		t.Errorf("loaded %+v, %v", got, err)
	}
}

func gunzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
