// A minimal client for the public GraphQL API at /query: the explorer uses nothing else, so
// these queries are also a worked example for frontends of their own.

import { GraphQLError, post } from '../graphql.js';

export { GraphQLError };

/**
 * gql posts one operation and returns its data, throwing GraphQLError when the response
 * carries errors and Error when the server cannot be reached.
 */
export function gql(query, variables = {}, { signal } = {}) {
  return post(query, variables, { signal });
}

export const SEARCH = `query Suggest($text: String!, $asOf: Date) {
  search(text: $text, first: 8, asOf: $asOf) { id name kind aliases country { name } }
}`;

// The most nodes one neighbourhood draws: the API's default, so that a big neighbourhood comes
// whole up to it and `truncated` says when more were in reach.
export const LIMIT = 500;

// The centre is asked for by name or alias and answers whatever the date, so that its id is
// known even before its first fact; its sources' dates are the steps of the date slider. The
// filter and the date apply on the server: what they leave out is never sent.
export const NEIGHBORHOOD = `query Neighborhood($of: String!, $depth: Int, $limit: Int, $filter: Filter, $asOf: Date) {
  centre: entity(name: $of) { id name sources { date } }
  neighborhood(of: $of, depth: $depth, limit: $limit, filter: $filter, asOf: $asOf) {
    nodes { id name kind country { name } }
    edges { id source target kind: relationKind sourceRole targetRole relationship { id } }
    truncated
  }
}`;

// The facts panel: the relationships the filter keeps (its entity conditions apply to the other
// participants), as of the date.
export const ENTITY = `query Entity($name: String!, $filter: Filter, $asOf: Date) {
  entity(name: $name, asOf: $asOf) {
    id name kind aliases formerNames description
    country { name }
    city { name }
    relationships(filter: $filter) {
      id relation: relationKind sourceCount
      participants { role entity { id name } }
      attributes { key value }
      evidence { quote article { id title date url hasText } }
    }
  }
}`;

export const PATH = `query Path($from: String!, $to: String!, $asOf: Date) {
  path(from: $from, to: $to, maxHops: 6, asOf: $asOf) {
    length
    hops {
      from { id name kind country { name } }
      to { id name kind country { name } }
      kind: relationKind
      relationship { id }
      evidence { quote article { id title date hasText } }
    }
  }
}`;

// The kinds and countries the graph has, whatever is drawn: the filters offer them, and a filter
// that hides a kind asks the server for all the others.
export const VOCABULARY = `query Vocabulary {
  stats { byEntityKind { key } byRelation { key } byCountry { key } }
}`;

/**
 * filterOf is the API's Filter for what the reader hides (`hideRel`, `hideKind`, sets of kinds)
 * and the country chosen, given every kind the graph has (`vocabulary.entityKinds` and
 * `.relationKinds`); null when it keeps everything. The Filter names what to keep, the reader
 * what to hide, so that a kind first met later is drawn.
 */
export function filterOf({ hideRel, hideKind, country }, vocabulary) {
  const f = {};
  if (hideRel.size) f.relationKinds = vocabulary.relationKinds.filter((k) => !hideRel.has(k));
  if (hideKind.size) f.entityKinds = vocabulary.entityKinds.filter((k) => !hideKind.has(k));
  if (country) f.country = country;
  return Object.keys(f).length ? f : null;
}

/** vocabularyOf reads the VOCABULARY answer: kinds and countries, each sorted by name. */
export function vocabularyOf({ stats }) {
  const keys = (counts) => counts.map((c) => c.key).sort((a, b) => a.localeCompare(b));
  return { entityKinds: keys(stats.byEntityKind), relationKinds: keys(stats.byRelation), countries: keys(stats.byCountry) };
}

/**
 * neighborhood fetches the entities within `depth` hops of `of` (a name or alias) that `filter`
 * keeps, as of `asOf` (latest when empty), and `of` itself as `centre` with the dates of the
 * articles that name it. An unknown name throws a GraphQLError with code NOT_FOUND.
 */
export async function neighborhood(of, { depth = 1, filter = null, asOf = '' } = {}) {
  const data = await gql(NEIGHBORHOOD, { of, depth, limit: LIMIT, filter, asOf: asOf || null });
  return { ...data.neighborhood, centre: data.centre };
}
