package graph_test

import (
	"testing"
)

// TestStatusVocabulary checks that status attributes are read into the closed vocabulary, and
// that a filter on it keeps every wording of one status.
func TestStatusVocabulary(t *testing.T) {
	c := newClient(t, "../data")
	var resp struct {
		Relationships struct {
			Nodes []struct {
				Key        string
				Attributes []struct {
					Key, Value string
					Status     *string
				}
			}
		}
	}
	c.MustPost(`{ relationships(filter: {attributes: [{key: "status", status: OPERATING}]}, first: 500) { nodes { key attributes { key value status } } } }`, &resp)
	words := map[string]bool{}
	for _, n := range resp.Relationships.Nodes {
		for _, a := range n.Attributes {
			if a.Key != "status" {
				continue
			}
			if a.Status == nil || *a.Status != "OPERATING" {
				t.Errorf("%s: status %q read as %v, want OPERATING", n.Key, a.Value, a.Status)
			}
			words[a.Value] = true
		}
	}
	for _, w := range []string{"operating", "deployed", "launched"} {
		if !words[w] {
			t.Errorf("no relationship with status %q among %v", w, words)
		}
	}
	if words["planned"] {
		t.Error("a planned relationship passed the OPERATING filter")
	}
}
