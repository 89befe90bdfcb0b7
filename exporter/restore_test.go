package exporter

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
)

// regionPart is the region part of the exposition served now, and the
// whole of its stored form, gzip form included (WriteBinary).
func regionPart(t *testing.T, e *Exporter) (text, stored []byte) {
	t.Helper()
	e.expo.WaitCompressed()
	txt := e.Exposition().Load().Rendered.Text
	if txt == nil || !txt.Compressed() {
		t.Fatal("no compressed region part")
	}
	var b bytes.Buffer
	if err := txt.WriteBinary(&b); err != nil {
		t.Fatal(err)
	}
	return txt.Bytes(), b.Bytes()
}

// TestRestartServesSavedExposition: after a restart the region part is
// served from the exposition saved beside the state files before the
// records are decoded, byte for byte what was served before the stop,
// gzip form included; the restored snapshots then take it over, and it
// is what rendering them again gives.
func TestRestartServesSavedExposition(t *testing.T) {
	storage := t.TempDir()
	a := caseSource(t, "testdata/seed_palembang", "testdata/seed_palembang")
	b := caseSource(t, "testdata/conflict_two_files", "testdata/conflict_two_files")
	srcs := []*Source{a, b}
	e, _ := newTestExporter(t, srcs, storage)
	e.Ingest(context.Background(), a)
	e.Ingest(context.Background(), b)
	wantText, wantGz := regionPart(t, e)
	if _, err := os.Stat(filepath.Join(storage, snapshot.ExpositionFile)); err != nil {
		t.Fatalf("no saved exposition: %v", err)
	}

	// Served from the saved file alone, before any record is decoded.
	e2, _ := newTestExporter(t, srcs, storage)
	e2.serveSaved([]string{a.Name(), b.Name()})
	if e2.preload.Load() == nil {
		t.Fatal("the saved exposition was not served")
	}
	gotText, gotGz := regionPart(t, e2)
	if !bytes.Equal(gotText, wantText) || !bytes.Equal(gotGz, wantGz) {
		t.Fatalf("saved exposition differs: %d bytes (gzip %d), want %d (gzip %d)", len(gotText), len(gotGz), len(wantText), len(wantGz))
	}

	// The whole restore: the restored snapshots take the text over.
	e3, _ := newTestExporter(t, srcs, storage)
	e3.Restore()
	st := e3.Exposition().Load()
	if len(st.View) != 2 || len(st.Rendered.Regions) == 0 || len(st.Rendered.Sources) != 2 {
		t.Fatalf("restored view: %d snapshots, %d regions, %d sources", len(st.View), len(st.Rendered.Regions), len(st.Rendered.Sources))
	}
	if e3.preload.Load() != nil {
		t.Error("the saved exposition is still waiting for its snapshots")
	}
	gotText, gotGz = regionPart(t, e3)
	if !bytes.Equal(gotText, wantText) || !bytes.Equal(gotGz, wantGz) {
		t.Fatal("restored exposition differs from the one served before the stop")
	}
	// What rendering the restored snapshots again gives, points included.
	again := e3.renderer.Load().Render(st.View)
	if !bytes.Equal(again.Text.Bytes(), wantText) {
		t.Fatal("the restored snapshots render differently from the saved exposition")
	}
	if len(again.Points) != len(st.Rendered.Points) || len(again.Regions) != len(st.Rendered.Regions) {
		t.Errorf("points %d, regions %d; rendered again: %d, %d", len(st.Rendered.Points), len(st.Rendered.Regions), len(again.Points), len(again.Regions))
	}
}

// TestSavedExpositionNotServedWhenStale: the saved exposition is served
// only with the state files it was rendered from, under the same
// rendering, and never when damaged; the records are then rendered anew.
func TestSavedExpositionNotServedWhenStale(t *testing.T) {
	a := caseSource(t, "testdata/seed_palembang", "testdata/seed_palembang")
	setup := func(t *testing.T) (string, []byte) {
		storage := t.TempDir()
		e, _ := newTestExporter(t, []*Source{a}, storage)
		e.Ingest(context.Background(), a)
		text, _ := regionPart(t, e)
		return storage, text
	}
	check := func(t *testing.T, e *Exporter, want []byte) {
		t.Helper()
		e.serveSaved([]string{a.Name()})
		if e.preload.Load() != nil {
			t.Fatal("a stale or damaged exposition was served")
		}
		if txt := e.Exposition().Load().Rendered.Text; txt.Len() != 0 {
			t.Fatalf("served %d bytes before the restore", txt.Len())
		}
		e.Restore()
		if got, _ := regionPart(t, e); !bytes.Equal(got, want) {
			t.Fatal("the restored snapshot rendered anew differs")
		}
	}
	t.Run("state file changed", func(t *testing.T) {
		storage, _ := setup(t)
		// Another state file: the saved exposition is not its rendering.
		snap, err := snapshot.Load(storage, a.Name())
		if err != nil {
			t.Fatal(err)
		}
		snap.Records = snap.Records[:1]
		if err := snapshot.Save(storage, snap); err != nil {
			t.Fatal(err)
		}
		e, _ := newTestExporter(t, []*Source{a}, storage)
		st := snapshot.NewStore(nil)
		snap, _ = snapshot.Load(storage, a.Name())
		st.Put(snap)
		check(t, e, e.renderer.Load().Render(st.View()).Text.Bytes())
	})
	t.Run("other criteria", func(t *testing.T) {
		storage, _ := setup(t)
		crit, err := criteria.Lookup("uhc_2023")
		if err != nil {
			t.Fatal(err)
		}
		e, _ := newRulesExporter(t, []*Source{a}, storage, criteria.Rules{Policy: crit})
		snap, _ := snapshot.Load(storage, a.Name())
		st := snapshot.NewStore(nil)
		st.Put(snap)
		want := e.renderer.Load().Render(st.View()).Text.Bytes()
		check(t, e, want)
	})
	t.Run("damaged", func(t *testing.T) {
		storage, want := setup(t)
		name := filepath.Join(storage, snapshot.ExpositionFile)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0x40
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		e, _ := newTestExporter(t, []*Source{a}, storage)
		check(t, e, want)
	})
	t.Run("truncated", func(t *testing.T) {
		storage, want := setup(t)
		name := filepath.Join(storage, snapshot.ExpositionFile)
		data, _ := os.ReadFile(name)
		if err := os.WriteFile(name, data[:len(data)-40], 0o600); err != nil {
			t.Fatal(err)
		}
		e, _ := newTestExporter(t, []*Source{a}, storage)
		check(t, e, want)
	})
}
