// Package loader parses data files into validated facts and those facts into quads.
//
// An article file (.kg) is parsed by Parse into a Document; Document.Quads turns it into the quads
// the store keeps, every one labelled with the article's IRI. N-Quads files are read by ReadNQuads.
// The package is pure: it never touches a store.
package loader

import (
	"fmt"
	"strings"
)

// Document is one parsed and validated article file.
type Document struct {
	Path      string
	Article   Article
	Entities  []Entity
	Relations []Relation
}

// Article is the article a file describes.
type Article struct {
	ID, Title, Date, Heading, URL string
	Notes                         []string
	// Text is the article's full text, from its `text:` block: lines kept, their common
	// indentation and trailing spaces dropped. When it is set, every quote of the file must
	// occur in it (see Fold).
	Text string
	Line int
}

// Attr is a literal attribute.
type Attr struct {
	Key, Value string
}

// Binding links a relationship to one participant in one role.
type Binding struct {
	Role, Entity string
}

// Entity is an entity as one article declares it.
type Entity struct {
	ID, Kind, Name string
	Aliases        []string
	Former         []string
	Attrs          []Attr
	Quotes         []string
	Notes          []string
	Line           int

	quoteLines []int // line of each Quotes entry, for error messages
}

// Relation is a relationship as one article states it.
type Relation struct {
	ID, Kind string
	Roles    []Binding
	Attrs    []Attr
	Quotes   []string
	Notes    []string
	Line     int

	roleLines  []int // line of each Roles entry, for error messages
	quoteLines []int // line of each Quotes entry
}

// Error is one problem in a data file, with the line it is on.
type Error struct {
	File string
	Line int
	Msg  string
	// Nearest is, for a quote its article's text does not hold, the passage of the text most
	// like it.
	Nearest string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrorList is every problem found in one or more files.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}
