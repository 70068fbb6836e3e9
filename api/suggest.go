package api

import (
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// suggestingRules are the validation rules that still say "Did you mean …?" with gqlgen's
// SetDisableSuggestion set, which covers only field and value suggestions.
var suggestingRules = map[string]bool{"KnownArgumentNames": true, "KnownTypeNames": true}

// dropSuggestion removes the "Did you mean …?" that ends the message of a validation error of
// suggestingRules, so that no error teaches a client the schema's names that it could not
// see otherwise (with introspection off).
func dropSuggestion(e *gqlerror.Error) {
	if suggestingRules[e.Rule] {
		e.Message, _, _ = strings.Cut(e.Message, " Did you mean ")
	}
}
