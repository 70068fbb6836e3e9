package kg

import (
	"encoding/base64"
	"strings"
)

// IRI prefixes and predicates. Every fact of an article is stored as a quad whose label is the
// article's IRI.
const (
	EntityPrefix   = "kg:entity/"
	RelationPrefix = "kg:rel/"
	ArticlePrefix  = "kg:article/"
	RolePrefix     = "kg:role/"
	AttrPrefix     = "kg:attr/"

	PredKind     = "kg:kind"     // entity kind ("Company"); "Article" for articles
	PredName     = "kg:name"     // canonical name (an article's title)
	PredAlias    = "kg:alias"    // another name
	PredFormer   = "kg:former"   // a former name
	PredRelation = "kg:relation" // relationship kind of a relationship node
	PredQuote    = "kg:quote"    // verbatim evidence from the quad's article
	PredNote     = "kg:note"     // curation remark
	PredDate     = "kg:date"     // an article's date, YYYY-MM-DD
	PredHeading  = "kg:heading"  // an article's date heading verbatim
	PredURL      = "kg:url"      // an article's URL
	PredText     = "kg:text"     // an article's full text, which holds every quote of its facts

	// ManifestLabel labels the store's own bookkeeping quads (which data file owns which
	// labels), which are not facts and are left out of exports.
	ManifestLabel = "kg:manifest"
)

// EntityIRI returns the IRI of the entity with the local id.
func EntityIRI(id string) string { return EntityPrefix + id }

// RelationIRI returns the IRI of the relationship with the local id.
func RelationIRI(id string) string { return RelationPrefix + id }

// ArticleIRI returns the IRI of the article with the local id.
func ArticleIRI(id string) string { return ArticlePrefix + id }

// RoleIRI returns the predicate linking a relationship node to a participant in role.
func RoleIRI(role string) string { return RolePrefix + role }

// AttrIRI returns the predicate of a literal attribute.
func AttrIRI(key string) string { return AttrPrefix + key }

// LocalID returns the part of iri after its kg prefix, or iri itself for foreign IRIs.
func LocalID(iri string) string {
	for _, p := range []string{EntityPrefix, RelationPrefix, ArticlePrefix} {
		if strings.HasPrefix(iri, p) {
			return iri[len(p):]
		}
	}
	return iri
}

// GlobalID returns the opaque global ID the API gives the node with the IRI.
func GlobalID(iri string) string { return base64.RawURLEncoding.EncodeToString([]byte(iri)) }

// EdgeIRI returns the IRI of a drawn edge: the relationship's id and its two ends' ids.
func EdgeIRI(relation, from, to string) string { return "kg:edge/" + relation + "|" + from + "|" + to }
