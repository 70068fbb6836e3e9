// Runs the graphql-http server audit (the GraphQL over HTTP specification's checks) against
// the server whose base URL is the first argument, once its /healthz answers. Prints every
// result; exits 1 when a MUST check fails, so CI fails. SHOULD and MAY results that fail are
// printed too: the README lists them with the reason.
import { auditServer } from 'graphql-http';

const base = process.argv[2];
if (!base) {
  console.error('usage: node audit.mjs http://HOST:PORT');
  process.exit(2);
}
const url = `${base}/query`;

const deadline = Date.now() + 60_000;
for (;;) {
  try {
    const res = await fetch(`${base}/healthz`);
    if (res.ok) break;
  } catch {
    // Not listening yet.
  }
  if (Date.now() > deadline) {
    console.error(`${base}/healthz did not answer within 60s`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const results = await auditServer({ url });
let mustFailed = 0;
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
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
  const tag = { error: 'FAIL ', warn: 'warn ', notice: 'note ' }[r.status];
  console.log(`${tag} ${r.id} ${r.name}: ${detail}`);
}
console.log(
  `audit: ${counts.ok} ok, ${counts.error} MUST failed, ${counts.warn} SHOULD not met, ${counts.notice} MAY not taken`,
);
process.exit(mustFailed > 0 ? 1 : 0);
