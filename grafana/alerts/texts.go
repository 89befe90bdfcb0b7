package alerts

import "strings"

// The template pieces the descriptions are built of. Prometheus 2.42's templates have no
// locale: the Indonesian forms turn the decimal point into a comma, group thousands with
// dots and name the month with reReplaceAll.
const (
	bt = "`"
	// regionArgs and sourceArgs fill the %s of regionQuery and sourceQuery.
	regionArgs = "$labels.job $labels.instance $labels.region_code"
	sourceArgs = "$labels.job $labels.instance $labels.source"

	end = "{{ end }}"

	numberID = "{{ . | first | value | printf \"%.0f\" | reReplaceAll `(\\d)(\\d{3})$` `${1}.${2}` | " +
		"reReplaceAll `(\\d)(\\d{3})\\.` `${1}.${2}.` | reReplaceAll `(\\d)(\\d{3})\\.` `${1}.${2}.` }}"
	numberEN = "{{ . | first | value | printf \"%.0f\" }}"
	dateEN   = "{{ (. | first | value | toTime).Format \"2006-01-02\" }}"
)

// dateID is the first value of a query result as an Indonesian date: 1 September 2023.
var dateID = "{{ (. | first | value | toTime).Format \"2 January 2006\"" + months() + " }}"

func months() string {
	var b strings.Builder
	for _, m := range [][2]string{
		{"January", "Januari"}, {"February", "Februari"}, {"March", "Maret"}, {"May", "Mei"},
		{"June", "Juni"}, {"July", "Juli"}, {"August", "Agustus"}, {"October", "Oktober"},
		{"December", "Desember"},
	} {
		b.WriteString(" | reReplaceAll `" + m[0] + "` `" + m[1] + "`")
	}
	return b.String()
}

// percentID and percentEN write a ratio (a template expression) as a percentage.
func percentID(v string) string {
	return "{{ " + v + " | humanizePercentage | reReplaceAll `\\.` `,` }}"
}
func percentEN(v string) string { return "{{ " + v + " | humanizePercentage }}" }

// first is the value of the first series of a query result.
const first = ". | first | value"

// with opens a block that runs expr (with %s filled from args) and binds its result.
func with(expr, args string) string {
	return "{{ with printf " + bt + expr + bt + " " + args + " | query }}"
}

// ofRegion and ofSource are a metric of the alert's region or source over the last hour.
func ofRegion(metric string) string {
	return with(`last_over_time(`+metric+`{job="%s",instance="%s",region_code="%s"}[1h])`, regionArgs)
}

func ofSource(metric string) string {
	return with(`last_over_time(`+metric+`{job="%s",instance="%s",source="%s"}[1h])`, sourceArgs)
}

// Groups are the alerting rules, in the order of the file.
func Groups() []Group {
	return []Group{
		{Name: "jkn-regions", Alerts: []Alert{
			belowCoverage(), belowActive(), coverageDropped(), missingFromSheet(),
		}},
		{Name: "jkn-sources", Alerts: []Alert{sourceStale(), sourceFailing()}},
		{Name: "jkn-exporter", Alerts: []Alert{exporterDown(), exporterAbsent(), regionOverlap()}},
	}
}

// Lines shared by the region alerts.
var (
	regionHeadID = "{{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }}):"
	regionHeadEN = "{{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }}) has"
	asOfID       = "(posisi data " + dateID + "){{ end }}."
	asOfEN       = "(figures as of " + dateEN + "){{ end }}."
	officeID     = "Kantor cabang: {{ $labels.branch_office }}."
	officeEN     = "Branch office: {{ $labels.branch_office }}."
)

func belowCoverage() Alert {
	target := ofRegion("jkn_target_coverage_ratio")
	return Alert{
		Name: "JKNRegionBelowCoverageTarget",
		Expr: `jkn_coverage_ratio{job="jkn"}
and on (job, instance, region_code)
(jkn_uhc_status{job="jkn", status=~"below_coverage_target|below_both_targets"} == 1)`,
		For: "30m", KeepFiringFor: "1h", Severity: "warning", Region: true,
		Summary: Text{
			ID: "Cakupan JKN {{ $labels.region }} " + percentID("$value") + ", di bawah targetnya.",
			EN: "JKN coverage of {{ $labels.region }} is " + percentEN("$value") + ", below its target.",
		},
		Description: Lines{
			ID: []string{
				regionHeadID,
				percentID("$value") + " penduduknya terdaftar di JKN" + target + ",",
				"belum memenuhi target " + percentID(first) + end + ofRegion("jkn_uninsured") + ";",
				numberID + " penduduk belum terdaftar" + end + ofRegion("jkn_residents_to_register") + ";",
				numberID + " penduduk lagi perlu didaftarkan untuk mencapai " + target + percentID(first) + end + end +
					ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfID,
				officeID,
			},
			EN: []string{
				regionHeadEN,
				percentEN("$value") + " of its residents registered in JKN" + target + ",",
				"which does not meet its target of " + percentEN(first) + end + ofRegion("jkn_uninsured") + ";",
				numberEN + " residents are not registered" + end + ofRegion("jkn_residents_to_register") + ";",
				numberEN + " more must be registered to reach " + target + percentEN(first) + end + end +
					ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfEN,
				officeEN,
			},
		},
	}
}

func belowActive() Alert {
	target := ofRegion("jkn_target_active_ratio")
	inactive := with(`last_over_time(jkn_participants{job="%s",instance="%s",region_code="%s"}[1h]) - `+
		`last_over_time(jkn_active_participants{job="%s",instance="%s",region_code="%s"}[1h])`, regionArgs+" "+regionArgs)
	return Alert{
		Name: "JKNRegionBelowActiveTarget",
		Expr: `jkn_active_ratio{job="jkn"}
and on (job, instance, region_code)
(jkn_uhc_status{job="jkn", status=~"below_active_target|below_both_targets"} == 1)`,
		For: "30m", KeepFiringFor: "1h", Severity: "warning", Region: true,
		Summary: Text{
			ID: "Peserta JKN aktif di {{ $labels.region }} " + percentID("$value") + " dari penduduknya, di bawah target.",
			EN: "Active JKN participants in {{ $labels.region }} are " + percentEN("$value") + " of its residents, below target.",
		},
		Description: Lines{
			ID: []string{
				regionHeadID,
				percentID("$value") + " penduduknya peserta JKN aktif" + target + ",",
				"belum memenuhi target " + percentID(first) + end + inactive + ";",
				numberID + " peserta terdaftar tidak aktif" + end + ofRegion("jkn_participants_to_reactivate") + ";",
				numberID + " peserta lagi perlu aktif untuk mencapai " + target + percentID(first) + end + end +
					ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfID,
				officeID,
			},
			EN: []string{
				regionHeadEN,
				percentEN("$value") + " of its residents as active JKN participants" + target + ",",
				"which does not meet its target of " + percentEN(first) + end + inactive + ";",
				numberEN + " registered participants are inactive" + end + ofRegion("jkn_participants_to_reactivate") + ";",
				numberEN + " more must be active to reach " + target + percentEN(first) + end + end +
					ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfEN,
				officeEN,
			},
		},
	}
}

func coverageDropped() Alert {
	return Alert{
		Comment: []string{
			"The drop between the two latest sheets. The inner expression is the change of a",
			"region's coverage within each hour, kept only where it changed: a new (or corrected)",
			"sheet. last_over_time over 35 days picks the latest such change, so the alert fires",
			"for the sheet that brought the drop, resolves when the next sheet changes the figures",
			"again, and at the latest 35 days after the drop, when the drop leaves the window.",
			"last_over_time(...[1h]) on both sides bridges scrape gaps shorter than an hour.",
			"The step: 0.01, one percentage point of the population; change it here and in the",
			"runbook.",
		},
		Name: "JKNRegionCoverageDropped",
		Expr: `-last_over_time(
  (
    (
      last_over_time(jkn_coverage_ratio{job="jkn"}[1h])
      - last_over_time(jkn_coverage_ratio{job="jkn"}[1h] offset 1h)
    ) != 0
  )[35d:1h]
) > 0.01`,
		For: "30m", KeepFiringFor: "1h", Severity: "warning", Region: true,
		Summary: Text{
			ID: "Cakupan JKN {{ $labels.region }} turun " + percentID("$value") + " dari penduduknya sejak lembar sebelumnya.",
			EN: "JKN coverage of {{ $labels.region }} fell by " + percentEN("$value") + " of its residents since the previous sheet.",
		},
		Description: Lines{
			ID: []string{
				"Cakupan JKN {{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }})",
				"turun " + percentID("$value") + " dari penduduknya di antara dua lembar terakhir" + ofRegion("jkn_coverage_ratio") + ",",
				"menjadi " + percentID(first) + end + ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfID,
				"Angka penduduk baru (data semester Dukcapil) dapat menyebabkan hal ini walaupun peserta bertambah.",
				officeID,
			},
			EN: []string{
				"JKN coverage of {{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }})",
				"fell by " + percentEN("$value") + " of its residents between the two latest sheets" + ofRegion("jkn_coverage_ratio") + ",",
				"to " + percentEN(first) + end + ofRegion("jkn_data_as_of_timestamp_seconds"),
				asOfEN,
				"A new population figure (Dukcapil semester data) can cause this while participants grow.",
				officeEN,
			},
		},
	}
}

func missingFromSheet() Alert {
	sourceAsOf := ofSource("jkn_source_data_as_of_timestamp_seconds")
	reported := ofSource("jkn_source_reported_regions")
	expected := ofSource("jkn_source_expected_regions")
	regionAsOf := ofRegion("jkn_data_as_of_timestamp_seconds")
	return Alert{
		Comment: []string{
			"Reporting completeness, as DHIS2 counts it: a region the source is expected to report",
			"(its configured `expected:` list, or the regions its earlier sheets carried) that its",
			"newest sheet leaves out. One alert per region, with the region's labels, so it reaches",
			"the office's coordinators (and the regency's Telegram topic) like the other region",
			"alerts; Alertmanager groups them per office into one message naming every region.",
		},
		Name: "JKNRegionMissingFromSheet",
		Expr: `jkn_region_missing{job="jkn"} == 1`,
		For:  "30m", KeepFiringFor: "1h", Severity: "warning", Region: true,
		Summary: Text{
			ID: "{{ $labels.region }} tidak ada di lembar terbaru sumber {{ $labels.source }}.",
			EN: "{{ $labels.region }} is missing from the newest sheet of source {{ $labels.source }}.",
		},
		Description: Lines{
			ID: []string{
				"{{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }}) tidak ada di lembar terbaru",
				"sumber {{ $labels.source }}" + sourceAsOf,
				"(posisi data " + dateID + "){{ end }}, padahal sumber ini diharapkan melaporkannya" + reported + ";",
				"lembar itu memuat " + numberEN + end + expected,
				"dari " + numberEN + " wilayah yang diharapkan{{ end }}." + regionAsOf,
				"Angkanya posisi " + dateID + ", dari lembar sebelumnya, masih disajikan.{{ end }}",
				officeID,
			},
			EN: []string{
				"{{ $labels.region }} ({{ $labels.region_code }}, {{ $labels.province }}) is not in the newest sheet of",
				"source {{ $labels.source }}" + sourceAsOf,
				"(as of " + dateEN + "){{ end }}, which the source is expected to report" + reported + ";",
				"the sheet carries " + numberEN + end + expected,
				"of " + numberEN + " expected regions{{ end }}." + regionAsOf,
				"Its figures as of " + dateEN + ", from an earlier sheet, are still served.{{ end }}",
				officeEN,
			},
		},
	}
}

func sourceStale() Alert {
	asOf := ofSource("jkn_source_data_as_of_timestamp_seconds")
	return Alert{
		Comment: []string{
			"The as-of date of a source's newest figures, not the time it was ingested: a sheet",
			"re-sent with old figures must not look fresh.",
		},
		Name: "JKNSourceDataStale",
		Expr: `time() - jkn_source_data_as_of_timestamp_seconds{job="jkn"} > 45 * 86400`,
		For:  "1h", KeepFiringFor: "1h", Severity: "warning",
		Summary: Text{
			ID: "Sumber {{ $labels.source }} tidak mempunyai angka yang lebih baru dari {{ $value | humanizeDuration }}.",
			EN: "Source {{ $labels.source }} has no figures newer than {{ $value | humanizeDuration }}.",
		},
		Description: Lines{
			ID: []string{
				"Angka terbaru sumber {{ $labels.source }}" + asOf,
				"berposisi " + dateID + ",{{ end }}",
				"berumur {{ $value | humanizeDuration }}: tidak ada lembar baru selama lebih dari 45 hari.",
				"Dasbor dan peringatan wilayah menampilkan angka lama ini.",
			},
			EN: []string{
				"The newest figures of source {{ $labels.source }} are" + asOf,
				"as of " + dateEN + ",{{ end }}",
				"{{ $value | humanizeDuration }} old: no new sheet for more than 45 days.",
				"Dashboards and region alerts show these old figures.",
			},
		},
	}
}

func sourceFailing() Alert {
	lastSuccess := with(`time() - last_over_time(jkn_source_last_success_timestamp_seconds{job="%s",instance="%s",source="%s"}[1h])`, sourceArgs)
	return Alert{
		Name: "JKNSourceIngestFailing",
		Expr: `jkn_source_up{job="jkn"} == 0`,
		For:  "30m", KeepFiringFor: "1h", Severity: "warning",
		Summary: Text{
			ID: "Sumber {{ $labels.source }} menolak sebuah buku kerja pada pembacaan terakhirnya.",
			EN: "Source {{ $labels.source }} rejected a workbook at its last ingest.",
		},
		Description: Lines{
			ID: []string{
				"Pembacaan terakhir sumber {{ $labels.source }} di {{ $labels.instance }} menolak setidaknya satu",
				"berkas (jkn_source_ingest_errors_total menyebut alasannya; `jkn_exporter check` menampilkan setiap temuan).",
				"Sumber tetap menyajikan angka baik terakhirnya" + lastSuccess + ",",
				"dari pembacaan {{ . | first | value | humanizeDuration }} yang lalu{{ end }}.",
			},
			EN: []string{
				"The last ingest of source {{ $labels.source }} on {{ $labels.instance }} rejected at least one",
				"file (jkn_source_ingest_errors_total tells why; `jkn_exporter check` shows every finding).",
				"The source keeps serving its last good figures" + lastSuccess + ",",
				"from an ingest {{ . | first | value | humanizeDuration }} ago{{ end }}.",
			},
		},
	}
}

func exporterDown() Alert {
	return Alert{
		Name: "JKNExporterDown",
		Expr: `up{job="jkn"} == 0`,
		For:  "5m", Severity: "critical",
		Summary: Text{
			ID: "Prometheus tidak dapat mengambil data jkn_exporter di {{ $labels.instance }}.",
			EN: "Prometheus cannot scrape jkn_exporter on {{ $labels.instance }}.",
		},
		Description: Lines{
			ID: []string{
				"Pengambilan data {{ $labels.instance }} (job {{ $labels.job }}) gagal selama 5 menit.",
				"Dasbor menampilkan celah, dan peringatan wilayah selesai setelah satu jam tanpa angka.",
			},
			EN: []string{
				"The scrape of {{ $labels.instance }} (job {{ $labels.job }}) has failed for 5 minutes.",
				"Dashboards show gaps, and region alerts resolve after an hour without figures.",
			},
		},
	}
}

func exporterAbsent() Alert {
	return Alert{
		Name: "JKNExporterAbsent",
		Expr: `absent(up{job="jkn"})`,
		For:  "15m", Severity: "critical",
		Summary: Text{
			ID: "Prometheus tidak mempunyai target jkn_exporter.",
			EN: "Prometheus has no jkn_exporter target.",
		},
		Description: Lines{
			ID: []string{
				`Tidak ada target job "jkn" yang diambil datanya selama 15 menit: konfigurasi scrape atau`,
				"service discovery kehilangan exporter. Tidak ada peringatan JKN yang dapat menyala.",
			},
			EN: []string{
				`No target of job "jkn" has been scraped for 15 minutes: the scrape configuration or`,
				"service discovery lost the exporter. No JKN alert can fire.",
			},
		},
	}
}

func regionOverlap() Alert {
	series := `jkn_data_as_of_timestamp_seconds{job="jkn",region_code="%s"}`
	labels := with(series, "$labels.region_code")
	each := "{{ range printf " + bt + series + bt + " $labels.region_code | query | sortByLabel \"instance\" }}"
	return Alert{
		Comment: []string{
			"Exporters do not talk to each other: each serves the sources configured on it (one",
			"instance per Kedeputian Wilayah or per branch office, docs/scaling.md). A region that",
			"two instances export, because two configurations read the same office's sheets or",
			"a sheet went to two inboxes, is counted twice by every sum over instances: the",
			"recording rules, the national figures. One alert per region, for the operators.",
		},
		Name: "JKNExporterRegionOverlap",
		Expr: `count by (region_code) (jkn_data_as_of_timestamp_seconds{job="jkn"}) > 1`,
		For:  "30m", KeepFiringFor: "1h", Severity: "warning",
		Summary: Text{
			ID: "Wilayah {{ $labels.region_code }} diekspor oleh {{ $value }} instance jkn_exporter.",
			EN: "Region {{ $labels.region_code }} is exported by {{ $value }} jkn_exporter instances.",
		},
		Description: Lines{
			ID: []string{
				"Wilayah {{ $labels.region_code }}" + labels,
				"({{ (. | first).Labels.region }}, {{ (. | first).Labels.province }}){{ end }} diekspor oleh",
				"{{ $value }} instance:" + each,
				"{{ .Labels.instance }} (kantor cabang {{ .Labels.branch_office }}){{ end }}.",
				"Penjumlahan antar-instance menghitungnya dua kali. Setiap wilayah harus berasal dari satu instance saja.",
			},
			EN: []string{
				"Region {{ $labels.region_code }}" + labels,
				"({{ (. | first).Labels.region }}, {{ (. | first).Labels.province }}){{ end }} is exported by",
				"{{ $value }} instances:" + each,
				"{{ .Labels.instance }} (branch office {{ .Labels.branch_office }}){{ end }}.",
				"Sums over instances count it twice. Each region must come from one instance only.",
			},
		},
	}
}
