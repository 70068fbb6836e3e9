package index

import (
	"context"
	"slices"
	"sort"

	"github.com/kgraph/telegraph/kg"
)

// PartnerLink says why an organisation is a partner: a partnership it is a party to, or a
// joint venture it co-owns, with the entity's own party (Through) when that is one of its
// subsidiaries or branches.
type PartnerLink struct {
	Of, Partner *Entity
	// Through is the subsidiary or branch of the entity that is the partner's counterpart, or nil
	// when the entity itself is.
	Through *Entity
	// Relation is the partnership, or for a joint venture the partner's stake in it.
	Relation *Relation
	// JointVenture is the joint venture both own, or nil for a partnership.
	JointVenture *Entity
	// Basis is every stored fact the link rests on: the subsidiary facts from the entity down to
	// Through, then the partnership, or the two stakes in the joint venture.
	Basis []*Relation
}

// Inferred reports whether the link is derived from other facts rather than stated as a
// partnership between the entity and the partner.
func (l PartnerLink) Inferred() bool { return l.Through != nil || l.JointVenture != nil }

// Partners returns the organisations linked to e by a partnership (as fellow parties) or by
// co-owning a joint venture, ordered by name. With a country, only partners the view places in it
// (see Countries) are kept.
func (v *View) Partners(e *Entity, country *Entity) []*Entity {
	var out []*Entity
	seen := map[*Entity]bool{}
	for _, l := range v.PartnerLinks(e, &Filter{Country: country}, false) {
		if !seen[l.Partner] {
			seen[l.Partner] = true
			out = append(out, l.Partner)
		}
	}
	return out
}

// PartnerLinks returns every link that makes an organisation a partner of e (see PartnerLink),
// ordered by partner name, direct links first. With withSubsidiaries, partners of e's
// subsidiaries and branches (transitively, up to MaxDepth levels) count too, each link saying
// through which one; e's own group is never its partner. With place's Country, only partners
// the view places in it are kept (and, with its Unplaced, those it places nowhere).
func (v *View) PartnerLinks(e *Entity, place *Filter, withSubsidiaries bool) []PartnerLink {
	group := []*Entity{e}
	chain := map[*Entity][]*Relation{e: nil}
	if withSubsidiaries {
		for i := 0; i < len(group); i++ {
			if len(chain[group[i]]) >= MaxDepth {
				continue
			}
			for _, r := range v.Relations(group[i], kg.Subsidiary) {
				if !r.HasParticipant(group[i], "parent") {
					continue
				}
				for _, s := range r.Role("subsidiary") {
					if _, ok := chain[s]; !ok && v.EntityVisible(s) {
						chain[s] = append(append([]*Relation{}, chain[group[i]]...), r)
						group = append(group, s)
					}
				}
			}
		}
	}
	var out []PartnerLink
	seen := map[[2]*Relation]bool{}
	add := func(p, m *Entity, rel *Relation, jv *Entity, basis ...*Relation) {
		if _, own := chain[p]; own || !kg.IsOrganization(p.Kind) || !v.EntityVisible(p) {
			return
		}
		if place != nil && place.Country != nil && !v.KeepEntity(&Filter{Country: place.Country, Unplaced: place.Unplaced}, p) {
			return
		}
		key := [2]*Relation{rel, nil}
		if len(basis) > 1 {
			key[1] = basis[0]
		}
		if seen[key] {
			return
		}
		seen[key] = true
		l := PartnerLink{Of: e, Partner: p, Relation: rel, JointVenture: jv}
		if m != e {
			l.Through = m
		}
		l.Basis = append(append(l.Basis, chain[m]...), basis...)
		out = append(out, l)
	}
	for _, m := range group {
		for _, r := range v.Relations(m, kg.Partnership) {
			if r.HasParticipant(m, "party") {
				for _, p := range r.Role("party") {
					add(p, m, r, nil, r)
				}
			}
		}
		for _, own := range v.Relations(m, kg.Stake) {
			if !own.HasParticipant(m, "owner") {
				continue
			}
			for _, jv := range own.Role("company") {
				if jv.Kind != "JointVenture" {
					continue
				}
				for _, s := range v.Relations(jv, kg.Stake) {
					if s.HasParticipant(jv, "company") {
						for _, p := range s.Role("owner") {
							add(p, m, s, jv, own, s)
						}
					}
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Partner != b.Partner {
			return entityLess(a.Partner, b.Partner)
		}
		return a.Through == nil && b.Through != nil
	})
	return out
}

// LocatedIn returns the entities a located_in fact places in p or in a place part_of facts put
// inside p, ordered by name.
func (v *View) LocatedIn(p *Entity) []*Entity {
	inside := []*Entity{p}
	seen := map[*Entity]bool{p: true}
	for i := 0; i < len(inside); i++ {
		for _, r := range v.Relations(inside[i], kg.PartOf) {
			if r.HasParticipant(inside[i], "whole") {
				for _, part := range r.Role("part") {
					if !seen[part] {
						seen[part] = true
						inside = append(inside, part)
					}
				}
			}
		}
	}
	var out []*Entity
	found := map[*Entity]bool{}
	for _, place := range inside {
		for _, r := range v.Relations(place, kg.LocatedIn) {
			if !r.HasParticipant(place, "place") {
				continue
			}
			for _, e := range r.Role("entity") {
				if !found[e] {
					found[e] = true
					out = append(out, e)
				}
			}
		}
	}
	sortEntities(out)
	return out
}

// MaxDepth bounds neighborhood and traversal depth.
const MaxDepth = 4

// MaxNeighborhood is the most nodes one neighbourhood returns.
const MaxNeighborhood = 5000

// Subgraph is a set of entities and the drawn edges among them.
type Subgraph struct {
	Nodes     []*Entity
	Edges     []*Edge
	Truncated bool
}

// Neighborhood returns every entity within depth hops of e (one hop is one relationship) and
// every edge among them, breadth first, with at most limit nodes. It walks only relationships
// f keeps and reaches only entities f keeps (e itself always). It stops with ctx's error when
// ctx is done.
func (v *View) Neighborhood(ctx context.Context, e *Entity, depth, limit int, f *Filter) (Subgraph, error) {
	depth = max(0, min(depth, MaxDepth))
	in := map[*Entity]bool{e: true}
	g := Subgraph{Nodes: []*Entity{e}}
	frontier := []*Entity{e}
	pace := newPacer(ctx)
walk:
	for d := 0; d < depth && len(frontier) > 0; d++ {
		var next []*Entity
		for _, n := range frontier {
			if err := pace.step(len(n.Edges)); err != nil {
				return Subgraph{}, err
			}
			for _, ed := range n.Edges {
				o, _ := ed.Other(n)
				if in[o] || !v.KeepRelation(f, ed.Relation) || !v.KeepEntity(f, o) {
					continue
				}
				if len(g.Nodes) >= limit {
					g.Truncated = true
					break walk
				}
				in[o] = true
				g.Nodes = append(g.Nodes, o)
				next = append(next, o)
			}
		}
		frontier = next
	}
	g.Edges = v.edgesAmong(g.Nodes, in, f)
	return g, nil
}

// edgesAmong returns the edges f keeps whose both ends are in the set, in a stable order. Each
// edge with an end that is not a hub is found by walking that end's edges (from its From end when
// both ends walk); the edges between two hubs by looking each pair up, so that a hub's thousands
// of edges are never walked. Each edge is found once.
func (v *View) edgesAmong(nodes []*Entity, in map[*Entity]bool, f *Filter) []*Edge {
	var out []*Edge
	var hubs []*Entity
	for _, n := range nodes {
		if n.byNeighbour != nil {
			hubs = append(hubs, n)
			continue
		}
		for _, ed := range n.Edges {
			o, fromN := ed.Other(n)
			if !in[o] || (!fromN && o.byNeighbour == nil) || !v.KeepRelation(f, ed.Relation) {
				continue
			}
			out = append(out, ed)
		}
	}
	for i, h := range hubs {
		for _, o := range hubs[i+1:] {
			for _, ed := range h.byNeighbour[o] {
				if v.KeepRelation(f, ed.Relation) {
					out = append(out, ed)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return edgeLess(out[i], out[j]) })
	return out
}

// Reach is one entity a traversal reached: at Depth hops, last over Edge from From.
type Reach struct {
	Entity *Entity
	Depth  int
	From   *Entity
	Edge   *Edge
}

// Traverse walks from e along relationships f keeps (typically f.RelationKinds, such as
// subsidiary for a whole group), in direction d, up to depth hops, breadth first, and returns
// every entity reached that f keeps, nearest first and by name within a depth. Entities f does
// not keep are not walked through. For example, all subsidiaries of a group, transitively:
// Traverse(ctx, group, Out, 4, &Filter{RelationKinds: []string{"subsidiary"}}). It stops with
// ctx's error when ctx is done.
func (v *View) Traverse(ctx context.Context, e *Entity, d Direction, depth int, f *Filter) ([]Reach, error) {
	depth = max(0, min(depth, MaxDepth))
	seen := map[*Entity]bool{e: true}
	var out []Reach
	frontier := []*Entity{e}
	pace := newPacer(ctx)
	for level := 1; level <= depth && len(frontier) > 0; level++ {
		var found []Reach
		for _, n := range frontier {
			if err := pace.step(len(n.Edges)); err != nil {
				return nil, err
			}
			for _, ed := range n.Edges {
				o := step(ed, n, d)
				if o == nil || seen[o] || !v.KeepRelation(f, ed.Relation) || !v.KeepEntity(f, o) {
					continue
				}
				seen[o] = true
				found = append(found, Reach{Entity: o, Depth: level, From: n, Edge: ed})
			}
		}
		sort.SliceStable(found, func(i, j int) bool { return entityLess(found[i].Entity, found[j].Entity) })
		frontier = frontier[:0:0]
		for _, r := range found {
			frontier = append(frontier, r.Entity)
		}
		out = append(out, found...)
	}
	return out, nil
}

// MaxHops bounds path searches.
const MaxHops = 8

// Hop is one step of a path: a relationship's edge walked from one entity to the next.
type Hop struct {
	From, To *Entity
	Edge     *Edge
}

// Path returns a shortest chain of relationships from a to b of at most maxHops hops, walking
// only relationships of the kinds in via (all when empty), or nil when there is none. It stops
// with ctx's error when ctx is done.
func (v *View) Path(ctx context.Context, a, b *Entity, maxHops int, via []string) ([]Hop, error) {
	return v.shortest(ctx, a, b, max(0, min(maxHops, MaxHops)), via, nil, nil, nil)
}

// shortest is a breadth-first search from both a and b at once, one level at a time from the
// side whose frontier has fewer edges to walk, that never enters the banned entities nor walks the
// banned hops, nor walks the banned relationships. Hops go through relationships (see
// factHops). The first meeting found is a shortest path: any shorter one would have met at an
// earlier level.
func (v *View) shortest(ctx context.Context, a, b *Entity, maxHops int, via []string, banned map[*Entity]bool, bannedHops map[hopKey]bool, bannedRels map[*Relation]bool) ([]Hop, error) {
	if a == b {
		return []Hop{}, nil
	}
	// fromA[x] is the hop that reached x from a's side (From is nearer a); fromB[x] likewise from
	// b's side (From is nearer b).
	fromA, fromB := map[*Entity]Hop{a: {}}, map[*Entity]Hop{b: {}}
	frontA, frontB := []*Entity{a}, []*Entity{b}
	pace := newPacer(ctx)
	walk := func(front []*Entity, mine, theirs map[*Entity]Hop) (next []*Entity, meet *Entity, err error) {
		for _, n := range front {
			if err := pace.step(len(n.Edges)); err != nil {
				return nil, nil, err
			}
			came := mine[n].Edge
			v.factHops(n, via, func(o *Entity, r *Relation) bool {
				if _, seen := mine[o]; seen || banned[o] || bannedRels[r] {
					return true
				}
				// A relationship is one hop between any two of its participants, never two.
				if (came != nil && came.Relation == r) || (theirs[o].Edge != nil && theirs[o].Edge.Relation == r) {
					return true
				}
				// A banned hop is banned whichever side of the search walks it.
				if bannedHops[hopKey{r, n, o}] || bannedHops[hopKey{r, o, n}] {
					return true
				}
				mine[o] = Hop{From: n, To: o, Edge: hopEdge(r, n, o)}
				if _, ok := theirs[o]; ok {
					meet = o
					return false
				}
				next = append(next, o)
				return true
			})
			if meet != nil {
				return nil, meet, nil
			}
		}
		return next, nil, nil
	}
	for hops := 0; hops < maxHops && len(frontA) > 0 && len(frontB) > 0; hops++ {
		var meet *Entity
		var err error
		if edgeCount(frontA) <= edgeCount(frontB) {
			frontA, meet, err = walk(frontA, fromA, fromB)
		} else {
			frontB, meet, err = walk(frontB, fromB, fromA)
		}
		if err != nil {
			return nil, err
		}
		if meet != nil {
			var path []Hop
			for x := meet; x != a; x = fromA[x].From {
				path = append([]Hop{fromA[x]}, path...)
			}
			for x := meet; x != b; x = fromB[x].From {
				h := fromB[x]
				path = append(path, Hop{From: x, To: h.From, Edge: h.Edge})
			}
			return path, nil
		}
	}
	return nil, nil
}

func edgeCount(front []*Entity) int {
	n := 0
	for _, e := range front {
		n += len(e.Edges)
	}
	return n
}

// MaxPaths bounds how many paths Paths returns.
const MaxPaths = 10

// Paths returns up to k shortest loopless chains of relationships from a to b, each of at
// most maxHops hops, shortest first (Yen's algorithm over breadth-first searches). Two chains
// differ when they walk a different relationship at some hop. It stops with ctx's error when
// ctx is done. See PathsOf for more choices.
func (v *View) Paths(ctx context.Context, a, b *Entity, k, maxHops int, via []string) ([][]Hop, error) {
	return v.PathsOf(ctx, a, b, PathQuery{K: k, MaxHops: maxHops, Via: via})
}

// PathQuery says which chains PathsOf looks for.
type PathQuery struct {
	K, MaxHops int
	// MinHops leaves out chains shorter than it: with 2, the direct relationships between the
	// two ends do not fill the answer, and the chains through others ("who connects them") do.
	MinHops int
	Via     []string
	// ByEntities makes chains differ only when they pass through different entities: the
	// relationships between the same two entities, parallel facts, count as one hop (see
	// Parallel for all of them).
	ByEntities bool
}

// maxPathRounds bounds the rounds of Yen's algorithm PathsOf runs to find chains of MinHops:
// each round is a few breadth-first searches.
const maxPathRounds = 100

// PathsOf returns up to q.K shortest loopless chains from a to b as q says, shortest first.
func (v *View) PathsOf(ctx context.Context, a, b *Entity, q PathQuery) ([][]Hop, error) {
	k, maxHops := max(0, min(q.K, MaxPaths)), max(0, min(q.MaxHops, MaxHops))
	same := sameHops
	if q.ByEntities {
		same = sameEnds
	}
	first, err := v.shortest(ctx, a, b, maxHops, q.Via, nil, nil, nil)
	if err != nil || first == nil || k == 0 {
		return nil, err
	}
	found := [][]Hop{first}
	var cands [][]Hop
	for round := 0; round < maxPathRounds && countLong(found, q.MinHops) < k; round++ {
		last := found[len(found)-1]
		for j := range last {
			spur := last[j].From
			root := last[:j]
			bannedHops := map[hopKey]bool{}
			for _, p := range found {
				if len(p) > j && same(p[:j], root) {
					bannedHops[keyOf(p[j])] = true
					if q.ByEntities {
						for _, ed := range v.Parallel(p[j], nil) {
							bannedHops[hopKey{ed.Relation, p[j].From, p[j].To}] = true
						}
					}
				}
			}
			banned := map[*Entity]bool{}
			bannedRels := map[*Relation]bool{} // a path walks each relationship once
			for _, h := range root {
				banned[h.From] = true
				bannedRels[h.Edge.Relation] = true
			}
			tail, err := v.shortest(ctx, spur, b, maxHops-j, q.Via, banned, bannedHops, bannedRels)
			if err != nil {
				return nil, err
			}
			if tail == nil {
				continue
			}
			p := append(append([]Hop{}, root...), tail...)
			if !containsPath(found, p, same) && !containsPath(cands, p, same) {
				cands = append(cands, p)
			}
		}
		if len(cands) == 0 {
			break
		}
		sort.SliceStable(cands, func(i, j int) bool { return len(cands[i]) < len(cands[j]) })
		found, cands = append(found, cands[0]), cands[1:]
	}
	var out [][]Hop
	for _, p := range found {
		if len(p) >= q.MinHops && len(out) < k {
			out = append(out, p)
		}
	}
	return out, nil
}

// countLong counts the chains of at least min hops.
func countLong(paths [][]Hop, min int) int {
	n := 0
	for _, p := range paths {
		if len(p) >= min {
			n++
		}
	}
	return n
}

// Parallel returns an edge for each relationship the view sees that has both of h's ends as
// participants, of the kinds in via (all when empty), h's own first: the parallel facts a hop
// could have walked (see factHops).
func (v *View) Parallel(h Hop, via []string) []*Edge {
	out := []*Edge{h.Edge}
	near, far := h.From, h.To
	if len(far.Relations) < len(near.Relations) {
		near, far = far, near
	}
	for _, r := range near.Relations {
		if r == h.Edge.Relation || !r.HasParticipant(far) || !v.RelationVisible(r) || (len(via) > 0 && !slices.Contains(via, r.Kind)) {
			continue
		}
		out = append(out, hopEdge(r, h.From, h.To))
	}
	return out
}

// sameEnds reports whether two chains pass through the same entities in the same order.
func sameEnds(a, b []Hop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].From != b[i].From || a[i].To != b[i].To {
			return false
		}
	}
	return true
}

func sameHops(a, b []Hop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if keyOf(a[i]) != keyOf(b[i]) {
			return false
		}
	}
	return true
}

func containsPath(list [][]Hop, p []Hop, same func(a, b []Hop) bool) bool {
	for _, q := range list {
		if same(q, p) {
			return true
		}
	}
	return false
}
