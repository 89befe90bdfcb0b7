package region

import "embed"

// dataFiles holds the unmodified idn-area-data CSV copies (ODbL, see
// data/README.md), villages.csv gzip-compressed. A package variable only
// because go:embed requires one; nothing writes to it.
//
//go:embed data/provinces.csv data/regencies.csv data/districts.csv data/villages.csv.gz
var dataFiles embed.FS
