package xls

import (
	"math"
	"strconv"
)

// appendNumber appends v as a cell's text: the shortest form that reads
// back as v (strconv's), in plain decimals for 1e-4 <= |v| < 1e21 (so
// that figures and identifiers up to 21 digits read as they are shown)
// and in exponent form ("1E-07", "1.5E+300") beyond, where LibreOffice's
// .xlsx also writes an exponent. (LibreOffice writes 15 significant
// digits; the shortest form keeps all of v: see the oracle test.)
func appendNumber(dst []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	if a := math.Abs(v); a >= 1e-4 && a < 1e21 {
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, v, 'E', -1, 64)
}

// rk decodes an RK number ([MS-XLS] 2.5.217): a 30-bit signed integer or
// the high 30 bits of an IEEE double, divided by 100 when its low bit
// says so.
func rk(u uint32) float64 {
	var v float64
	if u&0x02 != 0 {
		v = float64(int32(u) >> 2)
	} else {
		v = math.Float64frombits(uint64(u&0xFFFFFFFC) << 32)
	}
	if u&0x01 != 0 {
		v /= 100
	}
	return v
}
