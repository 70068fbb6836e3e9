package graph_test

import "testing"

// TestHopRoles checks that a hop names the roles its ends play in the fact it walks, whichever
// way the fact's edge is drawn, and that two owners of one stake are one hop apart through it.
func TestHopRoles(t *testing.T) {
	c := newClient(t, "../data")
	type hop struct {
		From, To         named
		FromRole, ToRole string
	}
	var resp struct {
		Up, Owners struct{ Hops []hop }
	}
	c.MustPost(`{ up: path(from: "Huawei Marine", to: "Huawei", relationKinds: ["stake"]) { hops { from { name } to { name } fromRole toRole } }
		owners: path(from: "Huawei", to: "Global Marine Systems") { hops { from { name } to { name } fromRole toRole } } }`, &resp)
	if h := resp.Up.Hops; len(h) != 1 || h[0].FromRole != "company" || h[0].ToRole != "owner" {
		t.Errorf("Huawei Marine to Huawei: got %+v, want one hop from company to owner", h)
	}
	if h := resp.Owners.Hops; len(h) != 1 || h[0].FromRole != "owner" || h[0].ToRole != "owner" {
		t.Errorf("Huawei to Global Marine Systems: got %+v, want one hop from owner to owner", h)
	}
}
