package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// TestCursorsPastTheEnd checks that a cursor beyond the list is INVALID, not a panic, and that
// `first` at the top of int's range does not overflow the page arithmetic.
func TestCursorsPastTheEnd(t *testing.T) {
	c := newClient(t, "../data")
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

	var total struct{ SearchConnection struct{ TotalCount int } }
	c.MustPost(`{ searchConnection(text: "china") { totalCount } }`, &total)
	n := total.SearchConnection.TotalCount
	if n < 2 {
		t.Fatalf("totalCount = %d, want a list of at least 2", n)
	}
	const q = `query($after: String, $first: Int) { searchConnection(text: "china", first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`

	for _, tc := range []struct {
		name  string
		after string
		first int
		want  string // what the message must say
	}{
		{"largest offset", enc("o:" + strconv.Itoa(math.MaxInt64)), 1, "past the end"},
		{"largest offset, largest first", enc("o:" + strconv.Itoa(math.MaxInt64)), math.MaxInt64, "first must be between 0 and 100"},
		{"largest first from the start", enc("o:0"), math.MaxInt64, "first must be between 0 and 100"},
		{"one past the last item", enc("o:" + strconv.Itoa(n)), 1, "past the end"},
		{"far past the last item", enc("o:" + strconv.Itoa(n+1000)), 1, "past the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp any
			err := c.Post(q, &resp, client.Var("after", tc.after), client.Var("first", tc.first))
			if err == nil {
				t.Fatalf("after %s: no error, response %v", tc.after, resp)
			}
			var list []struct {
				Message    string
				Extensions map[string]any
			}
			if jerr := json.Unmarshal([]byte(err.Error()), &list); jerr != nil || len(list) == 0 {
				t.Fatalf("error %v is not a GraphQL error list", err)
			}
			if got, want := list[0].Extensions["code"], "INVALID"; got != want {
				t.Errorf("code = %v, want %s (message %q)", got, want, list[0].Message)
			}
			if !strings.Contains(list[0].Message, tc.want) {
				t.Errorf("message = %q, want it to say %q", list[0].Message, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name      string
		after     *string
		first     int
		wantNodes int
	}{
		{"the last item's cursor gives an empty last page", ptr(enc("o:" + strconv.Itoa(n-1))), 5, 0},
		{"the largest first from the start", nil, 100, min(n, 100)},
		{"the largest first after the first item", ptr(enc("o:0")), 100, min(n-1, 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp struct {
				SearchConnection struct {
					TotalCount int
					PageInfo   pageInfo
					Nodes      []named
				}
			}
			c.MustPost(q, &resp, client.Var("after", tc.after), client.Var("first", tc.first))
			if got := len(resp.SearchConnection.Nodes); got != tc.wantNodes {
				t.Errorf("got %d nodes, want %d", got, tc.wantNodes)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
