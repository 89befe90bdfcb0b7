package collector

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"time"
)

// History is the Output of timestamped OpenMetrics: the renderings of
// several dates gathered into one exposition, for `promtool tsdb
// create-blocks-from openmetrics`. Each family is written once, with its
// HELP and TYPE, in the order families first had a series; its series
// sorted by labels; each series' samples in the order they were rendered,
// each with its rendering's timestamp; then # EOF.
type History struct {
	extra  string
	ts     []byte
	labels [][]byte // the current rendering's regions
	fams   map[string]*historyFamily
	order  []string
	// The family begun last, and its entry once it has a series.
	name, help string
	cur        *historyFamily
}

type historyFamily struct {
	help   string // escaped
	series map[string][][]byte
}

// NewHistory returns an empty history; extra labels, rendered as
// `,name="value"…` (AppendLabel), are added to every series.
func NewHistory(extra string) *History {
	return &History{extra: extra, fams: map[string]*historyFamily{}}
}

// At begins a rendering: its samples are timestamped t (Unix seconds).
// Call it before each RenderTo.
func (h *History) At(t time.Time) {
	h.ts = strconv.AppendInt(h.ts[:0], t.Unix(), 10)
	h.labels = h.labels[:0]
	h.cur = nil
}

// Region implements Output.
func (h *History) Region(labels []byte) { h.labels = append(h.labels, slices.Clone(labels)) }

// Family implements Output.
func (h *History) Family(name, help string, _ int) { h.name, h.help, h.cur = name, help, nil }

// Sample implements Output.
func (h *History) Sample(region int, extra []byte, v float64) {
	if h.cur == nil {
		f := h.fams[h.name]
		if f == nil {
			f = &historyFamily{series: map[string][][]byte{}}
			h.fams[h.name] = f
			h.order = append(h.order, h.name)
		}
		f.help = escapeHelp(h.help)
		h.cur = f
	}
	key := make([]byte, 0, len(h.name)+len(h.labels[region])+len(extra)+len(h.extra)+2)
	key = append(key, h.name...)
	key = append(key, '{')
	key = append(key, h.labels[region]...)
	key = append(key, extra...)
	key = append(key, h.extra...)
	key = append(key, '}')
	p := AppendValue(make([]byte, 0, 24+len(h.ts)), v)
	p = append(append(p, ' '), h.ts...)
	h.cur.series[string(key)] = append(h.cur.series[string(key)], p)
}

// Encode writes the history, and counts the series and samples written.
func (h *History) Encode(w io.Writer) (series, samples int, err error) {
	bw := bufio.NewWriter(w)
	for _, name := range h.order {
		f := h.fams[name]
		bw.WriteString("# HELP " + name + " " + f.help + "\n# TYPE " + name + " gauge\n")
		keys := make([]string, 0, len(f.series))
		for k := range f.series {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			series++
			for _, p := range f.series[k] {
				samples++
				bw.WriteString(k)
				bw.WriteByte(' ')
				bw.Write(p)
				bw.WriteByte('\n')
			}
		}
	}
	bw.WriteString("# EOF\n")
	return series, samples, bw.Flush()
}
