package collector

// Output is what the renderer writes the region families to. There are
// two: the scrape text (Text, built by a textBuilder) and backfill's
// timestamped OpenMetrics (History). A rendering calls Region once per
// served region, in order, then, family by family, Family and the
// family's Samples. The scrape text then gets jkn_region_missing, whose
// regions are not served: their label sets are added after the served
// regions', each before its sample. The byte slices passed are the
// caller's, reused after the call: an Output copies what it keeps.
type Output interface {
	// Region adds the next region's label set, rendered without braces
	// (`region_code="16.07",region="Kabupaten Banyuasin",…`). Regions are
	// numbered from 0 in the order they are added.
	Region(labels []byte)
	// Family begins a metric family, a gauge. help is the plain text
	// (escaping is the output's); series is the number of samples
	// expected, 0 when not known. A family with no sample is not written.
	Family(name, help string, series int)
	// Sample adds a series to the family begun last: region's labels, the
	// family's own labels rendered as `,name="value"…` (none: empty), and
	// the value.
	Sample(region int, extra []byte, v float64)
}

// sink passes one region's samples to an Output: the region a family's
// samples function is called for is set here, so that calling it
// allocates nothing.
type sink struct {
	out    Output
	region int
}

// sample adds a series of the current region.
func (s *sink) sample(extra []byte, v float64) { s.out.Sample(s.region, extra, v) }
