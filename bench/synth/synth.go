// Package synth generates synthetic industry graphs in the server's vocabulary, of any size, for
// benchmarks: companies placed in countries, and partnerships between them whose degrees follow a
// power law, so that a few hubs (a big operator with thousands of partners) sit among many
// companies with a handful. Every fact is labelled with one of many synthetic articles, as real
// data is. The same size and seed give the same graph.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"github.com/kgraph/telegraph/kg"
)

// Countries is how many countries a graph has; company i is placed in country i mod Countries.
const Countries = 50

// factsPerArticle is how many facts one synthetic article states.
const factsPerArticle = 200

// Graph describes a generated graph.
type Graph struct {
	Quads     int // quads to generate (the result is within a few quads of it)
	Seed      uint64
	Companies int // set by Plan
}

// Plan returns the graph of about n quads: one company per 40 quads, the rest partnerships.
func Plan(n int, seed uint64) Graph {
	return Graph{Quads: n, Seed: seed, Companies: max(n/40, 10)}
}

// CompanyID is the id of company i: company 0 is the biggest hub, company 1 the next and so on.
func CompanyID(i int) string { return "c" + strconv.Itoa(i) }

// CompanyName is the name of company i.
func CompanyName(i int) string { return "Company " + strconv.Itoa(i) }

// CountryID and CountryName name country i.
func CountryID(i int) string { return "country" + strconv.Itoa(i) }

// CountryName is the name of country i.
func CountryName(i int) string { return "Country " + strconv.Itoa(i) }

// CountryOf is the country company i is placed in.
func CountryOf(i int) int { return i % Countries }

// Term is one end of a generated quad: an IRI or a plain string.
type Term struct {
	Value string
	IRI   bool
}

// Emit is called for each quad; label is the IRI of the fact's article.
type Emit func(s, p string, o Term, label string) error

// Generate calls emit for every quad of the graph, articles' own quads included. It also calls
// partner, when not nil, with each partnership's two companies, for baselines.
func (g Graph) Generate(emit Emit, partner func(a, b int)) error {
	r := rand.New(rand.NewPCG(g.Seed, 0x6b67))
	n := 0
	article := -1
	label := ""
	var err error
	// fact emits one quad of the current article, starting a new article when it is full.
	fact := func(s, p string, o Term) {
		if err != nil {
			return
		}
		if n%factsPerArticle == 0 {
			article++
			id := fmt.Sprintf("synth-%07d", article)
			label = kg.ArticleIRI(id)
			date := fmt.Sprintf("20%02d-%02d-%02d", 10+article%15, 1+article%12, 1+article%28)
			for _, q := range [][2]string{{kg.PredKind, kg.ArticleKind}, {kg.PredName, "Synthetic article " + id}, {kg.PredDate, date}} {
				if err = emit(label, q[0], Term{Value: q[1]}, label); err != nil {
					return
				}
				n++
			}
		}
		if err == nil {
			err = emit(s, p, o, label)
			n++
		}
	}
	str := func(v string) Term { return Term{Value: v} }
	iri := func(v string) Term { return Term{Value: v, IRI: true} }
	for c := range Countries {
		e := kg.EntityIRI(CountryID(c))
		fact(e, kg.PredKind, str("Country"))
		fact(e, kg.PredName, str(CountryName(c)))
	}
	for c := range g.Companies {
		e := kg.EntityIRI(CompanyID(c))
		fact(e, kg.PredKind, str("Company"))
		fact(e, kg.PredName, str(CompanyName(c)))
		fact(e, kg.PredQuote, str(CompanyName(c)+" is a company"))
		rel := kg.RelationIRI("loc-" + CompanyID(c))
		fact(rel, kg.PredRelation, str(kg.LocatedIn))
		fact(rel, kg.RoleIRI("entity"), iri(e))
		fact(rel, kg.RoleIRI("place"), iri(kg.EntityIRI(CountryID(CountryOf(c)))))
	}
	// One end of each partnership is drawn from a Zipf law over the companies (the hubs), the
	// other uniformly: degrees then follow a power law with a long tail.
	zipf := rand.NewZipf(r, 1.1, 1, uint64(g.Companies-1))
	for p := 0; n < g.Quads && err == nil; p++ {
		a := int(zipf.Uint64())
		b := r.IntN(g.Companies)
		if a == b {
			continue
		}
		rel := kg.RelationIRI("p" + strconv.Itoa(p))
		fact(rel, kg.PredRelation, str(kg.Partnership))
		fact(rel, kg.RoleIRI("party"), iri(kg.EntityIRI(CompanyID(a))))
		fact(rel, kg.RoleIRI("party"), iri(kg.EntityIRI(CompanyID(b))))
		fact(rel, kg.AttrIRI("kind"), str("agreement"))
		fact(rel, kg.PredQuote, str(CompanyName(a)+" and "+CompanyName(b)+" signed an agreement"))
		if partner != nil {
			partner(a, b)
		}
	}
	return err
}

// WriteNQuads writes the graph as N-Quads.
func (g Graph) WriteNQuads(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	err := g.Generate(func(s, p string, o Term, label string) error {
		bw.WriteString("<" + s + "> <" + p + "> ")
		if o.IRI {
			bw.WriteString("<" + o.Value + ">")
		} else {
			bw.WriteString(strconv.Quote(o.Value))
		}
		_, err := bw.WriteString(" <" + label + "> .\n")
		return err
	}, nil)
	if err != nil {
		return err
	}
	return bw.Flush()
}
