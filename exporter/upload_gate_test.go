package exporter

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUploadGate(t *testing.T) {
	g := newUploadGate(2, 100)
	r1, ok1 := g.acquire(60)
	if !ok1 {
		t.Fatal("first upload refused")
	}
	if _, ok := g.acquire(60); ok {
		t.Error("second upload of 60 admitted past the budget of 100")
	}
	r2, ok2 := g.acquire(40)
	if !ok2 {
		t.Fatal("second upload of 40 refused within the budget")
	}
	if _, ok := g.acquire(0); ok {
		t.Error("third upload admitted past two slots")
	}
	r1()
	r2()
	r3, ok := g.acquire(500)
	if !ok {
		t.Error("an upload alone refused for being over the budget")
	}
	r3()
	if d := newUploadGate(0, 0); d.slots != DefaultMaxConcurrentUploads || d.budget != DefaultMaxUploadBytesInFlight {
		t.Errorf("defaults: %d slots, %d bytes", d.slots, d.budget)
	}
}

// receive spools the body to --storage.path/uploads and leaves nothing
// there; a body over the limit is a *BodyError holding a MaxBytesError.
func TestReceiveSpoolsAndCleansUp(t *testing.T) {
	storage := t.TempDir()
	e := &Exporter{opts: Options{StoragePath: storage}, uploads: newUploadGate(0, 0)}
	small := strings.Repeat("x", 100)
	large := strings.Repeat("0123456789", spoolAfter/5) // twice spoolAfter: spooled
	for _, tc := range []struct {
		body  string
		limit int64
		over  bool
	}{
		{small, 100, false}, {small, 99, true},
		{large, int64(len(large)), false}, {large, int64(len(large)) - 1, true},
	} {
		data, err := e.receive(strings.NewReader(tc.body), tc.limit)
		if !tc.over {
			if err != nil || string(data) != tc.body {
				t.Errorf("%d bytes, limit %d: %d bytes back, %v", len(tc.body), tc.limit, len(data), err)
			}
			continue
		}
		var be *BodyError
		var mbe *http.MaxBytesError
		if !errors.As(err, &be) || !errors.As(err, &mbe) || mbe.Limit != tc.limit {
			t.Errorf("%d bytes over the limit %d: %v, want a BodyError with a MaxBytesError", len(tc.body), tc.limit, err)
		}
	}
	left, err := os.ReadDir(filepath.Join(storage, "uploads"))
	if err != nil || len(left) != 0 {
		t.Errorf("uploads directory holds %v (%v), want nothing", left, err)
	}
}

func TestAcceptStreamBusy(t *testing.T) {
	e := &Exporter{uploads: newUploadGate(1, 0)}
	release, _ := e.uploads.acquire(1)
	defer release()
	if _, err := e.AcceptStream("kc-x", "a.xlsx", strings.NewReader("x")); !errors.Is(err, ErrUploadsBusy) {
		t.Errorf("with the slot taken: %v, want ErrUploadsBusy", err)
	}
}
