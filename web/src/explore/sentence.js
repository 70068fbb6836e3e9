// Fact sentences: a relationship written out from its participants' roles, so that the panel of
// one entity says who did what ("China Telecom and Ericsson own China Telecom IoT Open
// Platform") rather than listing the others under the viewed entity's name. The roles are the
// dataset's vocabulary (data/README.md, "Relationships"); a relation or role it gains later is
// still shown, as "role: names".

// Each template is a list of pieces: a role (the entities that hold it, joined "A, B and C"),
// a verb as [singular, plural] agreeing with the first role, or plain text. An optional piece
// ({ opt: [...] }) is left out when its role has nobody.
const role = (r) => ({ role: r });
const verb = (one, many) => ({ verb: [one, many] });
const opt = (...pieces) => ({ opt: pieces });

const templates = {
  partnership: [role('party'), verb(' is a partner', ' are partners'), opt(' on ', role('about'))],
  stake: [role('owner'), verb(' holds a stake in ', ' hold stakes in '), role('company')],
  subsidiary: [role('parent'), verb(' has as subsidiary ', ' have as subsidiary '), role('subsidiary')],
  supply: [role('supplier'), verb(' supplies ', ' supply '), role('customer'), opt(' with ', role('object'))],
  customer: [role('customer'), verb(' is a customer of ', ' are customers of '), role('provider'), opt(' for ', role('service'))],
  acquisition: [role('acquirer'), verb(' acquires ', ' acquire '), role('target'), opt(' from ', role('seller'))],
  build: [role('builder'), verb(' builds ', ' build '), role('asset'), opt(' for ', role('client'))],
  funding: [role('funder'), verb(' funds ', ' fund '), role('asset')],
  landing: [role('cable'), verb(' lands in ', ' land in '), role('place')],
  operates: [role('operator'), verb(' operates ', ' operate '), role('asset')],
  located_in: [role('entity'), verb(' is located in ', ' are located in '), role('place')],
  part_of: [role('part'), verb(' is part of ', ' are part of '), role('whole')],
  owns: [role('owner'), verb(' owns ', ' own '), role('product')],
  member: [role('member'), verb(' is a member of ', ' are members of '), role('group')],
  participates: [role('participant'), verb(' takes part in ', ' take part in '), role('program')],
  position: [role('person'), verb(' holds a position at ', ' hold positions at '), role('organization')],
  competitor: [role('party'), verb(' competes', ' are competitors')],
  ranking: [role('subject'), verb(' is ranked', ' are ranked'), opt(' by ', role('publisher'))],
  metric: [role('subject'), verb(' has a reported figure', ' have reported figures'), opt(' from ', role('publisher'))],
  access: [role('provider'), verb(' gives access to ', ' give access to '), role('cloud'), opt(' via ', role('via')), opt(' at ', role('site'))],
  uses: [role('user'), verb(' uses ', ' use '), role('product')],
  related: [role('from'), verb(' is related to ', ' are related to '), role('to')],
};

/**
 * An entity in a sentence: `self` marks the entity whose panel shows the sentence.
 * @typedef {{ entity: { id: string, name: string }, self: boolean }} EntityPart
 */

/**
 * sentence writes a relationship as a list of parts, strings and EntityParts, in reading order.
 * `relation` and `participants` ({ role, entity: { id, name } }) are the API's; `selfId` is the
 * viewed entity's id, which comes first among the holders of its role. Roles the template does
 * not name follow as "; role: names".
 *
 * For example, sentence({ relation: 'owns', participants: [owner China Telecom, owner Ericsson,
 * product P] }, ericssonId) reads "Ericsson and China Telecom own P".
 * @returns {(string|EntityPart)[]}
 */
export function sentence({ relation, participants }, selfId) {
  const byRole = new Map();
  for (const p of participants) {
    if (!byRole.has(p.role)) byRole.set(p.role, []);
    byRole.get(p.role).push({ entity: p.entity, self: p.entity.id === selfId });
  }
  for (const holders of byRole.values()) holders.sort((a, b) => Number(b.self) - Number(a.self));

  const used = new Set();
  const parts = [];
  let count = 0; // holders of the template's first role, for the verb
  const render = (pieces, out) => {
    for (const piece of pieces) {
      if (typeof piece === 'string') out.push(piece);
      else if (piece.role) {
        const holders = byRole.get(piece.role) ?? [];
        used.add(piece.role);
        if (!count) count = holders.length;
        out.push(...joinNames(holders));
      } else if (piece.verb) out.push(count > 1 ? piece.verb[1] : piece.verb[0]);
      else if (piece.opt) {
        const roles = piece.opt.filter((x) => x.role).map((x) => x.role);
        if (roles.every((r) => byRole.get(r)?.length)) render(piece.opt, out);
      }
    }
  };
  const template = templates[relation];
  if (template) render(template, parts);
  else parts.push(relation);
  for (const [r, holders] of byRole) {
    if (used.has(r)) continue;
    parts.push(parts.length ? `; ${r}: ` : `${r}: `, ...joinNames(holders));
  }
  return mergeText(parts);
}

// joinNames lists entities as "A", "A and B" or "A, B and C".
function joinNames(holders) {
  const out = [];
  holders.forEach((h, i) => {
    if (i) out.push(i === holders.length - 1 ? ' and ' : ', ');
    out.push(h);
  });
  return out;
}

// mergeText joins neighbouring strings, so a sentence is as few text nodes as it can be.
function mergeText(parts) {
  const out = [];
  for (const p of parts) {
    if (typeof p === 'string' && typeof out.at(-1) === 'string') out[out.length - 1] += p;
    else if (p !== '') out.push(p);
  }
  return out;
}

/** plain is a sentence as text, for tests and titles. */
export const plain = (parts) => parts.map((p) => (typeof p === 'string' ? p : p.entity.name)).join('');
