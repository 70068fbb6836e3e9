// The one way the pages talk to the public GraphQL API at /query: they use nothing else, so
// their queries are also a worked example for frontends of their own.

/**
 * GraphQLError carries the API's errors; `code` is the first error's extensions.code
 * (NOT_FOUND, INVALID, ...) when the server gave one, and `problems` its extensions.problems
 * (each refused field of a write, with what to fix).
 */
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLError';
    this.code = errors[0]?.extensions?.code;
    this.problems = errors[0]?.extensions?.problems ?? [];
  }
}

/**
 * post sends one operation and returns its data, throwing GraphQLError when the response
 * carries errors and Error when the server cannot be reached or answers something else. A
 * token goes as a bearer token; a signal can abort the request.
 */
export async function post(query, variables = {}, { token = '', signal } = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch('/query', { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
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
