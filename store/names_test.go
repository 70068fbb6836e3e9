package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kgraph/telegraph/kg"
)

// art returns an article file declaring entities, each given as "id Kind name; key: value; …".
func art(id string, entities ...string) string {
	var b strings.Builder
	b.WriteString("article " + id + "\n  title: T\n  date: 2017-05-01\n")
	for _, e := range entities {
		parts := strings.Split(e, ";")
		head := strings.SplitN(strings.TrimSpace(parts[0]), " ", 3)
		b.WriteString("\nentity " + head[0] + " " + head[1] + "\n  name: " + head[2] + "\n  quote: q\n")
		for _, kv := range parts[1:] {
			b.WriteString("  " + strings.TrimSpace(kv) + "\n")
		}
	}
	return b.String()
}

func TestSyncRefusesAliasesOfOtherEntities(t *testing.T) {
	for _, tc := range []struct {
		name   string
		first  map[string]string // synced first
		then   map[string]string // written over the folder, then synced
		failed string            // the file that must fail, "" for none
		want   string
	}{
		{"alias is the name of an entity of an earlier file", nil,
			map[string]string{"a.kg": art("a", "x Company X Corp"), "b.kg": art("b", "y Company Y Ltd; alias: x corp")},
			"b.kg", `y alias "x corp" is the name of x in a.kg`},
		{"alias is the name of a stored entity", map[string]string{"a.kg": art("a", "x Company X Corp")},
			map[string]string{"b.kg": art("b", "y Company Y Ltd; alias: X Corp")},
			"b.kg", `y alias "X Corp" is the name of x (a Company) in a.kg`},
		{"name is the alias of a stored entity", map[string]string{"a.kg": art("a", "x Company X Corp; alias: XC")},
			map[string]string{"b.kg": art("b", "y Company XC")},
			"b.kg", `y name "XC" is an alias of x (a Company) in a.kg`},
		{"alias is the alias of a stored entity", map[string]string{"a.kg": art("a", "x Company X Corp; alias: XC")},
			map[string]string{"b.kg": art("b", "y Company Y Ltd; alias: XC")},
			"b.kg", `an alias of x`},
		{"two entities of one file", nil,
			map[string]string{"a.kg": art("a", "x Company X Corp; alias: XY", "y Company Y Ltd; alias: XY")},
			"a.kg", `y alias "XY" is an alias of x in this article`},
		{"the same entity with its alias in two files", nil,
			map[string]string{"a.kg": art("a", "x Company X Corp; alias: XC"), "b.kg": art("b", "x Company X Corp; alias: XC")},
			"", ""},
		{"a former name that is another entity's name", nil,
			map[string]string{"a.kg": art("a", "x Company X Corp"), "b.kg": art("b", "y Company Y Ltd; former: X Corp")},
			"", ""},
		{"two entities with one canonical name", nil,
			map[string]string{"a.kg": art("a", "x Company Acme"), "b.kg": art("b", "y Company Acme")},
			"", ""},
		{"an alias moved from one entity to another of the same file", map[string]string{"a.kg": art("a", "x Company X Corp; alias: XY", "y Company Y Ltd")},
			map[string]string{"a.kg": art("a", "x Company X Corp", "y Company Y Ltd; alias: XY")},
			"", ""},
		{"an alias moved to a later file in one sync", map[string]string{"a.kg": art("a", "x Company X Corp; alias: XY"), "b.kg": art("b", "y Company Y Ltd")},
			map[string]string{"a.kg": art("a", "x Company X Corp"), "b.kg": art("b", "y Company Y Ltd; alias: XY")},
			"", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each(t, func(t *testing.T, s *Store) {
				dir := t.TempDir()
				for name, src := range tc.first {
					write(t, dir, name, src)
				}
				if len(tc.first) > 0 {
					if err := syncDir(t, s, dir).Err(); err != nil {
						t.Fatalf("first sync: %v", err)
					}
				}
				before := dump(t, s)
				for name, src := range tc.then {
					write(t, dir, name, src)
				}
				err := syncDir(t, s, dir).Err()
				if tc.failed == "" {
					if err != nil {
						t.Fatalf("sync: %v", err)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), tc.failed+":") || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("sync: error %v, want %s to fail with %q", err, tc.failed, tc.want)
				}
				if tc.failed == "b.kg" && len(tc.first) > 0 {
					if after := dump(t, s); after != before {
						t.Errorf("a refused file changed the store")
					}
				}
			})
		})
	}
}

func TestPutRefusesAliasOfAnotherEntity(t *testing.T) {
	ctx := context.Background()
	s := memory(t)
	dir := t.TempDir()
	write(t, dir, "a.kg", art("a", "x Company X Corp"))
	syncDir(t, s, dir)
	_, err := s.Put(ctx, "api:b.kg", []byte(art("b", "y Company Y Ltd; alias: X Corp")))
	var ke *kg.Error
	if !errors.As(err, &ke) || ke.Code != kg.EConflict || !strings.Contains(ke.Message, `alias "X Corp" is the name of x`) {
		t.Fatalf("Put: error %v, want a CONFLICT naming x", err)
	}
	// Written again with the alias on the entity that has the name, the article is accepted.
	if _, err := s.Put(ctx, "api:b.kg", []byte(art("b", "x Company X Corp; alias: Y Ltd"))); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func TestMergeRefusesAnotherKind(t *testing.T) {
	ctx := context.Background()
	s := memory(t)
	dir := t.TempDir()
	write(t, dir, "a.kg", art("a", "nokia Company Nokia", "china Country China", "zte Company ZTE"))
	syncDir(t, s, dir)
	for _, tc := range []struct {
		winner, loser, code, want string
	}{
		{"nokia", "china", kg.EInvalid, "cannot merge China (a Country) into Nokia (a Company)"},
		{"nokia", "nowhere", kg.ENotFound, "nowhere"},
		{"nokia", "nokia", kg.EInvalid, "itself"},
		{"nokia", "zte", "", ""},
	} {
		_, err := s.Merge(ctx, kg.EntityIRI(tc.winner), kg.EntityIRI(tc.loser))
		if got := codeOf(err); got != tc.code || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Merge(%s, %s): error %v (code %q), want code %q mentioning %q", tc.winner, tc.loser, err, got, tc.code, tc.want)
		}
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return kg.ErrorCode(err)
}
