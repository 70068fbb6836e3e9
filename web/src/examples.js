// Saved example queries for the playground. Each is a named operation, so GraphiQL titles its
// tab with the name; variables keep the queries reusable for other entities.

/** @type {{title: string, query: string, variables: string}[]} */
export const examples = [
  {
    title: 'Partners in a country',
    query: `# Organisations linked to an entity by a partnership or a joint venture,
# kept only when a located_in fact places them in the country.
query PartnersInACountry($of: String!, $country: String) {
  partners(of: $of, country: $country) {
    name
    kind
    country { name }
  }
}
`,
    variables: `{ "of": "Ericsson", "country": "China" }`,
  },
  {
    title: 'Path between two entities',
    query: `# A shortest chain of relationships, each hop with the quotes it rests on.
query PathBetween($from: String!, $to: String!) {
  path(from: $from, to: $to, maxHops: 4) {
    length
    hops {
      from { name }
      to { name }
      kind
      evidence { quote article { title date } }
    }
  }
}
`,
    variables: `{ "from": "Nokia", "to": "ZTE" }`,
  },
  {
    title: 'Neighborhood with evidence',
    query: `# Everything one hop from an entity, ready for a graph-drawing library:
# edge source/target are node ids; each edge carries its relationship and evidence.
query NeighborhoodWithEvidence($of: String!, $depth: Int) {
  neighborhood(of: $of, depth: $depth) {
    nodes { id name kind }
    edges {
      source
      target
      kind
      relationship {
        evidence { quote article { title date url } }
      }
    }
    truncated
  }
}
`,
    variables: `{ "of": "Ericsson", "depth": 1 }`,
  },
  {
    title: 'As of a date',
    query: `# asOf keeps only facts from articles published on or before the date:
# the Ericsson articles are dated 2017-07-07, so on the 6th it has no partners yet.
query PartnersAsOf($of: String!) {
  before: partners(of: $of, asOf: "2017-07-06") { name }
  after: partners(of: $of, asOf: "2017-07-07") { name }
}
`,
    variables: `{ "of": "Ericsson" }`,
  },
];
