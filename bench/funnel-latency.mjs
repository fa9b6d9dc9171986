// Latency of the whole funnel (reader excluded) on an existing index, per profile and per stage.
// Usage: npm run build && node bench/funnel-latency.mjs --index <dir> --corpus <corpus.jsonl>
//          [--profiles default,bm25-1000] [--queries 40] [--warmup 40] [--words 4] [--json out.json]
//          [--search-threads N]  (threads scoring shards, this one included; default one per core)
// Queries are the first `--words` words of the titles of sampled corpus lines (seeded), so they
// match the index. `--warmup` other queries go through every profile first (steady state is
// measured; the start-up cost is printed apart). Also reachable as `npm run bench -- --funnel-index <dir> --funnel-corpus <file>`.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { probeLine, speedProbe } from './lib/common.mjs';
import { benchProfile, corpusHead, titleQueries } from './lib/funnel.mjs';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: { type: 'string' },
    profiles: { type: 'string', default: 'default,bm25-30000,bm25-1000' },
    queries: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '40' },
    words: { type: 'string', default: '4' },
    // Threads scoring shards (this one included); default: one per core.
    'search-threads': { type: 'string', default: String(os.availableParallelism()) },
    json: { type: 'string' },
  },
});
if (!args.index || !args.corpus)
  throw new Error('usage: funnel-latency.mjs --index <dir> --corpus <corpus.jsonl>');
const dist = new URL('../dist/', import.meta.url);
const { Engine } = await import(new URL('engine.js', dist).href);
const profileModule = await import(new URL('funnel/profile.js', dist).href);
const { runFunnel } = await import(new URL('funnel/runner.js', dist).href);

const probeBefore = speedProbe();
const n = Number(args.queries);
const warmup = Number(args.warmup);
// Titles from the first 64 MB of the corpus, every step-th line: measured queries, and others
// (half a step further on) to warm up with.
const lines = corpusHead(args.corpus);
const step = Math.max(2, Math.floor(lines.length / (n + warmup)));
const words = Number(args.words);
const queries = titleQueries(lines, { count: n, words, step });
const warmups = titleQueries(lines, { count: warmup, words, step, offset: Math.floor(step / 2) });
const t0 = performance.now();
const engine = await Engine.open(args.index, {
  readOnly: true,
  searchThreads: Number(args['search-threads']),
});
const openMs = performance.now() - t0;
const docs = engine.stats().docs;
console.log(
  `index ${args.index}: ${docs.toLocaleString()} docs, opened in ${(openMs / 1000).toFixed(1)} s; ${engine.searchThreads} search thread(s)`,
);
const pct = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
const profiles = args.profiles.split(',').map((name) => [name, benchProfile(profileModule, name)]);
// Warm-up: other queries through every profile first. The first queries after opening pay for
// compiling the code, for the search threads' first look at their shards and for per-segment
// caches (ids, tie keys, score scratch); that is start-up, reported apart, not the steady state.
const warmMs = [];
for (const q of warmups)
  for (const [, profile] of profiles) warmMs.push((await runFunnel(engine, profile, q, { noRead: true })).ms);
if (warmMs.length > 0)
  console.log(
    `warm-up: ${warmups.length} queries x ${profiles.length} profile(s); the first took ${warmMs[0].toFixed(0)} ms, the first ${Math.min(10, warmMs.length)} ${pct(warmMs.slice(0, 10), 0.5).toFixed(0)} ms p50`,
  );
const results = [];
for (const [name, profile] of profiles) {
  const total = [];
  const perStage = {};
  for (const q of queries) {
    const r = await runFunnel(engine, profile, q, { noRead: true });
    total.push(r.ms);
    for (const t of r.trace) {
      perStage[t.stage] ??= [];
      perStage[t.stage].push(t.ms);
    }
  }
  const row = {
    profile: name,
    funnel: profileModule.describeProfile(profile),
    p50: pct(total, 0.5),
    p95: pct(total, 0.95),
    stages: Object.fromEntries(Object.entries(perStage).map(([s, a]) => [s, pct(a, 0.5)])),
  };
  results.push(row);
  const stages = Object.entries(row.stages)
    .map(([s, v]) => `${s} ${v.toFixed(1)}`)
    .join(', ');
  console.log(
    `${name.padEnd(12)} p50 ${row.p50.toFixed(1)} ms  p95 ${row.p95.toFixed(1)} ms  (${stages})  ${row.funnel}`,
  );
}
await engine.close();
const probeAfter = speedProbe();
console.log(probeLine(probeBefore, probeAfter));
const target = results.find((r) => r.profile === 'default');
if (target && docs >= 1_000_000) {
  console.log(
    `${target.p50 <= 50 ? 'PASS' : 'FAIL'}  whole funnel p50 <= 50 ms on >= 1M passages: ${target.p50.toFixed(1)} ms`,
  );
}
if (args.json)
  fs.writeFileSync(
    args.json,
    JSON.stringify(
      {
        index: args.index,
        docs,
        openMs,
        searchThreads: Number(args['search-threads']),
        probeMs: [probeBefore, probeAfter],
        results,
      },
      null,
      2,
    ),
  );
