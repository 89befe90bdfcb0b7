package workbook

import "testing"

func TestMatchHeader(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Field // "" for no field
		level  int   // for region names and codes
	}{
		{"Jumlah Penduduk", FieldPopulation, 0},
		{"JML PENDUDUK", FieldPopulation, 0},
		{"Jml. Penduduk", FieldPopulation, 0},
		{"Jumlah Penduduk\n(Jiwa)", FieldPopulation, 0},
		{"Jumlah Penduduk (DKB Semester II 2024)", FieldPopulation, 0},
		{"Penduduk", FieldPopulation, 0},
		{"Population", FieldPopulation, 0},
		{"Residents", FieldPopulation, 0},
		{"Jumlah Peserta", FieldParticipants, 0},
		{"JML PESERTA", FieldParticipants, 0},
		{"Peserta JKN", FieldParticipants, 0},
		{"Peserta JKN-KIS", FieldParticipants, 0},
		{"Peserta", FieldParticipants, 0},
		{"Terdaftar", FieldParticipants, 0},
		{"Participants", FieldParticipants, 0},
		{"Registered", FieldParticipants, 0},
		{"Peserta JKN / Jumlah", FieldParticipants, 0},
		{"Peserta Aktif", FieldActive, 0},
		{"Aktif", FieldActive, 0},
		{"Active", FieldActive, 0},
		{"Jumlah Peserta Aktif", FieldActive, 0},
		{"Peserta JKN / Aktif", FieldActive, 0},
		{"Non Aktif", FieldInactive, 0},
		{"Non-Aktif", FieldInactive, 0},
		{"Peserta Non Aktif", FieldInactive, 0},
		{"Tidak Aktif", FieldInactive, 0},
		{"Inactive", FieldInactive, 0},
		{"Belum Terdaftar", FieldUninsured, 0},
		{"Penduduk Belum Terdaftar", FieldUninsured, 0},
		{"Non BPJS", FieldUninsured, 0},
		{"Tidak Terdaftar", FieldUninsured, 0},
		{"Uninsured", FieldUninsured, 0},
		{"Not Registered", FieldUninsured, 0},
		{"Cakupan", FieldCoverageReported, 0},
		{"% UHC", FieldCoverageReported, 0},
		{"UHC %", FieldCoverageReported, 0},
		{"Persentase Cakupan", FieldCoverageReported, 0},
		{"% Cakupan", FieldCoverageReported, 0},
		{"Cakupan (%)", FieldCoverageReported, 0},
		{"Coverage", FieldCoverageReported, 0},
		{"Coverage %", FieldCoverageReported, 0},
		{"Persentase Kepesertaan", FieldCoverageReported, 0},
		{"Peserta JKN %", FieldCoverageReported, 0},
		{"Keaktifan", FieldActiveReported, 0},
		{"% Aktif", FieldActiveReported, 0},
		{"Persentase Keaktifan", FieldActiveReported, 0},
		{"% Keaktifan", FieldActiveReported, 0},
		{"Active %", FieldActiveReported, 0},
		{"Active Ratio", FieldActiveReported, 0},
		{"PBI APBN", FieldPBIAPBN, 0},
		{"PBI JK", FieldPBIAPBN, 0},
		{"PBI", FieldPBIAPBN, 0},
		{"PBI APBD", FieldPBPUPemda, 0},
		{"PBPU Pemda", FieldPBPUPemda, 0},
		{"PBPU PEMDA", FieldPBPUPemda, 0},
		{"Pemda", FieldPBPUPemda, 0},
		{"Peserta PBPU Pemda", FieldPBPUPemda, 0},
		{"PPU", FieldPPU, 0},
		{"PPU PN", FieldPPUPN, 0},
		{"PPU Penyelenggara Negara", FieldPPUPN, 0},
		{"PPU BU", FieldPPUBU, 0},
		{"PPU Badan Usaha", FieldPPUBU, 0},
		{"PBPU", FieldPBPU, 0},
		{"Mandiri", FieldPBPU, 0},
		{"PBPU Mandiri", FieldPBPU, 0},
		{"BP", FieldBP, 0},
		{"Bukan Pekerja", FieldBP, 0},
		{"Tanggal", FieldAsOf, 0},
		{"Tanggal Data", FieldAsOf, 0},
		{"Posisi Data", FieldAsOf, 0},
		{"Per Tanggal", FieldAsOf, 0},
		{"Periode", FieldAsOf, 0},
		{"As Of", FieldAsOf, 0},
		{"Date", FieldAsOf, 0},
		{"Kabupaten/Kota", FieldName, levelRegency},
		{"Kab/Kota", FieldName, levelRegency},
		{"KAB / KOTA", FieldName, levelRegency},
		{"Nama Kabupaten/Kota", FieldName, levelRegency},
		{"Regency", FieldName, levelRegency},
		{"Nama Wilayah", FieldName, levelAny},
		{"Wilayah", FieldName, levelAny},
		{"Daerah", FieldName, levelAny},
		{"Region", FieldName, levelAny},
		{"Name", FieldName, levelAny},
		{"Nama", FieldName, levelAny},
		{"Kecamatan", FieldName, levelDistrict},
		{"Desa/Kelurahan", FieldName, levelVillage},
		{"Provinsi", FieldName, levelProvince},
		{"Province", FieldName, levelProvince},
		{"Kode", FieldCode, levelAny},
		{"Kode Wilayah", FieldCode, levelAny},
		{"Kode Kemendagri", FieldCode, levelAny},
		{"Kode Wil.", FieldCode, levelAny},
		{"Code", FieldCode, levelAny},
		{"Region Code", FieldCode, levelAny},
		{"Kode Kab/Kota", FieldCode, levelRegency},
		{"Kode Kec.", FieldCode, levelDistrict},
		// Not figures.
		{"Keterangan", "", 0},
		{"Jumlah", "", 0},
		{"Total", "", 0},
		{"% Non Aktif", "", 0},
		{"Kode BPS", "", 0},
		{"Nama Puskesmas", "", 0},
	} {
		a, ok := matchHeader(tc.header)
		if !ok {
			a = alias{}
		}
		if a.field != tc.want || a.level != tc.level {
			t.Errorf("matchHeader(%q) = %q (level %d), want %q (level %d)", tc.header, a.field, a.level, tc.want, tc.level)
		}
	}
	for _, h := range []string{"No", "No.", "NO", "Nomor", "No Urut"} {
		if a, ok := matchHeader(h); !ok || !a.no {
			t.Errorf("matchHeader(%q) is not a row-number column", h)
		}
	}
}
