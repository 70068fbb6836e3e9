package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"
)

func TestAlreadyExistsGoesByCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"lib/pq duplicate table", &pq.Error{Code: "42P07"}, true},
		{"pgx unique violation, wrapped", fmt.Errorf("initialise: %w", &pgconn.PgError{Code: "23505"}), true},
		{"another server error", &pq.Error{Code: "42601", Message: "relation already exists"}, false},
		{"a message alone", errors.New(`relation "quads" already exists`), false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := alreadyExists(tc.err); got != tc.want {
				t.Errorf("alreadyExists(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
