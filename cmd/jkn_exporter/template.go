package main

import (
	"fmt"
	"io"

	"github.com/alecthomas/kingpin/v2"

	"github.com/jkn-exporter/jkn_exporter/exporter/template"
	"github.com/jkn-exporter/jkn_exporter/internal/atomicfile"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// templateCommand is `jkn_exporter template`: the fill-in workbook for a
// province's branch offices.
func templateCommand(app *kingpin.Application) subcommand {
	cmd := app.Command("template", "Write a fill-in workbook (.xlsx) for branch offices: one row per region of a province, with instructions in Indonesian.")
	province := cmd.Flag("province", `Province name or 2-digit Kemendagri code ("Sumatera Selatan", "16").`).Required().String()
	level := cmd.Flag("level", "Rows: the province's regencies and cities, or every district with its regency.").
		Default(string(template.LevelRegency)).Enum(string(template.LevelRegency), string(template.LevelDistrict))
	out := cmd.Flag("out", `Output file; "-" writes to stdout. Default: template_<code>.xlsx (template_<code>_district.xlsx) in the current directory.`).String()
	return subcommand{cmd: cmd, run: func(stdout, stderr io.Writer) int {
		if err := runTemplate(*province, template.Level(*level), *out, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "jkn_exporter template: %v\n", err)
			return 1
		}
		return 0
	}}
}

func runTemplate(province string, level template.Level, out string, stdout, stderr io.Writer) error {
	ref, err := region.Load()
	if err != nil {
		return err
	}
	tpl, err := template.New(ref, province, level)
	if err != nil {
		return err
	}
	defer tpl.File.Close()
	data, err := tpl.Bytes()
	if err != nil {
		return err
	}
	if out == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if out == "" {
		out = tpl.FileName()
	}
	if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d rows (%s of Provinsi %s, %s), sheets %q and %q\n",
		out, len(tpl.Regions), level, tpl.Province.Name, tpl.Province.Code, template.InstructionsSheet, template.DataSheet)
	return nil
}
