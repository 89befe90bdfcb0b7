// Command genbench writes the benchmark workbooks (internal/benchdata):
// every regency, district or village of the reference table with made-up
// figures, with and without shared strings and segment columns.
//
//	go run ./scripts/genbench -out benchdata
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/region"
)

func main() {
	out := flag.String("out", "benchdata", "output directory (gitignored)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genbench:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ref, err := region.Load()
	if err != nil {
		return err
	}
	for _, o := range benchdata.Matrix() {
		rows, err := benchdata.Rows(ref, o)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, o.Name())
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if err := benchdata.Write(w, o, rows); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		fmt.Printf("%-40s %6d rows %9d bytes\n", path, len(rows), st.Size())
	}
	return nil
}
