package dashboards

// Texts that several descriptions end with, in both languages.
const (
	onceEN = " Each regency and city of the selection counted once: from its own row, or, where the sheets have none, " +
		"from its districts or villages (recording rules regency:*); province rows are not added."
	onceID = " Setiap kabupaten dan kota pilihan dihitung sekali: dari barisnya sendiri, atau, bila lembarnya tidak " +
		"memuatnya, dari kecamatan atau desanya (recording rule regency:*); baris provinsi tidak ditambahkan."
	tiersEN = " The tiers as the January 2026 award reports give them, with the thresholds of the exporter's config " +
		"(docs/domain.md): Utama >= 99% registered, >= 95% active and >= 18% of residents on PBPU Pemda (waived at " +
		"100% active); Madya >= 98% and >= 85% active, or >= 98% with >= 25% on PBPU Pemda and >= 80% active; " +
		"Pratama >= 98% and >= 80%. UHC Prioritas status and paid-up Pemda premiums, which the award also needs, " +
		"are not in the sheets."
	tiersID = " Kategori sebagaimana laporan penghargaan Januari 2026 menyebutnya, dengan ambang dari konfigurasi " +
		"exporter (docs/domain.md): Utama >= 99% terdaftar, >= 95% aktif dan >= 18% penduduk di PBPU Pemda (tidak " +
		"disyaratkan bila 100% aktif); Madya >= 98% dan >= 85% aktif, atau >= 98% dengan >= 25% di PBPU Pemda dan " +
		">= 80% aktif; Pratama >= 98% dan >= 80%. Status UHC Prioritas dan iuran Pemda yang lunas, yang juga " +
		"disyaratkan penghargaan, tidak ada di lembar."
	segmentsEN = "Registered participants, stacked per segment: pbi_apbn (premiums paid by the central government), " +
		"pbpu_pemda (registered and paid by the local government), ppu, ppu_pn, ppu_bu (wage earners), pbpu " +
		"(self-paying, the main inactive group), bp (non-workers)."
	segmentsID = "Peserta terdaftar, bertumpuk per segmen: pbi_apbn (iuran dibayar pemerintah pusat), pbpu_pemda " +
		"(didaftarkan dan dibayar pemerintah daerah), ppu, ppu_pn, ppu_bu (pekerja penerima upah), pbpu (mandiri, " +
		"kelompok tidak aktif terbesar), bp (bukan pekerja)."
)

// indonesian is every text of the dashboards, as the code writes it in English, in Bahasa
// Indonesia. Metric and label names, PromQL, units and proper names stay as they are.
var indonesian = map[string]string{
	// The overview.
	"JKN / UHC overview": "JKN / Ringkasan UHC",
	"JKN coverage of the regencies and cities of the selected provinces and BPJS branch offices, from the newest sheet of each branch office.": "Cakupan JKN kabupaten dan kota di provinsi dan kantor cabang BPJS yang dipilih, dari lembar terbaru setiap kantor cabang.",
	"Selection": "Pilihan",
	"Coverage":  "Cakupan",
	"Target":    "Target",
	"Registered JKN participants per resident, with the strictest coverage target of the selected regions. Colours: 98% (UHC 2025), 95% (until 2024)." + onceEN: "Peserta JKN terdaftar per penduduk, dengan target cakupan paling ketat dari wilayah yang dipilih. Warna: 98% (UHC 2025), 95% (sampai 2024)." + onceID,
	"Active":       "Aktif",
	"Active ratio": "Rasio aktif",
	"Active participants (premiums paid) per resident, the UHC basis, with the strictest active target of the selected regions; over the regions whose sheets report active participants. Colours: 80% (UHC 2025), 75% (until 2024)." + onceEN: "Peserta aktif (iuran terbayar) per penduduk, dasar UHC, dengan target aktif paling ketat dari wilayah yang dipilih; atas wilayah yang lembarnya melaporkan peserta aktif. Warna: 80% (UHC 2025), 75% (sampai 2024)." + onceID,
	"Population": "Penduduk",
	"Residents of the selection, as the sheets count them (Dukcapil)." + onceEN: "Penduduk wilayah pilihan, sebagaimana lembar menghitungnya (Dukcapil)." + onceID,
	"Uninsured": "Belum terdaftar",
	"Residents not registered in JKN: each region's population minus its participants, never below zero, summed." + onceEN: "Penduduk yang belum terdaftar di JKN: penduduk setiap wilayah dikurangi pesertanya, tidak pernah di bawah nol, dijumlahkan." + onceID,
	"To register":           "Perlu didaftarkan",
	"Residents to register": "Penduduk yang perlu didaftarkan",
	"Residents still to register for each region's coverage to meet its target (jkn_residents_to_register: above 98% of 100,000 residents takes 98,001 participants), summed; regions that meet it add 0. Fewer than the uninsured: the target is below 100%." + onceEN: "Penduduk yang masih perlu didaftarkan agar cakupan setiap wilayah memenuhi targetnya (jkn_residents_to_register: di atas 98% dari 100.000 penduduk perlu 98.001 peserta), dijumlahkan; wilayah yang sudah memenuhinya menambah 0. Lebih sedikit dari yang belum terdaftar: targetnya di bawah 100%." + onceID,
	"Below target":         "Di bawah target",
	"Regions below target": "Wilayah di bawah target",
	"Regencies and cities of the selection below their coverage target, their active target or both, under the criteria set the exporter applies (jkn_uhc_status). Regions without an active figure that meet the coverage target do not count.": "Kabupaten dan kota pilihan yang di bawah target cakupan, target aktif atau keduanya, menurut kriteria yang diterapkan exporter (jkn_uhc_status). Wilayah tanpa angka aktif yang memenuhi target cakupan tidak dihitung.",
	"As of":          "Posisi data",
	"Oldest figures": "Angka tertua",
	"The as-of date of the oldest figures in the selection: every region's figures are at least this recent.": "Tanggal posisi data angka tertua di wilayah pilihan: angka setiap wilayah paling tidak sebaru ini.",
	"Map":                "Peta",
	"Regions on the map": "Wilayah di peta",
	"Each regency and city of the selection at its approximate centre (jkn_region_info, joined on the region code), coloured by its status under the criteria set the exporter applies (green meets the targets, orange below the active target, red below the coverage target, dark red below both, blue coverage met without an active figure) and sized by its uninsured residents (area). Hover a marker for its figures. The view fits the markers: select a province or a branch office to zoom to it.": "Setiap kabupaten dan kota pilihan di sekitar titik tengahnya (jkn_region_info, digabung pada kode wilayah), diwarnai menurut statusnya berdasarkan kriteria yang diterapkan exporter (hijau memenuhi target, oranye di bawah target aktif, merah di bawah target cakupan, merah tua di bawah keduanya, biru cakupan terpenuhi tanpa angka aktif) dan berukuran menurut penduduknya yang belum terdaftar (luas). Arahkan penunjuk ke penanda untuk melihat angkanya. Tampilan menyesuaikan penanda: pilih provinsi atau kantor cabang untuk memperbesarnya.",
	"Status":                         "Status",
	"Branch office":                  "Kantor cabang",
	"latitude":                       "latitude",
	"longitude":                      "longitude",
	"Province":                       "Provinsi",
	"Region":                         "Wilayah",
	"Code":                           "Kode",
	"Meets targets":                  "Memenuhi target",
	"Coverage met, no active figure": "Cakupan terpenuhi, tanpa angka aktif",
	"Below active target":            "Di bawah target aktif",
	"Below coverage target":          "Di bawah target cakupan",
	"Below both targets":             "Di bawah kedua target",
	"Regions, worst first":           "Wilayah, terburuk lebih dulu",
	"Regions":                        "Wilayah",
	"Each regency and city of the selection with its figures from the newest sheet, sorted by coverage minus target, worst first (click a column to sort by it). The target columns are green when the ratio reaches the region's target and red below it; the status, from the exporter under the criteria set in force, decides (some criteria need the ratio to exceed the target). Click a code for the region's history.": "Setiap kabupaten dan kota pilihan dengan angkanya dari lembar terbaru, diurutkan menurut cakupan dikurangi target, terburuk lebih dulu (klik kolom untuk mengurutkan menurutnya). Kolom target hijau bila rasio mencapai target wilayah dan merah di bawahnya; status dari exporter, menurut kriteria yang berlaku, yang menentukan (beberapa kriteria mengharuskan rasio melampaui target). Klik kode untuk riwayat wilayah.",
	"Coverage - target": "Cakupan - target",
	"Active - target":   "Aktif - target",
	"Region detail":     "Rincian wilayah",
	"Lowest coverage":   "Cakupan terendah",
	"The ten regencies and cities of the selection with the lowest coverage. Bars run from 80% to 100%; colours: 98% (UHC 2025), 95% (until 2024).": "Sepuluh kabupaten dan kota pilihan dengan cakupan terendah. Batang dari 80% sampai 100%; warna: 98% (UHC 2025), 95% (sampai 2024).",
	"Most uninsured": "Paling banyak belum terdaftar",
	"The ten regencies and cities of the selection with the most residents not registered in JKN: where registering people counts most.": "Sepuluh kabupaten dan kota pilihan dengan penduduk terbanyak yang belum terdaftar di JKN: di sana pendaftaran paling berarti.",

	// The rules offices apply (rules.go).
	"UHC Award 2026": "UHC Award 2026",
	"Utama":          "Utama",
	"Madya":          "Madya",
	"Pratama":        "Pratama",
	"No tier":        "Tanpa kategori",
	"Unknown (no PBPU Pemda or active figure)": "Tidak diketahui (tanpa angka PBPU Pemda atau aktif)",
	"Regions per UHC Award 2026 tier":          "Wilayah per kategori UHC Award 2026",
	"Regencies and cities of the selection per award tier (jkn_uhc_award_tier), from their newest sheets." + tiersEN: "Kabupaten dan kota pilihan per kategori penghargaan (jkn_uhc_award_tier), dari lembar terbarunya." + tiersID,
	"Award tier of each region": "Kategori penghargaan setiap wilayah",
	"Each regency and city of the selection with its UHC Award 2026 tier and the criteria set its UHC status was judged under (the set in force at its as-of date when the exporter runs with criteria by_date). The exporter's status page says what each region lacks for the next tier." + tiersEN: "Setiap kabupaten dan kota pilihan dengan kategori UHC Award 2026-nya dan kriteria yang menilai status UHC-nya (kriteria yang berlaku pada tanggal posisi datanya bila exporter berjalan dengan criteria by_date). Halaman status exporter menyebut apa yang masih kurang bagi setiap wilayah untuk kategori berikutnya." + tiersID,
	"Criteria":     "Kriteria",
	"Tier":         "Kategori",
	"Judged under": "Dinilai menurut",
	"The criteria set the region's UHC status and targets come from (jkn_uhc_criteria_info): uhc_2023 (>= 95% / >= 75%), uhc_2025 (> 98% / > 80%) or award_2026; under the exporter's criteria by_date, the set in force at the figures' as-of date.": "Kriteria asal status UHC dan target wilayah (jkn_uhc_criteria_info): uhc_2023 (>= 95% / >= 75%), uhc_2025 (> 98% / > 80%) atau award_2026; dengan criteria by_date exporter, kriteria yang berlaku pada tanggal posisi data angkanya.",
	"UHC Award 2026 tier": "Kategori UHC Award 2026",
	"The region's award tier (jkn_uhc_award_tier) from its newest sheet; provinces, regencies and cities only (districts and villages receive no award)." + tiersEN: "Kategori penghargaan wilayah (jkn_uhc_award_tier) dari lembar terbarunya; hanya provinsi, kabupaten dan kota (kecamatan dan desa tidak menerima penghargaan)." + tiersID,
	"PBPU Pemda":                         "PBPU Pemda",
	"Registered by the local government": "Didaftarkan pemerintah daerah",
	"Residents on PBPU Pemda (registered and paid for by the local government; PBI APBD in some sheets) per resident: Utama needs 18%, Madya's alternative 25%. Empty when the region's sheets carry no PBPU Pemda column.": "Penduduk di PBPU Pemda (didaftarkan dan dibayar pemerintah daerah; PBI APBD di sebagian lembar) per penduduk: Utama perlu 18%, alternatif Madya 25%. Kosong bila lembar wilayah tidak memuat kolom PBPU Pemda.",
	"Reporting completeness by branch office": "Kelengkapan laporan per kantor cabang",
	"The share of the regions each branch office is expected to report (its sources' configured lists, or the regions their earlier sheets carried) that its newest sheets carry, over the selected sources. Below 100%, JKNRegionMissingFromSheet names the regions left out.": "Bagian wilayah yang diharapkan dilaporkan setiap kantor cabang (daftar yang dikonfigurasi untuk sumbernya, atau wilayah yang dimuat lembar sebelumnya) yang dimuat lembar terbarunya, atas sumber yang dipilih. Di bawah 100%, JKNRegionMissingFromSheet menyebut wilayah yang tertinggal.",
	"Regions missing from the newest sheet": "Wilayah yang tidak ada di lembar terbaru",
	"Each region a selected source is expected to report that its newest sheet leaves out (jkn_region_missing): what JKNRegionMissingFromSheet tells the office's coordinators.": "Setiap wilayah yang diharapkan dilaporkan sumber pilihan tetapi tidak dimuat lembar terbarunya (jkn_region_missing): yang disampaikan JKNRegionMissingFromSheet kepada koordinator kantor.",

	// The overview's trends.
	"Over time":          "Dari waktu ke waktu",
	"Coverage over time": "Cakupan dari waktu ke waktu",
	"Coverage of the selection, from summed counts, and the strictest coverage target of its regions (dashed)." + onceEN: "Cakupan wilayah pilihan, dari jumlah hitungan, dan target cakupan paling ketat dari wilayahnya (putus-putus)." + onceID,
	"Active ratio over time": "Rasio aktif dari waktu ke waktu",
	"Active participants per resident in the selection, over the regions that report active participants, and the strictest active target of its regions (dashed)." + onceEN: "Peserta aktif per penduduk di wilayah pilihan, atas wilayah yang melaporkan peserta aktif, dan target aktif paling ketat dari wilayahnya (putus-putus)." + onceID,
	"Uninsured by branch office": "Belum terdaftar per kantor cabang",
	"Residents not registered in JKN, stacked per BPJS branch office." + onceEN: "Penduduk yang belum terdaftar di JKN, bertumpuk per kantor cabang BPJS." + onceID,
	"Participants by segment": "Peserta per segmen",
	segmentsEN + " Sums over the regency and city rows of the selection only: the province rows (and any district rows) of the sheets would count their residents twice.": segmentsID + " Hanya menjumlahkan baris kabupaten dan kota pilihan: baris provinsi (dan baris kecamatan) di lembar akan menghitung penduduknya dua kali.",
	"Coverage by province": "Cakupan per provinsi",
	"Coverage per selected province from the recording rule province:jkn_coverage_ratio:sum_ratio (summed regencies and cities of all branch offices: the branch office selection does not apply).": "Cakupan per provinsi pilihan dari recording rule province:jkn_coverage_ratio:sum_ratio (jumlah kabupaten dan kota semua kantor cabang: pilihan kantor cabang tidak berlaku).",
	"Active ratio by province": "Rasio aktif per provinsi",
	"Active ratio per selected province from the recording rule province:jkn_active_ratio:sum_ratio, over the regencies and cities that report active participants (the branch office selection does not apply).": "Rasio aktif per provinsi pilihan dari recording rule province:jkn_active_ratio:sum_ratio, atas kabupaten dan kota yang melaporkan peserta aktif (pilihan kantor cabang tidak berlaku).",
	"Data source":    "Sumber data",
	"All":            "Semua",
	"JKN dashboards": "Dasbor JKN",

	// The region detail.
	"JKN / Region detail": "JKN / Rincian wilayah",
	"One region's JKN figures over time: residents, participants, ratios against its targets, segments, and the data-quality findings of the sheets it comes from.": "Angka JKN satu wilayah dari waktu ke waktu: penduduk, peserta, rasio terhadap targetnya, segmen, dan temuan mutu data lembar asalnya.",
	"{{region}} ({{level}}), {{province}}; KC {{branch_office}}":                                                                                             "{{region}} ({{level}}), {{province}}; KC {{branch_office}}",
	"The region's canonical name and level, its province and the BPJS branch office that sends its figures.":                                                 "Nama baku dan tingkat wilayah, provinsinya dan kantor cabang BPJS yang mengirim angkanya.",
	"Registered JKN participants per resident, and the region's coverage target. Colours: 98% (UHC 2025), 95% (until 2024); the status decides.":             "Peserta JKN terdaftar per penduduk, dan target cakupan wilayah. Warna: 98% (UHC 2025), 95% (sampai 2024); status yang menentukan.",
	"Active participants (premiums paid) per resident, the UHC basis, and the region's active target. Empty when the region's sheets have no active column.": "Peserta aktif (iuran terbayar) per penduduk, dasar UHC, dan target aktif wilayah. Kosong bila lembar wilayah tidak mempunyai kolom aktif.",
	"UHC status": "Status UHC",
	"The region's status under the criteria set the exporter applies (jkn_uhc_status): whether coverage and active ratio meet the region's targets.": "Status wilayah menurut kriteria yang diterapkan exporter (jkn_uhc_status): apakah cakupan dan rasio aktif memenuhi target wilayah.",
	"Figures as of": "Posisi data angka",
	"The as-of date of the region's figures, from its newest sheet.": "Tanggal posisi data angka wilayah, dari lembar terbarunya.",
	"Criteria and award":         "Kriteria dan penghargaan",
	"History":                    "Riwayat",
	"Participants":               "Peserta",
	"Residents and participants": "Penduduk dan peserta",
	"Population (Dukcapil), registered participants, active participants and uninsured residents, as each sheet gave them. A new population figure each semester can move coverage while participants do not change.": "Penduduk (Dukcapil), peserta terdaftar, peserta aktif dan penduduk yang belum terdaftar, sebagaimana setiap lembar memuatnya. Angka penduduk baru setiap semester dapat menggeser cakupan walaupun peserta tidak berubah.",
	"Active per resident":    "Aktif per penduduk",
	"Active per participant": "Aktif per peserta",
	"Coverage target":        "Target cakupan",
	"Active target":          "Target aktif",
	"Ratios against targets": "Rasio terhadap target",
	"Coverage (participants per resident), active ratio (active per resident, the UHC basis) and active per participant, with the region's coverage and active targets (dashed).": "Cakupan (peserta per penduduk), rasio aktif (aktif per penduduk, dasar UHC) dan aktif per peserta, dengan target cakupan dan target aktif wilayah (putus-putus).",
	"Segments":               "Segmen",
	segmentsEN:               segmentsID,
	"Segments, newest sheet": "Segmen, lembar terbaru",
	"Registered participants per segment in the newest sheet, largest first.": "Peserta terdaftar per segmen di lembar terbaru, terbesar lebih dulu.",
	"Figures and their quality": "Angka dan mutunya",
	"As-of date of the figures": "Tanggal posisi data angka",
	"The as-of date of the figures served at each moment: a step up is a new sheet arriving.": "Tanggal posisi data angka yang disajikan pada setiap saat: setiap kenaikan adalah lembar baru yang tiba.",
	"Data-quality findings of the source":                                                     "Temuan mutu data sumber",
	"Current data-quality findings per check of the sources selected above (pick the one that sends this region's sheets): rows the exporter rejected or figures it doubts, such as a reported percentage that disagrees with the counts.": "Temuan mutu data saat ini per pemeriksaan untuk sumber yang dipilih di atas (pilih sumber yang mengirim lembar wilayah ini): baris yang ditolak exporter atau angka yang diragukannya, misalnya persentase yang dilaporkan tidak sesuai dengan hitungannya.",
	"Findings":                 "Temuan",
	"Check":                    "Pemeriksaan",
	"Source":                   "Sumber",
	"Region code (Kemendagri)": "Kode wilayah (Kemendagri)",
	"Source of its sheets":     "Sumber lembarnya",

	// The exporter's health.
	"JKN / Exporter health": "JKN / Kesehatan exporter",
	"Whether jkn_exporter ingests the branch offices' workbooks: per source, its last ingest, the age of its figures, accepted and rejected rows, errors and data-quality findings.": "Apakah jkn_exporter membaca buku kerja kantor cabang: per sumber, pembacaan terakhirnya, umur angkanya, baris yang diterima dan ditolak, galat dan temuan mutu data.",
	"Exporter":    "Exporter",
	"Exporter up": "Exporter berjalan",
	"Whether Prometheus scrapes each jkn_exporter instance (up).": "Apakah Prometheus mengambil data setiap instance jkn_exporter (up).",
	"Down":    "Mati",
	"Up":      "Berjalan",
	"Version": "Versi",
	"The version and revision of each jkn_exporter instance.": "Versi dan revisi setiap instance jkn_exporter.",
	"Failing":         "Gagal",
	"Sources failing": "Sumber yang gagal",
	"Sources whose last ingest rejected a file (jkn_source_up is 0); they keep serving their last good figures.": "Sumber yang pembacaan terakhirnya menolak sebuah berkas (jkn_source_up bernilai 0); sumber tetap menyajikan angka baik terakhirnya.",
	"Regions served": "Wilayah yang disajikan",
	"Regions the selected sources serve figures for.": "Wilayah yang angkanya disajikan sumber pilihan.",
	"Sources": "Sumber",
	"One row per source: whether its last ingest was clean, how long ago it last succeeded, the age of its newest figures (as-of date; orange from 35 days, red from 45, when JKNSourceDataStale fires), regions served, rows accepted and rejected at the last ingest, ingest duration, data-quality findings, and reporting: the share of its expected regions its newest sheet carries.": "Satu baris per sumber: apakah pembacaan terakhirnya bersih, berapa lama sejak terakhir berhasil, umur angka terbarunya (tanggal posisi data; oranye mulai 35 hari, merah mulai 45, saat JKNSourceDataStale menyala), wilayah yang disajikan, baris yang diterima dan ditolak pada pembacaan terakhir, lama pembacaan, temuan mutu data, dan pelaporan: bagian wilayah yang diharapkan yang dimuat lembar terbarunya.",
	"Last ingest":               "Pembacaan terakhir",
	"Last success":              "Terakhir berhasil",
	"Age of figures":            "Umur angka",
	"Rows accepted":             "Baris diterima",
	"Rows rejected":             "Baris ditolak",
	"Ingest duration":           "Lama pembacaan",
	"Reporting":                 "Pelaporan",
	"Rejected a file":           "Menolak berkas",
	"Clean":                     "Bersih",
	"Age of the newest figures": "Umur angka terbaru",
	"Time since the as-of date of each source's newest figures. It grows by a day a day and drops when a newer sheet is ingested; JKNSourceDataStale fires above 45 days (dashed line).": "Waktu sejak tanggal posisi data angka terbaru setiap sumber. Bertambah sehari setiap hari dan turun saat lembar yang lebih baru dibaca; JKNSourceDataStale menyala di atas 45 hari (garis putus-putus).",
	"Time since the last successful ingest": "Waktu sejak pembacaan terakhir yang berhasil",
	"Time since each source's last ingest that rejected no file. It drops at every clean ingest, so a rising line is a source that keeps failing (JKNSourceIngestFailing).": "Waktu sejak pembacaan terakhir setiap sumber yang tidak menolak berkas apa pun. Turun pada setiap pembacaan bersih, jadi garis yang terus naik adalah sumber yang terus gagal (JKNSourceIngestFailing).",
	"Reporting completeness":     "Kelengkapan laporan",
	"Ingest":                     "Pembacaan",
	"Rows accepted and rejected": "Baris diterima dan ditolak",
	"Rows of each source's last ingest that became figures (accepted) or were rejected with a finding.": "Baris pembacaan terakhir setiap sumber yang menjadi angka (diterima) atau ditolak dengan sebuah temuan.",
	"Ingest errors by reason": "Galat pembacaan per alasan",
	"Files or sources that failed to ingest, per source and reason, in each interval.": "Berkas atau sumber yang gagal dibaca, per sumber dan alasan, di setiap interval.",
	"How long each source's last ingest took.":                                         "Lama pembacaan terakhir setiap sumber.",
	"Data-quality findings": "Temuan mutu data",
	"Current data-quality findings per source and check, such as reported percentages that disagree with the counts or segments that do not add up.": "Temuan mutu data saat ini per sumber dan pemeriksaan, misalnya persentase yang dilaporkan tidak sesuai dengan hitungannya atau segmen yang jumlahnya tidak cocok.",
	"Job": "Job",
}
