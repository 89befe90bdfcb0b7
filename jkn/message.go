package jkn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Message is a text a person reads, kept as its catalogue key and
// arguments so that package lang can write it in Indonesian or English.
// The key is the English format string (the x/text/message convention),
// so String, the English text, is what fmt.Sprintf would have given.
type Message struct {
	Key  string
	Args []any
}

// Msgf makes a Message; key must be a literal in package lang's catalogue
// (a test reads every call).
func Msgf(key string, args ...any) Message { return Message{Key: key, Args: args} }

// String is the English text. Arguments that are Messages or Percents
// write their English form.
func (m Message) String() string {
	if m.Key == "" {
		return ""
	}
	return fmt.Sprintf(m.Key, m.Args...)
}

// Percent is a ratio a message writes as a percentage with two decimals:
// 0.97634 is "97.63%" in English, "97,63%" in Indonesian.
type Percent float64

func (p Percent) String() string { return fmt.Sprintf("%.2f%%", float64(p)*100) }

// Share is a ratio a message writes as a percentage with up to two
// decimals, trailing zeros dropped: 0.05 is "5%", 0.1234 "12.34%" in
// English, "12,34%" in Indonesian (a change, a threshold).
type Share float64

func (s Share) String() string {
	t := strconv.FormatFloat(float64(s)*100, 'f', 2, 64)
	return strings.TrimRight(strings.TrimRight(t, "0"), ".") + "%"
}

// Error makes a Message an error, for the texts that travel as errors (a
// cell that is not a number) to the finding that shows them.
func (m Message) Error() string { return m.String() }

// Date is a calendar date in a message: "2025-05-01" in English (as check
// has always written it), "1 Mei 2025" in Indonesian.
type Date time.Time

func (d Date) String() string { return time.Time(d).Format(time.DateOnly) }
