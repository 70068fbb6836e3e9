package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestPlacesFromReference checks the place containment data/reference/places.nq takes from
// GeoNames: it places the cities and provinces the articles leave unplaced, says it is reference
// data, stays whatever asOf asks, and lets country filters reach what is placed through it.
func TestPlacesFromReference(t *testing.T) {
	c := newClient(t, "../data")
	type placement struct {
		Country       struct{ Name string }
		FromReference bool
		Basis         []struct {
			Key       string
			Evidence  []struct{ Quote string }
			Reference *struct{ Name, License string }
		}
	}
	var resp struct {
		DC, Zhengzhou, Henan, HongKong struct {
			Country    *struct{ Name string }
			Placements []placement
		}
	}
	c.MustPost(`{
		dc: entity(name: "Washington DC") { country { name } placements { country { name } fromReference basis { key evidence { quote } reference { name license } } } }
		zhengzhou: entity(name: "Zhengzhou") { country { name } placements { country { name } fromReference basis { key evidence { quote } reference { name license } } } }
		henan: entity(name: "Henan", asOf: "2017-05-16") { country { name } placements { country { name } fromReference basis { key evidence { quote } reference { name license } } } }
		hongKong: entity(name: "Hong Kong") { country { name } placements { country { name } } }
	}`, &resp)

	t.Run("Washington DC is in the United States by GeoNames", func(t *testing.T) {
		p := resp.DC.Placements
		if resp.DC.Country == nil || resp.DC.Country.Name != "United States" || len(p) != 1 || !p[0].FromReference {
			t.Fatalf("got %+v, want the United States from reference data", resp.DC)
		}
		b := p[0].Basis
		if len(b) != 1 || b[0].Reference == nil || b[0].Reference.Name != "GeoNames" || b[0].Reference.License != "CC BY 4.0" || len(b[0].Evidence) != 0 {
			t.Errorf("basis %+v: want one GeoNames fact without evidence", b)
		}
	})
	t.Run("Zhengzhou is in China through the article's Henan", func(t *testing.T) {
		p := resp.Zhengzhou.Placements
		if resp.Zhengzhou.Country == nil || resp.Zhengzhou.Country.Name != "China" || len(p) != 1 || !p[0].FromReference || len(p[0].Basis) != 2 {
			t.Fatalf("got %+v, want China through two facts", resp.Zhengzhou)
		}
		if b := p[0].Basis; b[0].Reference != nil || len(b[0].Evidence) == 0 || b[1].Reference == nil {
			t.Errorf("basis %+v: want the article's part_of, then GeoNames'", b)
		}
	})
	t.Run("asOf leaves reference data alone", func(t *testing.T) {
		if resp.Henan.Country == nil || resp.Henan.Country.Name != "China" {
			t.Errorf("Henan as of 2017-05-16: got %+v, want China", resp.Henan)
		}
	})
	t.Run("a reference fact waits for an article to name its places", func(t *testing.T) {
		var r struct {
			Before, After struct{ Nodes []struct{ Key string } }
		}
		q := `relationships(filter: {relationKinds: ["part_of"]}, first: 500, asOf: %q) { nodes { key } }`
		c.MustPost("{ before: "+fmt.Sprintf(q, "2017-06-13")+" after: "+fmt.Sprintf(q, "2017-06-14")+" }", &r)
		has := func(list []struct{ Key string }) bool {
			for _, n := range list {
				if n.Key == "geonames-washington-dc-in-united-states" {
					return true
				}
			}
			return false
		}
		if has(r.Before.Nodes) || !has(r.After.Nodes) {
			t.Errorf("Washington DC's GeoNames fact on 13 June: %v, on 14 June: %v; want it from 14 June, when an article first names Washington DC",
				has(r.Before.Nodes), has(r.After.Nodes))
		}
	})
	t.Run("Hong Kong is not placed in China", func(t *testing.T) {
		if resp.HongKong.Country != nil || len(resp.HongKong.Placements) != 0 {
			t.Errorf("got %+v: GeoNames puts Hong Kong in HK, a country no article declares", resp.HongKong)
		}
	})

	t.Run("country filters reach what is placed through reference data", func(t *testing.T) {
		var r struct {
			Entities struct {
				Nodes    []named
				Unplaced []named
			}
		}
		c.MustPost(`{ entities(filter: {country: "United Arab Emirates", entityKinds: ["DataCenter", "Company"]}) { nodes { name } unplaced { name } } }`, &r)
		if got := strings.Join(names(r.Entities.Nodes), ", "); !strings.Contains(got, "Alibaba Cloud Dubai colocation") {
			t.Errorf("entities in the UAE: got %s, want the Dubai colocation", got)
		}
		if got := strings.Join(names(r.Entities.Unplaced), ", "); !strings.Contains(got, "Emirates Integrated Telecommunications Company") {
			t.Errorf("unplaced: got %s, want du, which no article places", got)
		}
	})

	t.Run("partners the country filter cannot place are listed", func(t *testing.T) {
		var r struct {
			PartnerLinks struct {
				Nodes    []struct{ Partner named }
				Unplaced []named
			}
		}
		c.MustPost(`{ partnerLinks(of: "Ericsson", country: "China") { nodes { partner { name } } unplaced { name } } }`, &r)
		var got []string
		for _, n := range r.PartnerLinks.Nodes {
			got = append(got, n.Partner.Name)
		}
		if strings.Join(got, ", ") != "China Mobile, China Telecom" {
			t.Errorf("partners: got %v", got)
		}
		if u := strings.Join(names(r.PartnerLinks.Unplaced), ", "); u != "Bridge Alliance, China Mobile Research Institute, Global M2M Association" {
			t.Errorf("unplaced: got %s", u)
		}
	})
}
