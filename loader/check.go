package loader

// UntypedValue is an attribute value the loader keeps as text only: its key asks for a number,
// a date or a status, and the value states none the parsers can read.
type UntypedValue struct {
	File    string
	Line    int    // the line of the entity or relationship block
	Subject string // the entity or relationship id
	Key     string
	Value   string
	Want    string // "number", "date" or "status"
}

// Untyped lists the attribute values of d that stay text only (see UntypedValue), in file order.
// They are not errors: the value keeps the article's words, it only cannot be filtered as a
// number, a date or a status.
func Untyped(d *Document) []UntypedValue {
	var out []UntypedValue
	check := func(line int, subject string, attrs []Attr) {
		for _, a := range attrs {
			want := ""
			switch {
			case NumberKeys[a.Key]:
				if _, ok := ParseNumber(a.Value); !ok {
					want = "number"
				}
			case DateKeys[a.Key]:
				if _, ok := ParseDate(a.Value); !ok {
					want = "date"
				}
			case StatusKeys[a.Key]:
				if _, ok := ParseStatus(a.Value); !ok {
					want = "status"
				}
			}
			if want != "" {
				out = append(out, UntypedValue{File: d.Path, Line: line, Subject: subject, Key: a.Key, Value: a.Value, Want: want})
			}
		}
	}
	for _, e := range d.Entities {
		check(e.Line, e.ID, e.Attrs)
	}
	for _, r := range d.Relations {
		check(r.Line, r.ID, r.Attrs)
	}
	return out
}
