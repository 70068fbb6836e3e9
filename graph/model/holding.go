package model

import (
	"sort"
	"strings"

	"github.com/kgraph/telegraph/index"
)

// Holding is one owner's part of a stake.
type Holding struct {
	S     *Stake
	O     *index.Entity
	share string // the owner's own share as stated, "" when none is
}

func (h *Holding) Owner() Entity   { return EntityOf(h.S.V, h.O) }
func (h *Holding) Company() Entity { return h.S.Company() }
func (h *Holding) Stake() *Stake   { return h.S }
func (h *Holding) Share() *string  { return ptr(h.share) }

// Number returns the first quantity the owner's share states, or nil.
func (h *Holding) Number() *float64 { return Attribute{Key: "share", Value: h.share}.Number() }

// Unit returns the unit of Number, or nil.
func (h *Holding) Unit() *string { return Attribute{Key: "share", Value: h.share}.Unit() }

// CollectiveShare returns the share of a stake of several owners as stated, which they hold
// together, or nil.
func (h *Holding) CollectiveShare() *string {
	if len(h.S.R.Role("owner")) < 2 {
		return nil
	}
	return h.S.attr("share")
}

// Holdings returns one holding per owner, in the order of Owners: with one owner, the stake's
// share is its own; with several, each owner's share is its entry of the `shares` attribute
// ("nokia: 50% plus one share; china-huaxin: the remainder", keyed by owner id or name), none
// when the articles give only what the owners hold together.
func (s *Stake) Holdings() []*Holding {
	owners := s.R.Role("owner")
	per := ownerShares(text(s.attr("shares")))
	var out []*Holding
	for _, o := range owners {
		if !s.V.EntityVisible(o) {
			continue
		}
		h := &Holding{S: s, O: o}
		switch {
		case len(owners) == 1:
			h.share = text(s.attr("share"))
		case per[o.ID] != "":
			h.share = per[o.ID]
		default:
			h.share = per[index.Normalize(o.Name)]
		}
		out = append(out, h)
	}
	return out
}

// ownerShares reads a `shares` attribute: entries "owner: share" separated by semicolons, keyed
// by the owner's id as written and by its normalized form (for a name).
func ownerShares(v string) map[string]string {
	out := map[string]string{}
	for _, entry := range strings.Split(v, ";") {
		k, share, ok := strings.Cut(entry, ":")
		if !ok || strings.TrimSpace(share) == "" {
			continue
		}
		k, share = strings.TrimSpace(k), strings.TrimSpace(share)
		out[k] = share
		out[index.Normalize(k)] = share
	}
	return out
}

// shareholders returns the holdings of the stakes in the entity that f keeps, by owner name.
func (b Base) shareholders(filter *Filter) ([]*Holding, error) {
	stakes, err := b.stakes(filter, "company")
	if err != nil {
		return nil, err
	}
	var out []*Holding
	for _, s := range stakes {
		out = append(out, s.Holdings()...)
	}
	sortHoldings(out)
	return out, nil
}

func sortHoldings(list []*Holding) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if na, nb := strings.ToLower(a.O.Name), strings.ToLower(b.O.Name); na != nb {
			return na < nb
		}
		return a.S.R.ID < b.S.R.ID
	})
}

// text returns the string p points to, "" for nil.
func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Shareholders returns each owner of a stake in the company with its own share.
func (c *Company) Shareholders(filter *Filter) ([]*Holding, error) { return c.shareholders(filter) }

// Shareholders returns each owner of a stake in the joint venture with its own share.
func (j *JointVenture) Shareholders(filter *Filter) ([]*Holding, error) {
	return j.shareholders(filter)
}
