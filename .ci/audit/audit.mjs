// Runs the graphql-http server audit (the GraphQL over HTTP specification's checks) against
// the server at the URL given as the first argument. Prints every result; exits 1 when a MUST
// check fails, so CI fails. SHOULD and MAY results that fail are printed for the README's list.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://HOST:PORT/query');
  process.exit(2);
}

const results = await auditServer({ url });
let mustFailed = 0;
const counts = { ok: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status]++;

  if (r.status === 'ok') {
    console.log(`ok    ${r.id} ${r.name}`);
    continue;
  }
  if (r.status === 'error') mustFailed++;
  let detail = r.reason;
  if (r.response) {
    try {
      detail += ` (status ${r.response.status}: ${(await r.response.text()).slice(0, 200)})`;
    } catch {
      // The body may have been read by the audit already.
    }
  }
  console.log(`${r.status === "error" ? "FAIL " : "warn "} ${r.id} ${r.name}: ${detail}`);
}
console.log(`audit: ${counts.ok} ok, ${counts.warn} SHOULD/MAY not met, ${counts.error} MUST failed`);
process.exit(mustFailed > 0 ? 1 : 0);
