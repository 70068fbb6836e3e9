package kg

// Reference data: facts the graph takes from a reference dataset rather than from an article.
// Each dataset's quads carry its own label under ReferencePrefix, so that every such fact says
// where it comes from, has no article (and so no date: asOf leaves it alone) and no quote.
const (
	// ReferencePrefix starts the label of every reference dataset's quads.
	ReferencePrefix = "kg:reference/"
	// GeoNamesLabel labels the place containment taken from GeoNames (data/reference/).
	GeoNamesLabel = ReferencePrefix + "geonames"
	// ReferenceKind is the kg:kind of a reference dataset's own node, the subject of its name,
	// url, license and attribution.
	ReferenceKind = "Reference"
)
