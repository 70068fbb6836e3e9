package kg

import (
	"errors"
	"fmt"
)

// Error codes, shown to API users in extensions.code.
const (
	ENotFound = "NOT_FOUND"
	EInvalid  = "INVALID"
	EConflict = "CONFLICT"
	EInternal = "INTERNAL"
	// EUnauthenticated is a write without a valid bearer token.
	EUnauthenticated = "UNAUTHENTICATED"
	// EForbidden is a write to a server that accepts none.
	EForbidden = "FORBIDDEN"
	// EBusy is a request refused because as many like it as the server serves at once are
	// running (exports of the whole graph, subscriptions); the same request later may succeed.
	EBusy = "BUSY"
	// ESlowConsumer ends a subscription whose subscriber fell too far behind the changes.
	ESlowConsumer = "SLOW_CONSUMER"
)

// Error is a domain error: Code says what kind of failure it is and Message is safe to show.
type Error struct {
	Code    string
	Message string
	// Suggestions are what the caller may have meant, for a NOT_FOUND name: the best matches
	// of a fuzzy search, shown in extensions.suggestions.
	Suggestions []string
	// Problems are, for a write refused as INVALID or CONFLICT, its problems one by one with the
	// input field each concerns, shown in extensions.problems; Message holds them all as well.
	Problems []Problem
}

// Problem is one problem of a refused write.
type Problem struct {
	// Field is the input field the problem concerns, as a path (`relationships[0].quotes[1]`),
	// or "input" when it concerns no one field.
	Field string `json:"field"`
	// Message says what is wrong and what to do.
	Message string `json:"message"`
	// Nearest is, for a quote the article's text does not hold, the passage of the text most
	// like it.
	Nearest string `json:"nearest,omitempty"`
}

func (e *Error) Error() string { return e.Message }

// Errorf returns a domain error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it wraps an *Error, and EInternal otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}
