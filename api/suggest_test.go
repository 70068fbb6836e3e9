package api_test

import (
	"strings"
	"testing"

	"github.com/kgraph/telegraph/api"
)

// TestNoSuggestions checks that no validation error suggests a name of the schema: a misspelt
// field, argument or type is named as unknown, without "Did you mean".
func TestNoSuggestions(t *testing.T) {
	h := api.GraphQL(loaded(t), discard())
	for _, q := range []string{
		`{ partners(of: "Ericsson", countri: "China") { name } }`,
		`{ partners(of: "Ericsson") { nam } }`,
		`query ($f: Filtr) { partners(of: "Ericsson") { name } }`,
	} {
		r := post(t, h, q, nil)
		if len(r.Errors) == 0 {
			t.Errorf("%s: no error", q)
		}
		for _, e := range r.Errors {
			if strings.Contains(e.Message, "Did you mean") {
				t.Errorf("%s: %q suggests a name", q, e.Message)
			}
		}
	}
}
