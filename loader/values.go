package loader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Attribute values are kept as the article words them ("50% plus one share", "around 6,000 km",
// "early April 2017"). The functions here read what a value states as a number or a date, so
// that it can be compared and filtered; a value they cannot read stays text only.

// NumberKeys are the attributes whose values are quantities.
var NumberKeys = map[string]bool{"share": true, "value": true, "amount": true, "length": true, "capacity": true, "change": true, "rank": true}

// DateKeys are the attributes whose values are dates or periods.
var DateKeys = map[string]bool{"date": true, "period": true}

// Number is a quantity an attribute value states.
type Number struct {
	Value float64
	// Unit is "%", a currency code (USD, CNY, TWD, EUR, GBP, JPY) or a unit the text names
	// after the number (km, Tbit/s, ...); empty when the text names none.
	Unit string
}

var (
	numberRe   = regexp.MustCompile(`(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?`)
	currencies = []struct{ sign, code string }{
		{"NT$", "TWD"}, {"US$", "USD"}, {"HK$", "HKD"}, {"$", "USD"}, {"RMB", "CNY"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "CNY"},
	}
	scales = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
	units  = []string{"Tbit/s", "Gbit/s", "Mbit/s", "kbit/s", "Tbps", "Gbps", "Mbps", "km", "MW", "GW", "kW", "GB", "TB", "PB", "points"}
)

// ParseNumber returns the first quantity text states: its number, scaled by a word that follows
// (million, billion, ...), with a unit from a currency sign before it or a unit after it. For
// example "NT$4.4 billion ($147 million)" is 4.4e9 TWD, "around 6,000 km" 6000 km and "54.1%"
// 54.1 %. It reports false for text that states no number ("the remainder", "majority").
func ParseNumber(text string) (Number, bool) {
	loc := numberRe.FindStringIndex(text)
	if loc == nil {
		return Number{}, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text[loc[0]:loc[1]], ",", ""), 64)
	if err != nil {
		return Number{}, false
	}
	n := Number{Value: v}
	before := strings.TrimSpace(text[:loc[0]])
	for _, c := range currencies {
		if strings.HasSuffix(before, c.sign) {
			n.Unit = c.code
			break
		}
	}
	rest := strings.TrimLeft(text[loc[1]:], " ")
	if strings.HasPrefix(rest, "%") {
		n.Unit = "%"
		return n, true
	}
	if f := strings.Fields(rest); len(f) > 0 {
		if s, ok := scales[strings.ToLower(f[0])]; ok {
			n.Value *= s
			rest = strings.TrimSpace(rest[len(f[0]):])
		}
	}
	if n.Unit == "" {
		for _, u := range units {
			if strings.HasPrefix(rest, u) && (len(rest) == len(u) || !isLetter(rest[len(u)])) {
				n.Unit = u
				break
			}
		}
	}
	return n, true
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// PartialDate is a date stated as precisely as the text states it: a year, a year and a month
// or quarter, or a day.
type PartialDate struct {
	Year    int
	Month   int // 1-12, or 0 when not stated
	Day     int // 1-31, or 0 when not stated
	Quarter int // 1-4 when the text names a quarter, else 0
}

// Start returns the first day the date covers, as YYYY-MM-DD.
func (d PartialDate) Start() string {
	m, day := max(d.Month, 1), max(d.Day, 1)
	if d.Month == 0 && d.Quarter > 0 {
		m = 3*d.Quarter - 2
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, m, day)
}

// End returns the last day the date covers, as YYYY-MM-DD.
func (d PartialDate) End() string {
	switch {
	case d.Day > 0:
		return d.Start()
	case d.Month > 0:
		return lastDay(d.Year, d.Month)
	case d.Quarter > 0:
		return lastDay(d.Year, 3*d.Quarter)
	}
	return fmt.Sprintf("%04d-12-31", d.Year)
}

func lastDay(year, month int) string {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

var (
	isoDateRe = regexp.MustCompile(`\b((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?\b`)
	quarterRe = regexp.MustCompile(`\bQ([1-4])\s*((?:19|20)\d\d)\b`)
	yearRe    = regexp.MustCompile(`\b((?:19|20)\d\d)\b`)
	monthRe   = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?,?)?\s+((?:19|20)\d\d)\b`)
	months    = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// ParseDate returns the first date text states with a year: "2017-05-17", "2015-11", "March
// 31, 2017", "early April 2017", "Q4 2016" or "2016 H1/H2" (the year). It reports false for
// text without a year ("May 2nd", "next year").
func ParseDate(text string) (PartialDate, bool) {
	if m := isoDateRe.FindStringSubmatch(text); m != nil {
		d := PartialDate{Year: atoi(m[1]), Month: atoi(m[2]), Day: atoi(m[3])}
		return d, d.Month >= 1 && d.Month <= 12 && d.Day <= 31
	}
	if m := monthRe.FindStringSubmatch(text); m != nil {
		d := PartialDate{Year: atoi(m[3]), Month: months[strings.ToLower(m[1])], Day: atoi(m[2])}
		return d, d.Day <= 31
	}
	if m := quarterRe.FindStringSubmatch(text); m != nil {
		return PartialDate{Year: atoi(m[2]), Quarter: atoi(m[1])}, true
	}
	if m := yearRe.FindStringSubmatch(text); m != nil {
		return PartialDate{Year: atoi(m[1])}, true
	}
	return PartialDate{}, false
}

// atoi reads digits known to be a number, or "" as 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Statuses are the closed vocabulary ParseStatus reads a status attribute into, in the order a
// fact goes through them.
var Statuses = []string{"planned", "announced", "agreed", "in progress", "operating", "completed", "ended"}

// StatusKeys are the attributes whose values are statuses.
var StatusKeys = map[string]bool{"status": true}

// statusWords maps how the articles word a status to the closed vocabulary: the first entry
// whose words start the text's first clause (before a semicolon or a parenthesis) wins.
var statusWords = []struct{ words, status string }{
	{"planned", "planned"}, {"due to", "planned"}, {"expected to", "planned"}, {"to be", "planned"},
	{"announced", "announced"},
	{"signed", "agreed"}, {"agreed", "agreed"}, {"agreement signed", "agreed"}, {"awarded", "agreed"}, {"bid won", "agreed"},
	{"started", "in progress"}, {"in development", "in progress"}, {"under construction", "in progress"},
	{"implementation phase commenced", "in progress"}, {"marine installation started", "in progress"}, {"launching", "in progress"},
	{"operating", "operating"}, {"live", "operating"}, {"in service", "operating"}, {"deployed", "operating"},
	{"launched", "operating"}, {"newly launched", "operating"}, {"implemented", "operating"},
	{"completed", "completed"}, {"deployment completed", "completed"},
	{"previously", "ended"}, {"previous", "ended"}, {"terminated", "ended"}, {"ended", "ended"},
}

// ParseStatus returns the status of the closed vocabulary (see Statuses) a status value states:
// "planned (to be built in 2019)" is planned, "operating since August 2015" operating, "signed;
// closing expected July 2017" agreed, "previously offered" ended. It reports false for words
// that fit none ("seeking sale", "extended").
func ParseStatus(text string) (string, bool) {
	first := strings.ToLower(text)
	if i := strings.IndexAny(first, ";("); i >= 0 {
		first = first[:i]
	}
	first = strings.Join(strings.Fields(first), " ")
	for _, w := range statusWords {
		if first == w.words || strings.HasPrefix(first, w.words+" ") {
			return w.status, true
		}
	}
	return "", false
}
