package snapshot

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jkn-exporter/jkn_exporter/internal/atomicfile"
)

// The rendered exposition is saved beside the state files, so that a
// restart serves it at once rather than after decoding every record and
// rendering them again (issue 18: a national village snapshot took 1.6 s).
// It is one file for all sources, as the exposition is rendered from all
// of them, and it is served only when its key, which names the state
// files it was rendered from and how it was rendered, is the one the
// exporter computes at start; the records are decoded after.
//
// The layout: exposition magic, the key (uvarint length, bytes), the
// payload, then the payload's length (8 bytes, little-endian) and the
// SHA-256 of everything before it, so that a reader can check its length
// before reading and its checksum before serving.
const (
	// ExpositionFile is its name under --storage.path. Hidden and without
	// the state files' suffix: it is not a source's state.
	ExpositionFile  = ".exposition.bin"
	expositionMagic = "JKNEXPO1"
	expositionTail  = 8 + sha256.Size
)

// SaveExposition writes the exposition file atomically: key, then what
// write writes.
func SaveExposition(dir string, key []byte, write func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating storage directory: %w", err)
	}
	err := atomicfile.Write(filepath.Join(dir, ExpositionFile), 0o600, func(w io.Writer) error {
		sum := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 256<<10)
		cw := &countWriter{w: bw}
		head := append(binary.AppendUvarint([]byte(expositionMagic), uint64(len(key))), key...)
		if _, err := cw.Write(head); err != nil {
			return err
		}
		start := cw.n
		if err := write(cw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		var tail [expositionTail]byte
		binary.LittleEndian.PutUint64(tail[:8], uint64(cw.n-start))
		sum.Write(tail[:8])
		copy(tail[8:], sum.Sum(nil))
		_, err := w.Write(tail[:])
		return err
	})
	if err != nil {
		return fmt.Errorf("saving the exposition: %w", err)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// ErrStale marks an exposition file saved under another key: rendered
// from other state files, or by another build or configuration.
var ErrStale = fmt.Errorf("exposition saved from other snapshots")

// LoadExposition reads the exposition file if it was saved under key:
// read reads the payload, size bytes (and nothing past it); its result is kept only
// when the payload's checksum holds, which is checked after read returns,
// so the caller must not serve what read made before LoadExposition
// returns nil. ErrStale for another key, os.ErrNotExist when none.
func LoadExposition(dir string, key []byte, read func(r io.Reader, size int64) error) error {
	name := filepath.Join(dir, ExpositionFile)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var tail [expositionTail]byte
	if st.Size() < int64(len(expositionMagic))+expositionTail {
		return fmt.Errorf("%s: %w: too short", name, ErrCorrupt)
	}
	if _, err := f.ReadAt(tail[:], st.Size()-expositionTail); err != nil {
		return fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	sum := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(io.LimitReader(f, st.Size()-expositionTail), sum), 64<<10)
	magic := make([]byte, len(expositionMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != expositionMagic {
		return fmt.Errorf("%s: %w: not an exposition file", name, ErrCorrupt)
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n != uint64(len(key)) {
		return fmt.Errorf("%s: %w", name, ErrStale)
	}
	got := make([]byte, n)
	if _, err := io.ReadFull(br, got); err != nil || !bytes.Equal(got, key) {
		return fmt.Errorf("%s: %w", name, ErrStale)
	}
	size := binary.LittleEndian.Uint64(tail[:8])
	if size > uint64(st.Size()) {
		return fmt.Errorf("%s: %w: length %d", name, ErrCorrupt, size)
	}
	if err := read(io.LimitReader(br, int64(size)), int64(size)); err != nil {
		return fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	// What read left of the payload is hashed too, and nothing may follow.
	if _, err := io.Copy(io.Discard, br); err != nil {
		return fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	sum.Write(tail[:8])
	if !bytes.Equal(sum.Sum(nil), tail[8:]) || int64(len(expositionMagic))+int64(binary.PutUvarint(make([]byte, binary.MaxVarintLen64), n))+int64(n)+int64(size)+expositionTail != st.Size() {
		return fmt.Errorf("%s: %w: checksum or length mismatch", name, ErrCorrupt)
	}
	return nil
}

// FileSum is the SHA-256 of a source's state file as it is on disk
// (hex): what names it in the exposition file's key.
func FileSum(dir, source string) (string, error) {
	f, err := os.Open(filepath.Join(dir, source+fileSuffix))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
