// A minimal client for the public GraphQL API at /query: the explorer uses nothing else, so
// these queries are also a worked example for frontends of their own.

/**
 * GraphQLError carries the API's errors; `code` is the first error's extensions.code
 * (NOT_FOUND, INVALID, ...), when the server gave one.
 */
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLError';
    this.code = errors[0]?.extensions?.code;
  }
}

/**
 * gql posts one operation and returns its data, throwing GraphQLError when the response
 * carries errors and Error when the server cannot be reached.
 */
export async function gql(query, variables = {}, { signal } = {}) {
  let res;
  try {
    res = await fetch('/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new Error(`the server at ${location.host} cannot be reached: ${err.message}`);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`the server answered ${res.status} ${res.statusText} without a GraphQL response`);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors);
  return body.data;
}

export const SEARCH = `query Suggest($text: String!, $asOf: Date) {
  search(text: $text, first: 8, asOf: $asOf) { id name kind aliases country { name } }
}`;

// The centre is asked for by name or alias; "centre" tells which node it is.
export const NEIGHBORHOOD = `query Neighborhood($of: String!, $depth: Int, $asOf: Date) {
  centre: entity(name: $of, asOf: $asOf) { id name }
  neighborhood(of: $of, depth: $depth, limit: 300, asOf: $asOf) {
    nodes { id name kind country { name } }
    edges { id source target kind sourceRole targetRole relationship { id } }
    truncated
  }
}`;

export const ENTITY = `query Entity($name: String!, $asOf: Date) {
  entity(name: $name, asOf: $asOf) {
    id name kind aliases formerNames description
    country { name }
    city { name }
    relationships {
      id relation sourceCount
      participants { role entity { id name } }
      attributes { key value }
      evidence { quote article { title date url } }
    }
  }
}`;

export const PATH = `query Path($from: String!, $to: String!, $asOf: Date) {
  path(from: $from, to: $to, maxHops: 6, asOf: $asOf) {
    length
    hops {
      from { id name kind country { name } }
      to { id name kind country { name } }
      kind
      relationship { id }
      evidence { quote article { title date } }
    }
  }
}`;

export const ARTICLE_DATES = `query ArticleDates { articles { date } }`;
