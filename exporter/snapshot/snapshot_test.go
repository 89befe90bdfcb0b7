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
	payload, _ := json.Marshal(s)
	sum := sha256.Sum256(payload)
	want, _ := json.Marshal(envelope{Version: stateVersion, SHA256: hex.EncodeToString(sum[:]), Snapshot: payload})
	if !bytes.Equal(raw, want) {
		t.Errorf("state file:\n%s\nwant:\n%s", raw, want)
	}
	if len(s.Records) > 0 && (!bytes.Contains(raw, []byte(`"figures":{"population":1200,"segment_pbpu":0}`)) || !bytes.Contains(raw, []byte(`"cells":{"population":"G","segment_pbpu":"Q"}`))) {
		t.Errorf("figures and cells are not in their map form:\n%s", raw)
	}
}

// TestLoadChecksumFirst: state files written before the checksum moved
// after the payload still load, and a wrong checksum is still refused.
func TestLoadChecksumFirst(t *testing.T) {
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	s := &Snapshot{Source: "kc-a", Records: []ingest.Record{rec("16.07.01.2001", "a.xlsx", day, 1200)}}
	payload, _ := json.Marshal(s)
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
			zw.Write(old)
			zw.Close()
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
