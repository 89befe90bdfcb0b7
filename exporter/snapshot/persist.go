package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// fileSuffix names the state files under --storage.path.
const fileSuffix = ".snapshot.json.gz"

// envelope carries a checksum of the payload, so a truncated or corrupted
// state file is detected and never served.
type envelope struct {
	Version  int             `json:"version"`
	SHA256   string          `json:"sha256"`
	Snapshot json.RawMessage `json:"snapshot"`
}

const stateVersion = 1

// Save writes a snapshot atomically: a temporary file, fsync, rename, and
// fsync of the directory, so a crash leaves either the old or the new file.
func Save(dir string, s *Snapshot) error {
	payload, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding snapshot of %q: %w", s.Source, err)
	}
	sum := sha256.Sum256(payload)
	// The envelope written around the payload rather than marshalled:
	// the same bytes json.Marshal(envelope{…}) gives, without a second
	// copy of a payload that is some 50 MB for a national village snapshot.
	head, err := json.Marshal(envelope{Version: stateVersion, SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		return fmt.Errorf("encoding snapshot of %q: %w", s.Source, err)
	}
	if !bytes.HasSuffix(head, []byte(`"snapshot":null}`)) {
		return fmt.Errorf("encoding snapshot of %q: unexpected envelope %s", s.Source, head)
	}
	head = bytes.TrimSuffix(head, []byte(`null}`)) // the empty Snapshot, last
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating storage directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+s.Source+".*.tmp")
	if err != nil {
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	zw := gzip.NewWriter(tmp)
	for _, part := range [][]byte{head, payload, []byte("}")} {
		if _, err := zw.Write(part); err != nil {
			tmp.Close()
			return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
		}
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, s.Source+fileSuffix)); err != nil {
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// ErrCorrupt marks a state file that fails its checksum or cannot be decoded.
var ErrCorrupt = errors.New("corrupt state file")

// Load reads back the saved snapshot of a source; os.ErrNotExist when none.
func Load(dir, source string) (*Snapshot, error) {
	name := filepath.Join(dir, source+fileSuffix)
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrCorrupt, err)
	}
	// Decoded from the stream: no copy of the whole file first.
	var env envelope
	dec := json.NewDecoder(zr)
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrCorrupt, err)
	}
	// The rest must be the end of a whole gzip stream (its checksum).
	if _, err := io.Copy(io.Discard, io.MultiReader(dec.Buffered(), zr)); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrCorrupt, err)
	}
	sum := sha256.Sum256(env.Snapshot)
	if env.Version != stateVersion || !strings.EqualFold(hex.EncodeToString(sum[:]), env.SHA256) {
		return nil, fmt.Errorf("%s: %w: checksum or version mismatch", name, ErrCorrupt)
	}
	s := &Snapshot{}
	if err := json.Unmarshal(env.Snapshot, s); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrCorrupt, err)
	}
	if s.Source != source {
		return nil, fmt.Errorf("%s: %w: holds source %q", name, ErrCorrupt, s.Source)
	}
	s.Restored = true
	return s, nil
}
