package config

import (
	"strings"
	"testing"
)

// TestLimits reads the limits of RELIABILITY.md from a config, and refuses
// negative ones and misspelt keys.
func TestLimits(t *testing.T) {
	cfg, err := Parse("jkn.yml", []byte(`limits:
  max_file_bytes: 1048576
  max_unzip_bytes: 2097152
  max_unzip_xml_bytes: 1024
  max_rows: 5000
  max_sheets: 4
  max_shared_strings: 10000
  max_memory_bytes: 268435456
  max_concurrent_uploads: 3
  max_upload_bytes_in_flight: 1073741824
  max_concurrent_pages: 8
  max_files_listed: 50
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{MaxFileBytes: 1 << 20, MaxUnzipBytes: 2 << 20, MaxUnzipXMLBytes: 1024, MaxRows: 5000, MaxSheets: 4, MaxSharedStrings: 10000, MaxMemoryBytes: 256 << 20,
		MaxConcurrentUploads: 3, MaxUploadBytesInFlight: 1 << 30, MaxConcurrentPages: 8, MaxFilesListed: 50}
	if cfg.Limits != want {
		t.Errorf("limits %+v, want %+v", cfg.Limits, want)
	}
	for text, msg := range map[string]string{
		"limits:\n  max_rows: -1\n":               `jkn.yml:1: limits: sizes and counts must not be negative`,
		"limits:\n  max_row: 10\n":                `jkn.yml:2: unknown key "max_row"`,
		"limits:\n  max_concurrent_uploads: -1\n": `jkn.yml:1: limits: sizes and counts must not be negative`,
		"limits:\n  max_files_listed: -5\n":       `jkn.yml:1: limits: sizes and counts must not be negative`,
	} {
		if _, err := Parse("jkn.yml", []byte(text)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", text, err, msg)
		}
	}
}
