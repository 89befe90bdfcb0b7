package xlsx

import (
	"encoding/xml"
	"errors"
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Which cells show a date: a number cell whose style's number format is
// a date format holds a serial date (read.Cell.Date).

// dateStyles reads, once, which cell styles show a date: the styles part
// is read as a stream for the number format of each cell format (cellXfs)
// and the custom format codes, at most maxStyles and maxNumFmts of them.
// A missing or unreadable styles part means no date styles.
func (p *pkg) dateStyles() []bool {
	p.datesOnce.Do(func() { p.dates = p.readDateStyles() })
	return p.dates
}

func (p *pkg) readDateStyles() []bool {
	if p.stylesPath == "" {
		return nil
	}
	var (
		ids     []int
		custom  = map[int]string{}
		inXfs   bool
		inFmts  bool
		stopped = errors.New("enough styles")
	)
	err := p.eachElementDepth(p.stylesPath, func(se xml.StartElement, end bool) error {
		switch se.Name.Local {
		case "cellXfs":
			inXfs = !end
		case "numFmts":
			inFmts = !end
		case "xf":
			if inXfs && !end {
				if len(ids) >= maxStyles {
					return stopped
				}
				id, _ := strconv.Atoi(attr(se, "numFmtId"))
				ids = append(ids, id)
			}
		case "numFmt":
			if inFmts && !end && len(custom) < maxNumFmts {
				id, err := strconv.Atoi(attr(se, "numFmtId"))
				if err == nil {
					code := attr(se, "formatCode")
					custom[id] = code[:min(len(code), 256)]
				}
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, stopped) {
		return nil
	}
	dates := make([]bool, len(ids))
	for i, id := range ids {
		dates[i] = read.IsDateFormat(id, custom[id])
	}
	return dates
}

// isDateStyle reports whether cell style s shows a date. Style 0, the
// default, is never taken for one.
func (p *pkg) isDateStyle(s int) bool {
	if s <= 0 {
		return false
	}
	d := p.dateStyles()
	return s < len(d) && d[s]
}
