package model

import (
	"strings"

	"github.com/kgraph/telegraph/loader"
)

// Status returns the status a status attribute states, or nil.
func (a Attribute) Status() *Status {
	if !loader.StatusKeys[a.Key] {
		return nil
	}
	s, ok := loader.ParseStatus(a.Value)
	if !ok {
		return nil
	}
	st := Status(strings.ToUpper(strings.ReplaceAll(s, " ", "_")))
	return &st
}

// vocabulary returns the status as loader.Statuses spells it, "" for nil.
func (s *Status) vocabulary() string {
	if s == nil {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(string(*s), "_", " "))
}
