package ingest

import (
	"slices"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// Reuse says whether a FileReport was made by this ingest or is an
// earlier one's (Cache).
type Reuse uint8

const (
	// Parsed is a file read and parsed by this ingest.
	Parsed Reuse = iota
	// SameBytes is a file whose stamp changed (touched, copied in again), but
	// its bytes hash to the SHA-256 of those parsed before: read and
	// hashed, not parsed again. The report is the earlier one with the
	// file's new modification time.
	SameBytes
	// Unchanged is a file whose stamp is the one it was read under (or the
	// source rejects it again, as it did, unread): not read, not parsed;
	// the report is the earlier one as it was.
	Unchanged
)

// Cache keeps what the ingests of one source made of each of its files,
// so that the next one does not read or parse again a file that has not
// changed: a national village sheet costs 0.6 to 1 s of CPU to parse and
// a stat to look at (issue 18). A file whose Stamp is the one it was read
// under is not read; one whose stamp moved but whose bytes are the same
// is read and hashed, not parsed. A file the source itself rejects
// (a directory, a link out of the inbox, unreadable) has no stamp and is
// looked at every time; the same rejection again is Unchanged all the
// same, so it is counted once (jkn_source_ingest_errors_total).
//
// A Cache belongs to one source under one Settings: the reports depend
// on them, and a source whose settings change gets a new Cache (the
// exporter makes one per source in service). The nil *Cache reuses
// nothing. Not safe for concurrent use: a source's ingests are serialised.
type Cache struct {
	files map[string]cached
	// last is what the last ingest's reports added up to.
	last *total
}

// total is what an ingest's file reports add up to, before Follow.
type total struct {
	names              []string
	records            []Record
	findings           []jkn.Finding
	accepted, rejected int
}

// cached is what the last ingest made of one file.
type cached struct {
	// stamp is the stat the file was read under; zero for a file the
	// source rejected unread, which is looked at again every time.
	stamp  sources.Stamp
	sha256 string
	rep    FileReport
}

// Ingest is the package's Ingest through the cache: each file unchanged
// since the last ingest through it keeps that ingest's report (marked
// Unchanged or SameBytes) instead of being read and parsed again. The
// cache then holds this ingest's files only.
func (c *Cache) Ingest(files []sources.File, s Settings, ref *region.Reference) *Result {
	res := &Result{}
	var next map[string]cached
	if c != nil {
		next = make(map[string]cached, len(files))
	}
	same := c != nil && c.last != nil && len(files) == len(c.last.names)
	for i, f := range files {
		rep := c.report(f, s, ref, next)
		res.Files = append(res.Files, rep)
		same = same && rep.Reuse == Unchanged && rep.Name == c.last.names[i]
	}
	if c == nil {
		res.add()
		return res
	}
	c.files = next
	if same {
		// Every file as the last ingest found it: so is their sum (the
		// merge walks every record, most of such an ingest's cost).
		res.Records, res.Findings = c.last.records, c.last.findings
		res.RowsAccepted, res.RowsRejected = c.last.accepted, c.last.rejected
		return res
	}
	res.add()
	// Full, so that what Follow appends goes to a copy (clip).
	res.Findings = slices.Clip(res.Findings)
	c.last = &total{records: res.Records, findings: res.Findings, accepted: res.RowsAccepted, rejected: res.RowsRejected}
	for _, f := range res.Files {
		c.last.names = append(c.last.names, f.Name)
	}
	return res
}

// add sums up the file reports of a result and merges their records.
func (res *Result) add() {
	for _, rep := range res.Files {
		res.Findings = append(res.Findings, rep.Findings...)
		res.RowsRejected += rep.RejectedRows()
		res.RowsAccepted += len(rep.Records)
	}
	res.Records, res.Findings = merge(res.Files, res.Findings)
}

// Reset forgets every file: the next ingest reads and parses them all
// (the manual trigger).
func (c *Cache) Reset() {
	if c != nil {
		c.files, c.last = nil, nil
	}
}

// report is what became of one file, the earlier report where the file
// is unchanged; it notes the file in next.
func (c *Cache) report(f sources.File, s Settings, ref *region.Reference, next map[string]cached) FileReport {
	if c == nil {
		// The rows become records as they are read: a national village
		// sheet's rows would be 20 MB more to hold through the ingest.
		return file(f, s, ref, false)
	}
	old, had := c.files[f.Name]
	if had && old.stamp.Known() && old.stamp == f.Stamp && f.RejectReason == "" {
		next[f.Name] = old
		return old.rep.reused(Unchanged)
	}
	// Read here, one file at a time: its bytes are let go with f.
	f = f.Loaded()
	if f.RejectReason != "" {
		rep := file(f, s, ref, false)
		next[f.Name] = cached{rep: clip(rep)}
		if had && !old.stamp.Known() && old.rep.Reason == rep.Reason && old.rep.Error == rep.Error && old.rep.ModTime.Equal(rep.ModTime) {
			return old.rep.reused(Unchanged)
		}
		return rep
	}
	if had && old.sha256 != "" && old.sha256 == f.SHA256 && (old.rep.ModTime.Equal(f.ModTime) || !asOfModTime(&old.rep)) {
		rep := old.rep
		rep.ModTime = f.ModTime // it decides between two files' rows of one date
		next[f.Name] = cached{stamp: f.Stamp, sha256: f.SHA256, rep: rep}
		return rep.reused(SameBytes)
	}
	rep := clip(file(f, s, ref, false))
	next[f.Name] = cached{stamp: f.Stamp, sha256: f.SHA256, rep: rep}
	return rep
}

// asOfModTime reports whether a file's as-of date came from its
// modification time: a touched file must then be parsed again.
func asOfModTime(rep *FileReport) bool {
	return rep.Table != nil && rep.Table.AsOfOrigin == table.AsOfModTime
}

// reused is the report given again, marked how.
func (f FileReport) reused(how Reuse) FileReport {
	f.Reuse = how
	return f
}

// clip makes the report's slices full, so that what later steps append
// to a report (Follow adds the findings against the sheet served before)
// goes to a copy, never into the cached report's array.
func clip(rep FileReport) FileReport {
	rep.Findings = slices.Clip(rep.Findings)
	rep.Records = slices.Clip(rep.Records)
	return rep
}
