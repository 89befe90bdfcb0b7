package template_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/template"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

func loadRef(t *testing.T) *region.Reference {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// figures are what a test writes for one region.
type figures map[jkn.Field]float64

// fill writes figures into every region row of a template and the as-of
// date into its date cell, as an office would, and returns the workbook
// and what was written per region code. The population is Dukcapil's
// 2025 figure where the reference has one, as in a real month's sheet
// (which the population_dukcapil_mismatch check must not flag), a made-up
// one otherwise. Every fifth region leaves active and the segments empty,
// which must come back as missing, not 0.
func fill(t *testing.T, ref *region.Reference, tpl *template.Template, asOf time.Time) ([]byte, map[string]figures) {
	t.Helper()
	f := tpl.File
	if err := f.SetCellValue(template.DataSheet, template.AsOfCell, asOf); err != nil {
		t.Fatal(err)
	}
	want := map[string]figures{}
	for i, reg := range tpl.Regions {
		pop := float64(50_000 + 7_919*i)
		if n, ok := ref.Population(reg.Code); ok && n > 0 {
			pop = float64(n)
		}
		part := math.Round(pop * 0.97)
		fs := figures{jkn.FieldPopulation: pop, jkn.FieldParticipants: part}
		if i%5 != 4 {
			pbi, pemda, ppu, pbpu := math.Round(part*0.4), math.Round(part*0.1), math.Round(part*0.2), math.Round(part*0.15)
			maps.Copy(fs, figures{
				jkn.FieldActive:    math.Round(part * 0.81),
				jkn.FieldPBIAPBN:   pbi,
				jkn.FieldPBPUPemda: pemda,
				jkn.FieldPPU:       ppu,
				jkn.FieldPBPU:      pbpu,
				jkn.FieldBP:        part - pbi - pemda - ppu - pbpu, // segments add up exactly
			})
		}
		for field, v := range fs {
			cell, err := tpl.Cell(field, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellValue(template.DataSheet, cell, int64(v)); err != nil {
				t.Fatal(err)
			}
		}
		want[reg.Code] = fs
	}
	data, err := tpl.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data, want
}

// check runs a workbook through the ingest exactly as `jkn_exporter check` does.
func check(t *testing.T, ref *region.Reference, name string, data []byte) ingest.FileReport {
	t.Helper()
	rep := ingest.File(sources.NewFile(name, name, time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC), data),
		ingest.Settings{BranchOffice: "Palembang", MaxFileBytes: 64 << 20}, ref)
	if rep.Rejected() {
		t.Fatalf("%s rejected: %s", name, rep.Error)
	}
	return rep
}

// assertColumns checks that the parser maps every template column to the
// field the template means, at the header row the template has.
func assertColumns(t *testing.T, tpl *template.Template, tab *table.Table) {
	t.Helper()
	if tab.Sheet != template.DataSheet || tab.HeaderRow != template.HeaderRow || tab.HeaderRows != 1 {
		t.Errorf("table at sheet %q header row %d (%d rows), want sheet %q row %d (1 row)",
			tab.Sheet, tab.HeaderRow, tab.HeaderRows, template.DataSheet, template.HeaderRow)
	}
	if len(tab.Columns) != len(tpl.Columns) || len(tab.Ignored) != 0 {
		t.Errorf("parser mapped %d columns and ignored %v; the template has %d", len(tab.Columns), tab.Ignored, len(tpl.Columns))
	}
	for _, c := range tpl.Columns {
		got, ok := tab.Column(c.Field)
		if !ok || got.Letter != c.Letter || got.Header != c.Header {
			t.Errorf("field %s: parser has column %+v (found %v), template has %s %q", c.Field, got, ok, c.Letter, c.Header)
		}
	}
}

func TestFilledTemplateIsReadExactly(t *testing.T) {
	ref := loadRef(t)
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	type tc struct {
		province string
		level    template.Level
	}
	// Every province at regency level: every regency and city name of the
	// reference must resolve from the template's own row. District level
	// for a few provinces, with "Kota ..." district names (Bengkulu) and
	// names shared across regencies (Jawa Barat).
	var cases []tc
	for _, p := range ref.Provinces() {
		cases = append(cases, tc{p.Code, template.LevelRegency})
	}
	for _, p := range []string{"Sumatera Selatan", "17", "Jawa Barat", "Kalimantan Selatan"} {
		cases = append(cases, tc{p, template.LevelDistrict})
	}
	total := 0
	for _, c := range cases {
		t.Run(c.province+"/"+string(c.level), func(t *testing.T) {
			tpl, err := template.New(ref, c.province, c.level)
			if err != nil {
				t.Fatal(err)
			}
			defer tpl.File.Close()
			data, want := fill(t, ref, tpl, asOf)
			rep := check(t, ref, tpl.FileName(), data)
			for _, fd := range rep.Findings {
				t.Errorf("finding: %s [%s]", fd, fd.Check)
			}
			assertColumns(t, tpl, rep.Table)
			if !rep.Table.AsOf.Equal(asOf) || rep.Table.AsOfOrigin != table.AsOfTitleCell || !strings.Contains(rep.Table.AsOfDetail, template.AsOfCell) {
				t.Errorf("as-of %s from %s (%s), want %s from the title cell %s",
					rep.Table.AsOf, rep.Table.AsOfOrigin, rep.Table.AsOfDetail, asOf.Format(time.DateOnly), template.AsOfCell)
			}
			if len(rep.Records) != len(tpl.Regions) {
				t.Fatalf("%d records, want one per template row: %d", len(rep.Records), len(tpl.Regions))
			}
			for i, r := range rep.Records {
				if r.Region != tpl.Regions[i] {
					t.Errorf("row %d resolved to %+v, want %+v", r.Row, r.Region, tpl.Regions[i])
				}
				if r.Row != template.FirstRow+i {
					t.Errorf("%s on sheet row %d, want %d", r.Region.Code, r.Row, template.FirstRow+i)
				}
				if !maps.Equal(figures(r.Figures.Map()), want[r.Region.Code]) {
					t.Errorf("%s: read %v, wrote %v", r.Region.Code, r.Figures, want[r.Region.Code])
				}
				if !r.AsOf.Equal(asOf) || r.BranchOffice != "Palembang" {
					t.Errorf("%s: as-of %s, branch %q", r.Region.Code, r.AsOf, r.BranchOffice)
				}
			}
			total += len(rep.Records)
		})
	}
	if total < 514+241 {
		t.Errorf("only %d regions checked in all", total)
	}
}

func TestBlankTemplateIsAcceptedWithoutRows(t *testing.T) {
	ref := loadRef(t)
	tpl, err := template.New(ref, "Sumatera Selatan", template.LevelDistrict)
	if err != nil {
		t.Fatal(err)
	}
	data, err := tpl.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	rep := check(t, ref, "template_16_district.xlsx", data)
	assertColumns(t, tpl, rep.Table)
	// Unfilled rows carry no figure: nothing is exported, nothing is wrong.
	if len(rep.Records) != 0 || len(rep.Findings) != 0 || rep.Table.Skipped != len(tpl.Regions) {
		t.Errorf("blank template: %d records, findings %v, %d rows skipped (want 0, none, %d)",
			len(rep.Records), rep.Findings, rep.Table.Skipped, len(tpl.Regions))
	}
	// The empty date cell is no as-of date, and the hint beside it gives none.
	if rep.Table.AsOfOrigin != table.AsOfModTime {
		t.Errorf("blank template as-of from %s (%s), want the file's modtime", rep.Table.AsOfOrigin, rep.Table.AsOfDetail)
	}
}

func TestTemplateRows(t *testing.T) {
	ref := loadRef(t)
	tpl, err := template.New(ref, "Sumatera Selatan", template.LevelRegency)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Province.Code != "16" || len(tpl.Regions) != 17 || tpl.Regions[6].Code != "16.07" || tpl.Regions[6].Name != "Kabupaten Banyuasin" {
		t.Errorf("province %s, %d regions, row 7 %+v; want 16, 17 regencies and cities, Kabupaten Banyuasin", tpl.Province.Code, len(tpl.Regions), tpl.Regions[6])
	}
	if got := tpl.FileName(); got != "template_16.xlsx" {
		t.Errorf("file name %q", got)
	}
	f := tpl.File
	for cell, want := range map[string]string{"A11": "16.07", "B11": "Kabupaten Banyuasin", "A21": "16.74", "B21": "Kota Prabumulih", "A22": ""} {
		if got, _ := f.GetCellValue(template.DataSheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}

	dist, err := template.New(ref, "16", template.LevelDistrict)
	if err != nil {
		t.Fatal(err)
	}
	if len(dist.Regions) != 241 || dist.FileName() != "template_16_district.xlsx" {
		t.Errorf("district template: %d rows, file %s", len(dist.Regions), dist.FileName())
	}
	// Each district row names its own regency in the parent column.
	regency, _ := dist.Column(jkn.FieldRegency)
	for i, reg := range dist.Regions {
		parent, _ := ref.Lookup(reg.Code[:5])
		if got, _ := dist.File.GetCellValue(template.DataSheet, fmt.Sprintf("%s%d", regency.Letter, template.FirstRow+i)); got != parent.Name {
			t.Fatalf("district %s %s: parent %q, want %q", reg.Code, reg.Name, got, parent.Name)
		}
	}

	for _, bad := range []struct {
		province string
		level    template.Level
		want     string
	}{
		{"Atlantis", template.LevelRegency, "unknown province"},
		{"16", "village", "unknown level"},
	} {
		if _, err := template.New(ref, bad.province, bad.level); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("New(%q, %q) = %v, want an error with %q", bad.province, bad.level, err, bad.want)
		}
	}
}

// TestTemplateGuards checks what Excel and LibreOffice enforce while the
// office types: validation on the date and number cells, the sheet lock,
// and which cells it leaves editable.
func TestTemplateGuards(t *testing.T) {
	ref := loadRef(t)
	tpl, err := template.New(ref, "16", template.LevelRegency)
	if err != nil {
		t.Fatal(err)
	}
	data, err := tpl.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	assertGuards(t, data, tpl)
}

// assertGuards checks validations, protection and locking in a saved
// workbook; the LibreOffice test runs it on the re-saved file too.
func assertGuards(t *testing.T, data []byte, tpl *template.Template) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last := template.FirstRow + len(tpl.Regions) - 1
	dvs, err := f.GetDataValidations(template.DataSheet)
	if err != nil {
		t.Fatal(err)
	}
	bySqref := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		bySqref[dv.Sqref] = dv
	}
	if dv := bySqref[template.AsOfCell]; dv == nil || dv.Type != "date" || dv.Operator != "between" {
		t.Errorf("as-of cell validation: %+v", dv)
	}
	inputs := 0
	for _, c := range tpl.Columns {
		if !c.Input {
			continue
		}
		inputs++
		sq := fmt.Sprintf("%s%d:%s%d", c.Letter, template.FirstRow, c.Letter, last)
		dv := bySqref[sq]
		if dv == nil || dv.Type != "whole" || dv.Operator != "greaterThanOrEqual" || dv.Formula1 != "0" || !dv.ShowErrorMessage {
			t.Errorf("column %s (%s): validation %+v, want whole numbers >= 0 with an error message", c.Letter, c.Header, dv)
		}
	}
	if inputs != 8 || len(dvs) != inputs+1 {
		t.Errorf("%d input columns, %d validations", inputs, len(dvs))
	}
	locked := func(cell string) bool {
		id, err := f.GetCellStyle(template.DataSheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		// Excel's default for a cell without a protection record is locked.
		return st.Protection == nil || st.Protection.Locked
	}
	code, _ := tpl.Column(jkn.FieldCode)
	name, _ := tpl.Column(jkn.FieldName)
	pop, _ := tpl.Column(jkn.FieldPopulation)
	bp, _ := tpl.Column(jkn.FieldBP)
	for cell, want := range map[string]bool{
		template.AsOfCell:                      false,
		fmt.Sprintf("%s%d", code.Letter, 5):    true,
		fmt.Sprintf("%s%d", name.Letter, last): true,
		fmt.Sprintf("%s%d", pop.Letter, 5):     false,
		fmt.Sprintf("%s%d", bp.Letter, last):   false,
		fmt.Sprintf("A%d", template.HeaderRow): true,
	} {
		if got := locked(cell); got != want {
			t.Errorf("cell %s locked = %v, want %v", cell, got, want)
		}
	}
	if !sheetProtected(t, data, template.DataSheet) {
		t.Errorf("sheet %s is not protected", template.DataSheet)
	}
}

// sheetProtected reports whether a sheet's XML has an active
// <sheetProtection sheet="1"> (excelize) or sheet="true" (LibreOffice).
func sheetProtected(t *testing.T, data []byte, sheet string) bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := f.GetSheetIndex(sheet)
	f.Close()
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %s: %v", sheet, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	// Sheets are numbered in workbook order by both writers.
	part := fmt.Sprintf("xl/worksheets/sheet%d.xml", idx+1)
	for _, zf := range zr.File {
		if zf.Name != part {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		return regexp.MustCompile(`<sheetProtection[^>]*\ssheet="(1|true)"`).Match(b)
	}
	t.Fatalf("no part %s", part)
	return false
}

// TestLibreOfficeResave opens a filled template in LibreOffice Calc and
// saves it again, as an office without Excel does, and checks that the
// parser reads the same table from both.
func TestLibreOfficeResave(t *testing.T) {
	soffice := testtool.Need(t, "soffice")
	ref := loadRef(t)
	tpl, err := template.New(ref, "Sumatera Selatan", template.LevelDistrict)
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	data, want := fill(t, ref, tpl, asOf)
	dir := t.TempDir()
	in := filepath.Join(dir, "in", tpl.FileName())
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A profile of its own: runs as root, and beside other LibreOffice runs.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "xlsx", "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	resaved, err := os.ReadFile(filepath.Join(out, tpl.FileName()))
	if err != nil {
		t.Fatalf("LibreOffice wrote no file: %v", err)
	}
	if bytes.Equal(resaved, data) {
		t.Fatal("the re-saved file is byte-identical: LibreOffice did not rewrite it")
	}

	orig := check(t, ref, tpl.FileName(), data)
	lo := check(t, ref, tpl.FileName(), resaved)
	for _, rep := range []ingest.FileReport{orig, lo} {
		for _, fd := range rep.Findings {
			t.Errorf("finding: %s", fd)
		}
		assertColumns(t, tpl, rep.Table)
	}
	if a, b := orig.Table, lo.Table; !a.AsOf.Equal(b.AsOf) || a.AsOfOrigin != b.AsOfOrigin || !b.AsOf.Equal(asOf) {
		t.Errorf("as-of: excelize %s (%s), LibreOffice %s (%s), want %s", a.AsOf, a.AsOfDetail, b.AsOf, b.AsOfDetail, asOf)
	}
	if len(lo.Table.Rows) != len(orig.Table.Rows) || len(lo.Records) != len(tpl.Regions) {
		t.Fatalf("LibreOffice copy: %d rows, %d records; original %d rows; template %d regions",
			len(lo.Table.Rows), len(lo.Records), len(orig.Table.Rows), len(tpl.Regions))
	}
	for i, r := range lo.Table.Rows {
		o := orig.Table.Rows[i]
		if r.Number != o.Number || r.Code != o.Code || r.Name != o.Name || r.Regency != o.Regency {
			t.Errorf("row %d: LibreOffice %d %q %q %q, original %d %q %q %q", i, r.Number, r.Code, r.Name, r.Regency, o.Number, o.Code, o.Name, o.Regency)
		}
	}
	for i, r := range lo.Records {
		if r.Region != tpl.Regions[i] || !maps.Equal(figures(r.Figures.Map()), want[r.Region.Code]) {
			t.Errorf("record %d: %s %v, want %s %v", i, r.Region.Code, r.Figures, tpl.Regions[i].Code, want[tpl.Regions[i].Code])
		}
	}
	assertGuards(t, resaved, tpl)
}
