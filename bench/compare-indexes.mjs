// Are two indexes the same? Same documents (ids, titles, texts, metadata), the same search results
// (ids and scores, so the same postings and statistics) for words sampled from the texts, and the
// same recorded folder state (ingest-*.json: per file size, mtime, hash, passage count).
// Used to check that a folder indexed by one version of `funnel index` equals another's.
// Usage: npm run build && node bench/compare-indexes.mjs <index-a> <index-b> [--queries 200]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { queries: { type: 'string', default: '200' } },
});
if (positionals.length !== 2) {
  console.error('usage: node bench/compare-indexes.mjs <index-a> <index-b> [--queries N]');
  process.exit(2);
}
const { Engine } = await import(new URL('../dist/lib.js', import.meta.url).href);
const [a, b] = await Promise.all(positionals.map((dir) => Engine.open(dir, { readOnly: true })));
const problems = [];
const problem = (msg) => {
  if (problems.length < 20) console.error(`  ${msg}`);
  problems.push(msg);
};

const idsA = a.ids().sort();
const idsB = new Set(b.ids());
if (idsA.length !== idsB.size) problem(`document count: ${idsA.length} vs ${idsB.size}`);
const words = new Set();
for (const [i, id] of idsA.entries()) {
  if (!idsB.has(id)) {
    problem(`${id}: only in ${positionals[0]}`);
    continue;
  }
  const da = a.get(id);
  const db = b.get(id);
  for (const key of ['title', 'text']) if (da[key] !== db[key]) problem(`${id}: ${key} differs`);
  if (JSON.stringify(da.meta) !== JSON.stringify(db.meta))
    problem(`${id}: meta differs: ${JSON.stringify(da.meta)} vs ${JSON.stringify(db.meta)}`);
  if (i % 97 === 0) for (const w of da.text.match(/\p{L}{4,}/gu)?.slice(0, 3) ?? []) words.add(w);
}
for (const id of idsB) if (!a.get(id)) problem(`${id}: only in ${positionals[1]}`);

const queries = [...words].slice(0, Number(args.queries));
for (const q of queries) {
  const ha = a.search(q, { k: 50 }).hits;
  const hb = b.search(q, { k: 50 }).hits;
  const row = (h) => `${h.id} ${h.score.toFixed(6)}`;
  if (ha.map(row).join('\n') !== hb.map(row).join('\n')) problem(`query "${q}": hits differ`);
}

const state = (dir) => {
  const f = fs.readdirSync(dir).find((n) => /^ingest-.*\.json$/.test(n));
  return f ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).files : null;
};
const sa = state(positionals[0]);
const sb = state(positionals[1]);
if (sa && sb) {
  const keys = new Set([...Object.keys(sa), ...Object.keys(sb)]);
  for (const k of keys) if (JSON.stringify(sa[k]) !== JSON.stringify(sb[k])) problem(`state of ${k} differs`);
} else if (sa || sb) problem('folder state recorded in one index only');

await Promise.all([a.close(), b.close()]);
console.log(
  JSON.stringify({
    documents: idsA.length,
    queries: queries.length,
    stateFiles: sa ? Object.keys(sa).length : 0,
    differences: problems.length,
  }),
);
process.exit(problems.length > 0 ? 1 : 0);
