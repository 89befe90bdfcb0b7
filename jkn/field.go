// Package jkn is the vocabulary every other package speaks: the fields a
// branch-office sheet carries, a row's figures and the cells they came
// from, findings and file rejections, and the administrative regions. It
// imports only the standard library, so it sits at the bottom of the
// import graph.
package jkn

import "iter"

// Field names a column's meaning, whatever its header says.
type Field string

// The fields a sheet may carry.
const (
	FieldCode         Field = "code"     // Kemendagri code, dotted or not
	FieldName         Field = "name"     // region name as written
	FieldProvince     Field = "province" // province name or code column
	FieldRegency      Field = "regency"  // parent regency name (district/village sheets)
	FieldDistrict     Field = "district" // parent district name (village sheets)
	FieldAsOf         Field = "as_of"    // per-row date column
	FieldPopulation   Field = "population"
	FieldParticipants Field = "participants"
	FieldActive       Field = "active"
	FieldInactive     Field = "inactive"
	FieldUninsured    Field = "uninsured"
	// Reported percentages: compared with the counts, never trusted.
	FieldCoverageReported Field = "coverage_reported"
	FieldActiveReported   Field = "active_reported"
	// Segments (participant kinds).
	FieldPBIAPBN   Field = "segment_pbi_apbn"
	FieldPBPUPemda Field = "segment_pbpu_pemda"
	FieldPPU       Field = "segment_ppu"
	FieldPPUPN     Field = "segment_ppu_pn"
	FieldPPUBU     Field = "segment_ppu_bu"
	FieldPBPU      Field = "segment_pbpu"
	FieldBP        Field = "segment_bp"
	// Active participants of each segment, from a sheet that splits the
	// segments into Aktif and Non Aktif (Segment.Active).
	FieldPBIAPBNActive   Field = "segment_pbi_apbn_active"
	FieldPBPUPemdaActive Field = "segment_pbpu_pemda_active"
	FieldPPUActive       Field = "segment_ppu_active"
	FieldPPUPNActive     Field = "segment_ppu_pn_active"
	FieldPPUBUActive     Field = "segment_ppu_bu_active"
	FieldPBPUActive      Field = "segment_pbpu_active"
	FieldBPActive        Field = "segment_bp_active"
)

// kind says what a field's cells hold.
type kind uint8

const (
	text  kind = iota // a code or a name
	date              // the as-of date
	count             // a number of persons
	ratio             // a reported percentage, a fraction 0..1.5 once parsed
)

// fields is the one table of fields. The figures (counts and ratios) come
// first, in exposition order: counts, reported ratios, segments. A
// figure's position here is its slot in Figures and Cells.
var fields = [...]struct {
	field Field
	kind  kind
	// segment is the `segment` label value of a segment field.
	segment string
	// active marks a segment's active participants; the segment's
	// entry comes first.
	active bool
}{
	{FieldPopulation, count, "", false},
	{FieldParticipants, count, "", false},
	{FieldActive, count, "", false},
	{FieldInactive, count, "", false},
	{FieldUninsured, count, "", false},
	{FieldCoverageReported, ratio, "", false},
	{FieldActiveReported, ratio, "", false},
	{FieldPBIAPBN, count, "pbi_apbn", false},
	{FieldPBPUPemda, count, "pbpu_pemda", false},
	{FieldPPU, count, "ppu", false},
	{FieldPPUPN, count, "ppu_pn", false},
	{FieldPPUBU, count, "ppu_bu", false},
	{FieldPBPU, count, "pbpu", false},
	{FieldBP, count, "bp", false},
	{FieldPBIAPBNActive, count, "pbi_apbn", true},
	{FieldPBPUPemdaActive, count, "pbpu_pemda", true},
	{FieldPPUActive, count, "ppu", true},
	{FieldPPUPNActive, count, "ppu_pn", true},
	{FieldPPUBUActive, count, "ppu_bu", true},
	{FieldPBPUActive, count, "pbpu", true},
	{FieldBPActive, count, "bp", true},

	{FieldCode, text, "", false},
	{FieldName, text, "", false},
	{FieldProvince, text, "", false},
	{FieldRegency, text, "", false},
	{FieldDistrict, text, "", false},
	{FieldAsOf, date, "", false},
}

// numFigures is the number of figure fields, the first entries of fields
// (a test checks it). Figures and Cells are arrays of this size.
const numFigures = 21

// slot is the index of a figure field in Figures and Cells, -1 for the
// others.
func (f Field) slot() int {
	for i := range numFigures {
		if fields[i].field == f {
			return i
		}
	}
	return -1
}

// IsFigure reports whether the field holds a number (a count or a
// reported ratio), as opposed to a code, a name or a date.
func (f Field) IsFigure() bool { return f.slot() >= 0 }

// IsRatio reports whether the field holds a reported percentage (a
// fraction 0..1.5 after parsing) rather than a count.
func (f Field) IsRatio() bool {
	i := f.slot()
	return i >= 0 && fields[i].kind == ratio
}

// IsSegment reports whether the field is a segment's participants.
func (f Field) IsSegment() bool {
	i := f.slot()
	return i >= 0 && fields[i].segment != "" && !fields[i].active
}

// SegmentActive returns the field of a segment's active participants,
// "" for a field that is no segment.
func (f Field) SegmentActive() Field {
	i := f.slot()
	if i < 0 || fields[i].segment == "" || fields[i].active {
		return ""
	}
	for _, a := range fields {
		if a.active && a.segment == fields[i].segment {
			return a.field
		}
	}
	return ""
}

// Segment is a segment field, the field of its active participants and
// its `segment` label value.
type Segment struct {
	Field  Field
	Active Field
	Label  string
}

// Segments lists the segment fields with the `segment` label value each
// becomes, in exposition order.
func Segments() iter.Seq[Segment] {
	return func(yield func(Segment) bool) {
		for _, fi := range fields {
			if fi.segment == "" || fi.active {
				continue
			}
			if !yield(Segment{fi.field, fi.field.SegmentActive(), fi.segment}) {
				return
			}
		}
	}
}
