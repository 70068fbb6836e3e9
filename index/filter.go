package index

import (
	"slices"
	"strings"

	"github.com/kgraph/telegraph/kg"
	"github.com/kgraph/telegraph/loader"
)

// Filter narrows what a traversal or a list keeps. The zero Filter keeps everything.
type Filter struct {
	EntityKinds   []string   // entity kinds to keep (all when empty)
	RelationKinds []string   // relationship kinds to walk or keep (all when empty)
	Country       *Entity    // keep entities the view places in this country (see View.Countries)
	Unplaced      bool       // with Country, keep also entities the view places in no country
	MinSources    int        // keep relationships stated by at least this many articles in the view
	Since, Until  string     // keep relationships stated by an article dated within, inclusive; "" is open
	Attrs         []AttrCond // keep relationships whose attributes meet every condition
}

// AttrCond is a condition on one attribute of a relationship: every part given must hold.
// Numbers and dates are what loader.ParseNumber and loader.ParseDate read from the value; a
// value that states none fails a numeric or date condition.
type AttrCond struct {
	Key             string
	Equals          *string  // the value, case-insensitively
	Status          string   // the status loader.ParseStatus reads from the value
	Contains        *string  // a part of the value, case-insensitively
	AtLeast, AtMost *float64 // the value's number
	After, Before   string   // the value's date overlaps the days from After to Before (YYYY-MM-DD; "" is open)
}

// holds reports whether the attribute value v (ok false when absent) meets c.
func (c AttrCond) holds(v string, ok bool) bool {
	if !ok {
		return false
	}
	if c.Equals != nil && !strings.EqualFold(v, *c.Equals) {
		return false
	}
	if c.Contains != nil && !strings.Contains(strings.ToLower(v), strings.ToLower(*c.Contains)) {
		return false
	}
	if c.Status != "" {
		if s, ok := loader.ParseStatus(v); !ok || s != c.Status {
			return false
		}
	}
	if c.AtLeast != nil || c.AtMost != nil {
		n, ok := loader.ParseNumber(v)
		if !ok || (c.AtLeast != nil && n.Value < *c.AtLeast) || (c.AtMost != nil && n.Value > *c.AtMost) {
			return false
		}
	}
	if c.After != "" || c.Before != "" {
		d, ok := loader.ParseDate(v)
		if !ok || (c.After != "" && d.End() < c.After) || (c.Before != "" && d.Start() > c.Before) {
			return false
		}
	}
	return true
}

// KeepRelation reports whether the relationship passes f's relationship tests in the view.
func (v *View) KeepRelation(f *Filter, r *Relation) bool {
	if !v.RelationVisible(r) {
		return false
	}
	if f == nil {
		return true
	}
	if len(f.RelationKinds) > 0 && !slices.Contains(f.RelationKinds, r.Kind) {
		return false
	}
	if f.MinSources > 0 && len(v.Sources(r.Sources)) < f.MinSources {
		return false
	}
	for _, c := range f.Attrs {
		val, ok := r.Attrs.Lookup(c.Key)
		if !c.holds(val, ok) {
			return false
		}
	}
	if f.Since == "" && f.Until == "" {
		return true
	}
	for _, a := range v.Sources(r.Sources) {
		if (f.Since == "" || a.Date >= f.Since) && (f.Until == "" || a.Date <= f.Until) {
			return true
		}
	}
	return false
}

// TestsRelations reports whether f has any relationship condition.
func (f *Filter) TestsRelations() bool {
	return f != nil && (len(f.RelationKinds) > 0 || f.MinSources > 0 || f.Since != "" || f.Until != "" || len(f.Attrs) > 0)
}

// KeepsSomeRelation reports whether f keeps at least one of the relationships e takes part in
// in the view; always true when f has no relationship condition.
func (v *View) KeepsSomeRelation(f *Filter, e *Entity) bool {
	if !f.TestsRelations() {
		return true
	}
	for _, r := range e.Relations {
		if v.KeepRelation(f, r) {
			return true
		}
	}
	return false
}

// KeepEntity reports whether the entity passes f's entity tests in the view.
func (v *View) KeepEntity(f *Filter, e *Entity) bool {
	if !v.EntityVisible(e) {
		return false
	}
	if f == nil {
		return true
	}
	if len(f.EntityKinds) > 0 && !slices.Contains(f.EntityKinds, e.Kind) {
		return false
	}
	return f.Country == nil || v.InCountry(e, f.Country) || (f.Unplaced && len(v.Countries(e)) == 0)
}

// Direction says which way a traversal walks a directed edge.
type Direction int

// Directions of a traversal. Edges between parties of a symmetric relationship (partnership,
// competitor) are walked both ways whatever the direction.
const (
	Out  Direction = iota // from a source role to a target role: parent to subsidiary, owner to company
	In                    // from a target role to a source role: subsidiary to parent
	Both                  // either way
)

// symmetric reports whether the edge joins two parties of a relationship (partnership,
// competitor), which has no direction.
func symmetric(ed *Edge) bool {
	k, ok := kg.LookupRelation(ed.Relation.Kind)
	if !ok {
		return false
	}
	a, okA := k.Role(ed.FromRole)
	b, okB := k.Role(ed.ToRole)
	return okA && okB && a.Position == kg.Party && b.Position == kg.Party
}

// step returns the entity the edge leads to from n when walked in direction d, or nil.
func step(ed *Edge, n *Entity, d Direction) *Entity {
	o, fromN := ed.Other(n)
	switch {
	case d == Both || symmetric(ed):
		return o
	case d == Out && fromN, d == In && !fromN:
		return o
	}
	return nil
}
