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

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
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
// A file as write writes it is decoded as it is decompressed, a record at
// a time, and checked against its checksum at the end (loadStream): a
// national village payload is some 50 MB of JSON, which held whole beside
// its records took the restore's peak to twice the steady state. Other
// layouts (the checksum first) are read whole and checked first.
func Load(dir, source string) (*Snapshot, error) {
	name := filepath.Join(dir, source+fileSuffix)
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := loadStream(f)
	if errors.Is(err, errLayout) {
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			s, err = loadWhole(f)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrCorrupt, err)
	}
	if s.Source != source {
		return nil, fmt.Errorf("%s: %w: holds source %q", name, ErrCorrupt, s.Source)
	}
	s.Restored = true
	return s, nil
}

// loadWhole reads a state file whole and checks the payload against its
// checksum before it decodes it, in place.
func loadWhole(f *os.File) (*Snapshot, error) {
	raw, err := readGzip(f)
	if err != nil {
		return nil, err
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(env.Snapshot)
	if env.Version != stateVersion || !strings.EqualFold(hex.EncodeToString(sum[:]), env.SHA256) {
		return nil, errors.New("checksum or version mismatch")
	}
	var st stateSnapshot
	if err := json.Unmarshal(env.Snapshot, &st); err != nil {
		return nil, err
	}
	return st.snapshot(), nil
}

// errLayout is a state file not laid out as write lays it out.
var errLayout = errors.New("not the streamed layout")

// The envelope as write writes it: this prefix, the payload, this suffix
// around the payload's checksum.
var (
	streamPrefix = `{"version":` + strconv.Itoa(stateVersion) + `,"snapshot":`
	streamSuffix = len(`,"sha256":"`) + sha256.Size*2 + len(`"}`)
)

// loadStream decodes a state file laid out as write lays it out while it
// decompresses it: the records one by one, the rest of the payload whole.
// Every byte of the payload goes through the checksum, which is compared
// at the end: what it decoded is returned only when it holds.
func loadStream(f *os.File) (*Snapshot, error) {
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(streamPrefix))
	if _, err := io.ReadFull(zr, head); err != nil || string(head) != streamPrefix {
		return nil, errLayout
	}
	sum := sha256.New()
	hold := &holdback{w: sum, keep: streamSuffix}
	tee := io.TeeReader(zr, hold)
	dec := json.NewDecoder(tee)
	var (
		rest    = []byte{'{'} // the payload less its records, as JSON
		records []ingest.Record
		null    = true
		intern  = interner{}
	)
	if err := expect(dec, json.Delim('{')); err != nil {
		return nil, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("unexpected %v", tok)
		}
		if key != "records" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
			if len(rest) > 1 {
				rest = append(rest, ',')
			}
			k, _ := json.Marshal(key)
			rest = append(append(append(rest, k...), ':'), v...)
			continue
		}
		if tok, err = dec.Token(); err != nil {
			return nil, err
		}
		switch tok {
		case nil:
			records, null = nil, true
		case json.Delim('['):
			null = false
			records = make([]ingest.Record, 0, regionsHint(rest))
			for dec.More() {
				var r stateRecord
				if err := dec.Decode(&r); err != nil {
					return nil, err
				}
				records = append(records, r.record(intern))
			}
			if err := expect(dec, json.Delim(']')); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("records: unexpected %v", tok)
		}
	}
	if err := expect(dec, json.Delim('}')); err != nil {
		return nil, err
	}
	// What follows the payload: the checksum, and nothing after it.
	tail, err := io.ReadAll(io.MultiReader(dec.Buffered(), tee))
	if err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	want := `,"sha256":"` + hex.EncodeToString(sum.Sum(nil)) + `"}`
	if len(tail) != streamSuffix || !strings.EqualFold(string(tail), want) {
		return nil, errors.New("checksum mismatch")
	}
	var st stateSnapshot
	if err := json.Unmarshal(append(rest, '}'), &st); err != nil {
		return nil, err
	}
	s := st.snapshot()
	if s.Records = records; null {
		s.Records = nil
	}
	return s, nil
}

// regionsHint is how many records the payload's file summaries count, so
// the records are allocated once (kept ones may add a few).
func regionsHint(rest []byte) int {
	var files struct {
		Files []struct {
			Regions int `json:"regions"`
		} `json:"files"`
	}
	if json.Unmarshal(append(rest, '}'), &files) != nil {
		return 0
	}
	n := 0
	for _, f := range files.Files {
		n += max(f.Regions, 0)
	}
	return min(n, 1<<22)
}

func expect(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("unexpected %v, want %v", tok, want)
	}
	return nil
}

// holdback passes what is written to w but the last keep bytes, which it
// holds: the checksum that follows the payload is not its own input.
type holdback struct {
	w    io.Writer
	keep int
	held []byte
}

func (h *holdback) Write(b []byte) (int, error) {
	h.held = append(h.held, b...)
	if over := len(h.held) - h.keep; over > 0 {
		if _, err := h.w.Write(h.held[:over]); err != nil {
			return 0, err
		}
		h.held = append(h.held[:0], h.held[over:]...)
	}
	return len(b), nil
}

// interner keeps one copy of the strings that repeat on every record of a
// sheet (file, sheet, province, level, branch office), as an ingest does.
type interner map[string]string

func (in interner) of(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	if len(in) < 4096 {
		in[s] = s
	}
	return s
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
