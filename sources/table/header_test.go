package table

import (
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func TestMatchHeader(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   jkn.Field // "" for no field
		level  int       // for region names and codes
	}{
		{"Jumlah Penduduk", jkn.FieldPopulation, 0},
		{"JML PENDUDUK", jkn.FieldPopulation, 0},
		{"Jml. Penduduk", jkn.FieldPopulation, 0},
		{"Jumlah Penduduk\n(Jiwa)", jkn.FieldPopulation, 0},
		{"Jumlah Penduduk (DKB Semester II 2024)", jkn.FieldPopulation, 0},
		{"Penduduk", jkn.FieldPopulation, 0},
		{"Population", jkn.FieldPopulation, 0},
		{"Residents", jkn.FieldPopulation, 0},
		{"Jumlah Peserta", jkn.FieldParticipants, 0},
		{"JML PESERTA", jkn.FieldParticipants, 0},
		{"Peserta JKN", jkn.FieldParticipants, 0},
		{"Peserta JKN-KIS", jkn.FieldParticipants, 0},
		{"Peserta", jkn.FieldParticipants, 0},
		{"Terdaftar", jkn.FieldParticipants, 0},
		{"Participants", jkn.FieldParticipants, 0},
		{"Registered", jkn.FieldParticipants, 0},
		{"Peserta JKN / Jumlah", jkn.FieldParticipants, 0},
		{"Peserta Aktif", jkn.FieldActive, 0},
		{"Aktif", jkn.FieldActive, 0},
		{"Active", jkn.FieldActive, 0},
		{"Jumlah Peserta Aktif", jkn.FieldActive, 0},
		{"Peserta JKN / Aktif", jkn.FieldActive, 0},
		{"Non Aktif", jkn.FieldInactive, 0},
		{"Non-Aktif", jkn.FieldInactive, 0},
		{"Peserta Non Aktif", jkn.FieldInactive, 0},
		{"Tidak Aktif", jkn.FieldInactive, 0},
		{"Inactive", jkn.FieldInactive, 0},
		{"Belum Terdaftar", jkn.FieldUninsured, 0},
		{"Penduduk Belum Terdaftar", jkn.FieldUninsured, 0},
		{"Non BPJS", jkn.FieldUninsured, 0},
		{"Tidak Terdaftar", jkn.FieldUninsured, 0},
		{"Uninsured", jkn.FieldUninsured, 0},
		{"Not Registered", jkn.FieldUninsured, 0},
		{"Cakupan", jkn.FieldCoverageReported, 0},
		{"% UHC", jkn.FieldCoverageReported, 0},
		{"UHC %", jkn.FieldCoverageReported, 0},
		{"Persentase Cakupan", jkn.FieldCoverageReported, 0},
		{"% Cakupan", jkn.FieldCoverageReported, 0},
		{"Cakupan (%)", jkn.FieldCoverageReported, 0},
		{"Coverage", jkn.FieldCoverageReported, 0},
		{"Coverage %", jkn.FieldCoverageReported, 0},
		{"Persentase Kepesertaan", jkn.FieldCoverageReported, 0},
		{"Peserta JKN %", jkn.FieldCoverageReported, 0},
		{"Keaktifan", jkn.FieldActiveReported, 0},
		{"% Aktif", jkn.FieldActiveReported, 0},
		{"Persentase Keaktifan", jkn.FieldActiveReported, 0},
		{"% Keaktifan", jkn.FieldActiveReported, 0},
		{"Active %", jkn.FieldActiveReported, 0},
		{"Active Ratio", jkn.FieldActiveReported, 0},
		{"PBI APBN", jkn.FieldPBIAPBN, 0},
		{"PBI JK", jkn.FieldPBIAPBN, 0},
		{"PBI", jkn.FieldPBIAPBN, 0},
		{"PBI APBD", jkn.FieldPBPUPemda, 0},
		{"PBPU Pemda", jkn.FieldPBPUPemda, 0},
		{"PBPU PEMDA", jkn.FieldPBPUPemda, 0},
		{"Pemda", jkn.FieldPBPUPemda, 0},
		{"Peserta PBPU Pemda", jkn.FieldPBPUPemda, 0},
		{"PPU", jkn.FieldPPU, 0},
		{"PPU PN", jkn.FieldPPUPN, 0},
		{"PPU Penyelenggara Negara", jkn.FieldPPUPN, 0},
		{"PPU BU", jkn.FieldPPUBU, 0},
		{"PPU Badan Usaha", jkn.FieldPPUBU, 0},
		{"PBPU", jkn.FieldPBPU, 0},
		{"Mandiri", jkn.FieldPBPU, 0},
		{"PBPU Mandiri", jkn.FieldPBPU, 0},
		{"BP", jkn.FieldBP, 0},
		{"Bukan Pekerja", jkn.FieldBP, 0},
		{"Tanggal", jkn.FieldAsOf, 0},
		{"Tanggal Data", jkn.FieldAsOf, 0},
		{"Posisi Data", jkn.FieldAsOf, 0},
		{"Per Tanggal", jkn.FieldAsOf, 0},
		{"Periode", jkn.FieldAsOf, 0},
		{"As Of", jkn.FieldAsOf, 0},
		{"Date", jkn.FieldAsOf, 0},
		{"Kabupaten/Kota", jkn.FieldName, levelRegency},
		{"Kab/Kota", jkn.FieldName, levelRegency},
		{"KAB / KOTA", jkn.FieldName, levelRegency},
		{"Nama Kabupaten/Kota", jkn.FieldName, levelRegency},
		{"Regency", jkn.FieldName, levelRegency},
		{"Nama Wilayah", jkn.FieldName, levelAny},
		{"Wilayah", jkn.FieldName, levelAny},
		{"Daerah", jkn.FieldName, levelAny},
		{"Region", jkn.FieldName, levelAny},
		{"Name", jkn.FieldName, levelAny},
		{"Nama", jkn.FieldName, levelAny},
		{"Kecamatan", jkn.FieldName, levelDistrict},
		{"Desa/Kelurahan", jkn.FieldName, levelVillage},
		{"Provinsi", jkn.FieldName, levelProvince},
		{"Province", jkn.FieldName, levelProvince},
		{"Kode", jkn.FieldCode, levelAny},
		{"Kode Wilayah", jkn.FieldCode, levelAny},
		{"Kode Kemendagri", jkn.FieldCode, levelAny},
		{"Kode Wil.", jkn.FieldCode, levelAny},
		{"Code", jkn.FieldCode, levelAny},
		{"Region Code", jkn.FieldCode, levelAny},
		{"Kode Kab/Kota", jkn.FieldCode, levelRegency},
		{"Kode Kec.", jkn.FieldCode, levelDistrict},
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
