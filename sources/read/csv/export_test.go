package csv

// Dialect is the separator and the encoding the reader finds in data, as
// Open finds them: the oracle has LibreOffice read each golden text with
// the same.
func Dialect(data []byte) (sep byte, charset string, ok bool) {
	cs, bom := detectCharset(data, false)
	text, err := decode(data, cs, bom, textLimit)
	if err != nil {
		return 0, "", false
	}
	d, ok := sniffDialect(text[:min(len(text), sampleBytes)], len(text) <= sampleBytes)
	return d.sep, cs.String(), ok
}
