// Package model holds the GraphQL models. Each wraps an index view and the entity, relationship
// or article it stands for; its methods compute fields lazily from the in-memory index, so
// nested fields never cost a store round trip.
package model

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kgraph/telegraph/index"
	"github.com/kgraph/telegraph/kg"
)

// Node is any object with a global ID.
type Node interface {
	IsNode()
	GetID() string
}

// Date is a calendar date, YYYY-MM-DD.
type Date string

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return kg.Errorf(kg.EInvalid, "a Date is a string YYYY-MM-DD, got %v", v)
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return kg.Errorf(kg.EInvalid, "Date %q is not a calendar date YYYY-MM-DD", s)
	}
	*d = Date(s)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (d Date) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(d))) }

// String returns the date or "" for nil.
func (d *Date) String() string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// GlobalID returns the opaque global ID of the node with the IRI.
func GlobalID(iri string) string { return kg.GlobalID(iri) }

// ParseGlobalID returns the IRI inside a global ID.
func ParseGlobalID(id string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || !strings.HasPrefix(string(b), "kg:") {
		return "", kg.Errorf(kg.EInvalid, "%q is not an ID this server gave out", id)
	}
	return string(b), nil
}

// NodeOf returns the node with the IRI as the view sees it, or nil.
func NodeOf(v *index.View, iri string) Node {
	if e := v.Entity(iri); v.EntityVisible(e) {
		return EntityOf(v, e)
	}
	if r := v.Relation(iri); v.RelationVisible(r) {
		return RelationshipOf(v, r)
	}
	if a := v.Article(iri); v.ArticleVisible(a) {
		return ArticleOf(v, a)
	}
	return nil
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
