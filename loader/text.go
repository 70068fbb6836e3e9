package loader

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotes are compared with an article's text after folding both: every run of white space
// (Unicode spaces and line breaks included) becomes one space, and typographic quotation marks
// become their typewriter forms, so that a quote copied from a rendered page matches the text
// it was copied from. Nothing else changes: case, spelling and punctuation must be verbatim.

// foldRune returns the form of r quotes are compared in.
func foldRune(r rune) rune {
	switch r {
	case '‘', '’', '‚', '‛', '′':
		return '\''
	case '“', '”', '„', '‟', '″':
		return '"'
	}
	return r
}

// Fold returns s as quotes are compared: white space collapsed to single spaces and trimmed,
// typographic quotation marks straightened.
func Fold(s string) string {
	f, _ := fold(s)
	return strings.TrimSpace(f)
}

// fold returns s folded (white space collapsed, not trimmed) and, for each byte of the result,
// the offset in s of the rune it came from, with one more entry: len(s).
func fold(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	at := make([]int, 0, len(s)+1)
	space := false
	for i, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
				at = append(at, i)
			}
			space = true
			continue
		}
		space = false
		n := b.Len()
		b.WriteRune(foldRune(r))
		for range b.Len() - n {
			at = append(at, i)
		}
	}
	return b.String(), append(at, len(s))
}

// Span is where a quote sits in a text: byte offsets, Start inclusive and End exclusive.
type Span struct{ Start, End int }

// Text is an article's text prepared for finding quotes in it.
type Text struct {
	src    string
	folded string
	at     []int // folded byte -> byte of src
	// words and ids are the text's words and an id for each word Nearest compares, made on its
	// first call.
	words []textWord
	ids   map[string]int32
}

// NewText prepares text for Locate and Nearest.
func NewText(text string) *Text {
	f, at := fold(text)
	return &Text{src: text, folded: f, at: at}
}

// Locate returns where quote first occurs in the text, compared as Fold compares, and whether it
// does. The span covers the text's own characters, from the quote's first to its last.
func (t *Text) Locate(quote string) (Span, bool) {
	q := Fold(quote)
	if q == "" {
		return Span{}, false
	}
	i := strings.Index(t.folded, q)
	if i < 0 {
		return Span{}, false
	}
	end := t.at[i+len(q)-1]
	_, size := utf8.DecodeRuneInString(t.src[end:])
	return Span{t.at[i], end + size}, true
}

// LocateAll returns every span where quote occurs, without overlaps, first to last.
func (t *Text) LocateAll(quote string) []Span {
	q := Fold(quote)
	if q == "" {
		return nil
	}
	var out []Span
	for from := 0; ; {
		i := strings.Index(t.folded[from:], q)
		if i < 0 {
			return out
		}
		i += from
		end := t.at[i+len(q)-1]
		_, size := utf8.DecodeRuneInString(t.src[end:])
		out = append(out, Span{t.at[i], end + size})
		from = i + len(q)
	}
}

// Nearest returns the passage of the text most like quote: the run of as many words as the quote
// has that shares the most words with it (ties go to the earlier run, and a shared word in the
// quote's order counts double), as the text prints it, or "" for an empty text. It takes time in
// proportion to the text's words times the quote's, whatever the quote.
func (t *Text) Nearest(quote string) string {
	t.tokenize()
	if len(t.words) == 0 {
		return ""
	}
	qs := strings.Fields(Fold(quote))
	q := make([]int32, len(qs)) // the quote's words as ids of the text's words, -1 for others
	want := map[int32]int{}
	for i, w := range qs {
		id, ok := t.ids[wordKey(w)]
		if !ok {
			id = -1
		}
		q[i] = id
		if id >= 0 {
			want[id]++
		}
	}
	n := min(max(len(qs), 1), len(t.words))
	have := map[int32]int{}
	shared := 0 // words of the window the quote has, each counted at most as often as the quote has it
	add := func(id int32, d int) {
		if _, ok := want[id]; !ok {
			return
		}
		if d > 0 && have[id] < want[id] {
			shared++
		}
		have[id] += d
		if d < 0 && have[id] < want[id] {
			shared--
		}
	}
	best, bestScore := 0, -1
	for from := 0; from+n <= len(t.words); from++ {
		if from == 0 {
			for _, w := range t.words[:n] {
				add(w.id, 1)
			}
		} else {
			add(t.words[from-1].id, -1)
			add(t.words[from+n-1].id, 1)
		}
		score := shared
		for k := 0; k < n && k < len(q); k++ {
			if q[k] >= 0 && t.words[from+k].id == q[k] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = from, score
		}
	}
	return strings.TrimSpace(t.src[t.words[best].start:t.words[best+n-1].end])
}

// textWord is one word of a text: an id shared by the words Nearest takes for the same, and
// where it is printed.
type textWord struct {
	id         int32
	start, end int // bytes of src
}

// tokenize cuts the text into words once, for Nearest.
func (t *Text) tokenize() {
	if t.ids != nil {
		return
	}
	t.ids = map[string]int32{}
	for i := 0; i < len(t.folded); {
		for i < len(t.folded) && t.folded[i] == ' ' {
			i++
		}
		j := i
		for j < len(t.folded) && t.folded[j] != ' ' {
			j++
		}
		if j > i {
			k := wordKey(t.folded[i:j])
			id, ok := t.ids[k]
			if !ok {
				id = int32(len(t.ids))
				t.ids[k] = id
			}
			t.words = append(t.words, textWord{id, t.at[i], t.at[j]})
		}
		i = j
	}
}

// wordKey is a word as Nearest compares it: lower case, without punctuation around it.
func wordKey(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) }))
}

// checkQuotes reports every quote of the document that its article's text does not hold.
func (p *parser) checkQuotes(doc *Document) {
	t := NewText(doc.Article.Text)
	check := func(what string, quotes []string, lines []int, fallback int) {
		for i, q := range quotes {
			if _, ok := t.Locate(q); ok {
				continue
			}
			line := fallback
			if i < len(lines) {
				line = lines[i]
			}
			near := t.Nearest(q)
			p.report(&Error{File: p.path, Line: line, Nearest: near,
				Msg: fmt.Sprintf("%s: quote %q is not in the article's text; the nearest passage is %q", what, q, near)})
		}
	}
	for _, e := range doc.Entities {
		check("entity "+e.ID, e.Quotes, e.quoteLines, e.Line)
	}
	for _, r := range doc.Relations {
		check("rel "+r.ID, r.Quotes, r.quoteLines, r.Line)
	}
}
