package lang

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Printer writes texts, numbers and dates in one language. It is safe
// for concurrent use.
type Printer struct {
	lang Lang
	p    *message.Printer
}

// builtCatalogue is the catalogue of catalogue.go, built once; it is never
// changed afterwards.
var builtCatalogue = sync.OnceValue(func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(EN.tag()))
	for _, e := range entries {
		// SetString fails only on a malformed tag; the two are constants.
		_ = b.SetString(EN.tag(), e.en, e.en)
		_ = b.SetString(ID.tag(), e.en, e.id)
	}
	return b
})

// index is the catalogue's keys.
var index = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(entries))
	for i, e := range entries {
		m[e.en] = i
	}
	return m
})

// For returns the printer of l.
func For(l Lang) *Printer {
	if l != EN {
		l = ID
	}
	return &Printer{lang: l, p: message.NewPrinter(l.tag(), message.Catalog(builtCatalogue()))}
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// Text writes the catalogue entry key, an English format string, with its
// arguments, numbers in the language's way (19.841 in Indonesian). Use it
// with a literal key: a test checks every one is in the catalogue.
func (p *Printer) Text(key string, args ...any) string {
	return p.p.Sprintf(key, p.args(args)...)
}

// Message writes m. In English it is m.String(), byte for byte what the
// code wrote before it was translated (numbers without grouping, as check's
// golden files have them); in Indonesian, the catalogue's text with
// Indonesian numbers. A key the catalogue lacks (a message restored from
// an older state file) is written in English.
func (p *Printer) Message(m jkn.Message) string {
	if p.lang == EN || !Has(m.Key) {
		return m.String()
	}
	return p.p.Sprintf(m.Key, p.args(m.Args)...)
}

// args turns the arguments that carry their own text (messages, percents)
// into this language's strings.
func (p *Printer) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case jkn.Message:
			out[i] = p.Message(a)
		case interface{ Msg() jkn.Message }: // an error carrying its message
			out[i] = p.Message(a.Msg())
		case jkn.Percent:
			out[i] = p.Percent(float64(a))
		case jkn.Share:
			out[i] = p.decimal(a.String())
		case jkn.Date:
			out[i] = p.Date(time.Time(a))
		default:
			out[i] = a
		}
	}
	return out
}

// Finding writes where a finding is and what it says: "rekap.xlsx: lembar
// "Data" baris 7 kolom D: ...". A finding without a message (from a state
// file of an earlier version) shows its stored English reason.
func (p *Printer) Finding(f jkn.Finding) string {
	return p.Location(f.File, f.Sheet, f.Row, f.Column) + ": " + p.Reason(f)
}

// Reason is what a finding says, without where.
func (p *Printer) Reason(f jkn.Finding) string {
	if f.Message.Key == "" {
		return f.Reason
	}
	return p.Message(f.Message)
}

// Location is "file: sheet "S" row 7 column D", the parts there are.
func (p *Printer) Location(file, sheet string, row int, column string) string {
	loc := file
	if sheet != "" {
		loc += ": " + p.Text("sheet %q", sheet)
	}
	if row > 0 {
		loc += " " + p.Text("row %s", strconv.Itoa(row))
	}
	if column != "" {
		loc += " " + p.Text("column %s", column)
	}
	return loc
}

// Count writes a whole number with the language's grouping: 19.841 in
// Indonesian, 19,841 in English.
func (p *Printer) Count(v float64) string { return p.p.Sprintf("%.0f", v) }

// Percent writes a ratio as a percentage with two decimals: 97,63% in
// Indonesian, 97.63% in English.
func (p *Printer) Percent(ratio float64) string { return p.p.Sprintf("%.2f%%", ratio*100) }

// Threshold writes a target ratio with as many decimals as it has:
// 98%, 97,5% in Indonesian.
func (p *Printer) Threshold(ratio float64) string {
	return p.decimal(strconv.FormatFloat(ratio*100, 'f', -1, 64)) + "%"
}

// decimal writes a number written the English way ("12.34") with this
// language's decimal mark.
func (p *Printer) decimal(s string) string {
	if p.lang == ID {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// Date writes a calendar date the way both languages write it in letters
// and reports: "1 September 2023", "17 Agustus 2025" ("17 August 2025").
func (p *Printer) Date(t time.Time) string {
	month := t.Month().String()
	if p.lang == ID {
		month = monthsID[t.Month()-1]
	}
	return strconv.Itoa(t.Day()) + " " + month + " " + strconv.Itoa(t.Year())
}

// Time writes a date and a clock time in the zone of t: "1 September 2023
// 06.00.00 WIB" in Indonesian (its clock writes dots), "1 September 2023
// 06:00:00 WIB" in English.
func (p *Printer) Time(t time.Time) string {
	clock := t.Format("15:04:05 MST")
	if p.lang == ID {
		clock = t.Format("15.04.05 MST")
	}
	return p.Date(t) + " " + clock
}

// Report writes a line of a report that keeps its English form byte for
// byte (check's golden files): like Message(jkn.Msgf(key, args...)), so a
// jkn.Date is 2023-09-01 in English and 1 September 2023 in Indonesian.
func (p *Printer) Report(format string, args ...any) string {
	return p.Message(jkn.Msgf(format, args...))
}

// FileError says why a whole file was rejected: in English the error text
// as the reader wrote it; in Indonesian what the reason means and what to
// do, then that text (the readers' details are English).
func (p *Printer) FileError(reason, detail string) string {
	if p.lang == EN {
		return detail
	}
	what := p.fileReason(reason)
	if what == "" {
		return detail
	}
	if detail == "" {
		return what
	}
	return what + " (" + detail + ")"
}

// FileReason is what a file-rejection reason means, "" for a reason it
// does not know.
func (p *Printer) FileReason(reason string) string { return p.fileReason(reason) }

func (p *Printer) fileReason(reason string) string {
	switch reason {
	case jkn.ReasonUnsupportedFormat:
		return p.Text("not a workbook in a format the exporter reads (.xlsx, .xls, .ods, CSV or an HTML table): save it as .xlsx in Excel or LibreOffice")
	case jkn.ReasonEncrypted:
		return p.Text("the workbook is password-protected: save it without a password")
	case jkn.ReasonEmpty:
		return p.Text("the file or its sheets are empty")
	case jkn.ReasonNoTable:
		return p.Text("no table with a region column and population or participants was found")
	case jkn.ReasonCorrupt:
		return p.Text("the file is damaged: open it in Excel or LibreOffice and save it again")
	case jkn.ReasonTooLarge:
		return p.Text("the file is larger than the exporter's limits")
	case jkn.ReasonTooManyRows:
		return p.Text("the sheet has more rows than the exporter's limit")
	case "not_regular_file":
		return p.Text("not a file (a folder, pipe or device)")
	case "outside_inbox":
		return p.Text("a link to outside the source's folder: not read")
	case "unreadable":
		return p.Text("the file cannot be opened")
	case "source_unreadable":
		return p.Text("the source cannot be read")
	}
	return ""
}
