package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/internal/atomicfile"
)

// fileSuffix names the state files under --storage.path.
const fileSuffix = ".snapshot.json.gz"

// envelope carries a checksum of the payload, so a truncated or corrupted
// state file is detected and never served. The checksum follows the
// payload, so that Save can compute it while writing; files written with
// it first, as before, read the same.
type envelope struct {
	Version  int     `json:"version"`
	Snapshot payload `json:"snapshot"`
	SHA256   string  `json:"sha256"`
}

const stateVersion = 1

// Save writes a snapshot atomically (atomicfile: a temporary file, fsync,
// rename, fsync of the directory), so a crash leaves either the old or the
// new file.
func Save(dir string, s *Snapshot) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating storage directory: %w", err)
	}
	// 0600: the state holds every figure the sources gave.
	if err := atomicfile.Write(filepath.Join(dir, s.Source+fileSuffix), 0o600, func(w io.Writer) error { return write(w, s) }); err != nil {
		return fmt.Errorf("saving snapshot of %q: %w", s.Source, err)
	}
	return nil
}

// write writes the gzip-compressed envelope of s to w: the bytes
// json.Marshal(envelope{…}) of its stateSnapshot would give, but with the
// payload encoded a record at a time, as a national village snapshot's
// payload is some 50 MB and marshalling it whole held that twice over at
// the ingest's peak.
func write(w io.Writer, s *Snapshot) error {
	// The snapshot without its records marshals with `"records":null` in
	// their place; the records are written there one by one.
	shallow := toState(s)
	rest, err := json.Marshal(&shallow)
	if err != nil {
		return err
	}
	const hole = `,"records":null,`
	i := bytes.Index(rest, []byte(hole)) // a key: quotes in values are escaped
	if i < 0 {
		return fmt.Errorf("unexpected snapshot encoding %.200s", rest)
	}
	zw := gzip.NewWriter(w)
	if _, err := io.WriteString(zw, `{"version":`+strconv.Itoa(stateVersion)+`,"snapshot":`); err != nil {
		return err
	}
	// The checksum covers the payload only.
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(sum, zw), 64<<10)
	bw.Write(rest[:i+len(`,"records":`)]) // errors stick to bw: checked at Flush
	if s.Records == nil {
		bw.WriteString("null")
	} else {
		bw.WriteByte('[')
		for k := range s.Records {
			if k > 0 {
				bw.WriteByte(',')
			}
			r := toStateRecord(&s.Records[k])
			b, err := json.Marshal(&r)
			if err != nil {
				return err
			}
			bw.Write(b)
		}
		bw.WriteByte(']')
	}
	bw.Write(rest[i+len(hole)-1:])
	if err := bw.Flush(); err != nil {
		return err
	}
	if _, err := io.WriteString(zw, `,"sha256":"`+hex.EncodeToString(sum.Sum(nil))+`"}`); err != nil {
		return err
	}
	return zw.Close()
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
	raw, err := readGzip(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	// The payload is checked against its checksum before it is decoded,
	// in place: a national village payload is some 50 MB.
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	sum := sha256.Sum256(env.Snapshot)
	if env.Version != stateVersion || !strings.EqualFold(hex.EncodeToString(sum[:]), env.SHA256) {
		return nil, fmt.Errorf("%s: %w: checksum or version mismatch", name, ErrCorrupt)
	}
	var st stateSnapshot
	if err := json.Unmarshal(env.Snapshot, &st); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	s := st.snapshot()
	if s.Source != source {
		return nil, fmt.Errorf("%s: %w: holds source %q", name, ErrCorrupt, s.Source)
	}
	s.Restored = true
	return s, nil
}

// payload is the snapshot's JSON, as json.RawMessage is, but read in place
// within the state file's bytes rather than copied.
type payload []byte

// MarshalJSON writes the payload as it is.
func (p payload) MarshalJSON() ([]byte, error) { return json.RawMessage(p).MarshalJSON() }

// UnmarshalJSON keeps b: Load owns the buffer json.Unmarshal reads, so it
// may (json.RawMessage would copy it).
func (p *payload) UnmarshalJSON(b []byte) error {
	*p = b
	return nil
}

// readGzip reads a whole gzip file into a buffer sized once from the size
// its trailer records, checking the stream's CRC on the way.
func readGzip(f *os.File) ([]byte, error) {
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	size := int64(0)
	if st, err := f.Stat(); err == nil && st.Size() >= 18 {
		var trailer [4]byte
		if _, err := f.ReadAt(trailer[:], st.Size()-4); err == nil {
			// The size modulo 2^32; trusted only as a hint, within what
			// deflate can expand the file to.
			size = min(int64(binary.LittleEndian.Uint32(trailer[:])), st.Size()*1100)
		}
	}
	var b bytes.Buffer
	b.Grow(int(size) + bytes.MinRead) // room for the read that finds the end
	if _, err := b.ReadFrom(zr); err != nil {
		return nil, err
	}
	return b.Bytes(), zr.Close()
}
