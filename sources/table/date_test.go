package table

import (
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time // zero: not a date
	}{
		{"2025-05-01", day(2025, 5, 1)},
		{"2025-05-01T00:00:00", day(2025, 5, 1)},
		{"2025/05/01", day(2025, 5, 1)},
		{"01/05/2025", day(2025, 5, 1)}, // day first
		{"1/5/2025", day(2025, 5, 1)},
		{"01-05-2025", day(2025, 5, 1)},
		{"01.05.2025", day(2025, 5, 1)},
		{"1 Mei 2025", day(2025, 5, 1)},
		{"01-Mei-2025", day(2025, 5, 1)},
		{"1 September 2023", day(2023, 9, 1)},
		{"1 Sept 2023", day(2023, 9, 1)},
		{"1 Sep 2023", day(2023, 9, 1)},
		{"16 Juli 2024", day(2024, 7, 16)},
		{"17 Agustus 2024", day(2024, 8, 17)},
		{"17 Agt 2024", day(2024, 8, 17)},
		{"17 Ags 2024", day(2024, 8, 17)},
		{"17 Agu 2024", day(2024, 8, 17)},
		{"5 Okt 2024", day(2024, 10, 5)},
		{"2 Des 2024", day(2024, 12, 2)},
		{"2 Pebruari 2024", day(2024, 2, 2)},
		{"29 Februari 2024", day(2024, 2, 29)},
		{"1 May 2025", day(2025, 5, 1)},
		{"May 1, 2025", day(2025, 5, 1)},
		{"  MEI 2025 ", day(2025, 5, 1)}, // month and year: the first
		{"Januari 2024", day(2024, 1, 1)},
		{"Semester II 2022", day(2022, 12, 31)}, // semester: its last day
		{"Semester I 2023", day(2023, 6, 30)},
		{"Semester 2 Tahun 2022", day(2022, 12, 31)},
		{"20250501", day(2025, 5, 1)},
		// Not dates.
		{"29 Februari 2023", time.Time{}},
		{"31/06/2025", time.Time{}},
		{"13/13/2025", time.Time{}},
		{"2023", time.Time{}},
		{"45170", time.Time{}},
		{"kemarin", time.Time{}},
		{"Posisi 1 Mei 2025", time.Time{}}, // a whole text only; titles use findDate
		{"", time.Time{}},
	} {
		got, ok := ParseDate(tc.in)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) is in %v, want UTC", tc.in, got.Location())
		}
	}
}

func TestSerialDate(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		date1904 bool
		want     time.Time
	}{
		{"45170", false, day(2023, 9, 1)},
		{"45170.75", false, day(2023, 9, 1)},
		{"45778", false, day(2025, 5, 1)},
		{"43708", true, day(2023, 9, 1)},
		{"12", false, time.Time{}},
		{"Mei", false, time.Time{}},
	} {
		got, ok := serialDate(tc.raw, tc.date1904)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("serialDate(%q, %v) = %v, %v; want %v", tc.raw, tc.date1904, got, ok, tc.want)
		}
	}
}

// TestSerialDateAgreesWithExcelize: serialDate reads serial dates as
// excelize's ExcelDateToTime does, times of day near midnight too.
func TestSerialDateAgreesWithExcelize(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		for v := 30000.0; v < 80000; v += 97.13 {
			for _, frac := range []float64{0, 0.25, 0.5, 0.99999, 0.999994, 0.999995, 0.9999999, 0.99999999999} {
				serial := float64(int(v)) + frac
				raw := strconv.FormatFloat(serial, 'g', -1, 64)
				got, gotOK := serialDate(raw, date1904)
				x, err := excelize.ExcelDateToTime(serial, date1904)
				if err != nil {
					t.Fatal(err)
				}
				y, m, d := x.Date()
				want, wantOK := validDate(y, int(m), d)
				if got != want || gotOK != wantOK {
					t.Fatalf("serialDate(%s, %v) = %v, %v; excelize %v (%v)", raw, date1904, got, gotOK, x, wantOK)
				}
			}
		}
	}
}
