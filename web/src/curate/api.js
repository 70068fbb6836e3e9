// The curation page's calls to the public GraphQL API at /query: reads need nothing, writes the
// bearer token the reader unlocked the page with.

import { GraphQLError, post } from '../graphql.js';

export { GraphQLError };

/** gql posts one operation, with the token when given, and returns its data. */
export function gql(query, variables = {}, token = '') {
  return post(query, variables, { token });
}

/** articleNodeId is the global ID of the article with the key, as the API gives it. */
export function articleNodeId(key) {
  const bytes = new TextEncoder().encode(`kg:article/${key}`);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const WRITE_ACCESS = `mutation WriteAccess { writeAccess }`;

export const VOCABULARY = `query Vocabulary {
  vocabulary { entityKinds relationKinds { name description roles { name position min max } attributes required } }
}`;

export const SEARCH = `query Suggest($text: String!) {
  search(text: $text, first: 8) { id key name kind aliases }
}`;

// The relationships of one entity, with what tells one fact from another.
export const RELATIONSHIPS = `query Relationships($id: ID!, $kinds: [String!]) {
  node(id: $id) { ... on Entity { relationships(relationKinds: $kinds) {
    key relationKind participants { role entity { key name kind } } sources { key title date }
  } } }
}`;

export const ARTICLE = `query Article($id: ID!) {
  node(id: $id) { ... on Article {
    key title date url text
    quoteSpans { quote start end relationships { key } entities { name } }
    relationships(first: 100) { nodes { key relationKind participants { role entity { name } } evidence { quote article { key } } } }
  } }
}`;

// What an article holds, to open it: its text, its spans and the keys of what it states.
export const OPEN_ARTICLE = `query OpenArticle($id: ID!) {
  node(id: $id) { ... on Article {
    iri key title date url notes text
    quoteSpans { quote start end relationships { key } entities { name } }
    entities(first: 500) { nodes { iri } }
    relationships(first: 200) { nodes { iri key attributes { key number unit date { start end } status } } }
  } }
}`;

/**
 * statementsQuery asks for the statements about each of iris (at most 20), aliased r0, r1, ...:
 * the article's own are those labelled with its IRI.
 */
export function statementsQuery(iris) {
  const vars = iris.map((_, i) => `$i${i}: String!`).join(', ');
  const fields = iris.map((_, i) => `r${i}: resource(iri: $i${i}) { out(first: 300) { nodes { predicate object { value } label } } }`).join('\n  ');
  return {
    query: `query Statements(${vars}) {\n  ${fields}\n}`,
    variables: Object.fromEntries(iris.map((iri, i) => [`i${i}`, iri])),
  };
}

export const PUT_ARTICLE = `mutation PutArticle($a: ArticleInput!, $e: [EntityInput!], $r: [RelationshipInput!]) {
  putArticle(article: $a, entities: $e, relationships: $r) {
    article { id key text quoteSpans { quote start end relationships { key } entities { name } } }
    relationships { key attributes { key number unit date { start end } status } }
  }
}`;
