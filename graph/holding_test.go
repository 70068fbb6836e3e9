package graph_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestShareholders checks that a stake of several owners gives each its own share where the
// articles give one (the `shares` attribute) and the collective share otherwise.
func TestShareholders(t *testing.T) {
	dir := t.TempDir()
	src := `article a
  title: A
  date: 2017-01-01

entity x Company
  name: X Corp
  quote: q

entity y Company
  name: Y Ltd
  quote: q

entity z Company
  name: Z Inc
  quote: q

entity jv JointVenture
  name: XY Venture
  quote: q

entity m Company
  name: M Co
  quote: q

rel stake stake-x-y-jv
  owner: x, y
  company: jv
  shares: x: 51%; Y Ltd: 49%
  quote: q

rel stake stake-y-z-m
  owner: y, z
  company: m
  share: around 61% (collectively)
  quote: q
`
	if err := os.WriteFile(filepath.Join(dir, "a.kg"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, dir)
	type holding struct {
		Owner           named
		Share           *string
		Number          *float64
		CollectiveShare *string
	}
	var resp struct {
		JV, M struct{ Shareholders []holding }
	}
	c.MustPost(`{ jV: entity(name: "XY Venture") { ... on JointVenture { shareholders { owner { name } share number collectiveShare } } }
		m: entity(name: "M Co") { ... on Company { shareholders { owner { name } share number collectiveShare } } } }`, &resp)
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	got := ""
	for _, h := range append(resp.JV.Shareholders, resp.M.Shareholders...) {
		got += h.Owner.Name + "=" + str(h.Share) + "/" + str(h.CollectiveShare) + "; "
	}
	want := "X Corp=51%/null; Y Ltd=49%/null; Y Ltd=null/around 61% (collectively); Z Inc=null/around 61% (collectively); "
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if n := resp.JV.Shareholders; len(n) != 2 || n[0].Number == nil || *n[0].Number != 51 {
		t.Errorf("X Corp's number: got %+v, want 51", n)
	}
}
