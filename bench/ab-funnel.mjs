// Interleaved A/B of two builds' funnels on one index, in one process: per query, the two engines
// answer one after the other, alternating which goes first, so both see the same machine state
// (this machine switches between two speeds within seconds; runs minutes apart do not compare).
// Prints per profile the median latency of each build, its stages' medians and the ratio B/A.
//
// Usage: node bench/ab-funnel.mjs --a <old checkout> --b <new checkout> --index <dir> --corpus <jsonl>
//          [--profiles default,bm25-30000] [--queries 45] [--words 4]
// A checkout is a folder with `npm run build` done: its dist/ and models/ are used (e.g.
// `git worktree add /tmp/old <rev> && (cd /tmp/old && npm ci && npm run build)`). Queries are the
// first `--words` words of the titles of corpus lines spread over its first 64 MB, as in
// funnel-latency.mjs; the first five of the first round are a warm-up and not counted.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchProfile, corpusHead, titleQueries } from './lib/funnel.mjs';

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    index: { type: 'string' },
    corpus: { type: 'string' },
    profiles: { type: 'string', default: 'default,bm25-30000' },
    queries: { type: 'string', default: '45' },
    words: { type: 'string', default: '4' },
  },
});
if (!args.a || !args.b || !args.index || !args.corpus)
  throw new Error('usage: ab-funnel.mjs --a <checkout> --b <checkout> --index <dir> --corpus <jsonl>');

/** A build's engine, profiles and funnel runner, from its checkout. */
async function load(dir) {
  for (const need of ['dist/engine.js', 'models/ltr.json']) {
    if (!fs.existsSync(path.join(dir, need))) throw new Error(`${dir}: no ${need} (run npm run build there)`);
  }
  const at = (file) => new URL(`file://${path.resolve(dir, 'dist', file)}`).href;
  const { Engine } = await import(at('engine.js'));
  return {
    engine: await Engine.open(args.index, { readOnly: true }),
    profiles: await import(at('funnel/profile.js')),
    runFunnel: (await import(at('funnel/runner.js'))).runFunnel,
  };
}

const builds = { A: await load(args.a), B: await load(args.b) };
const n = Number(args.queries);
const lines = corpusHead(args.corpus);
const step = Math.max(1, Math.floor(lines.length / n));
const queries = titleQueries(lines, { count: n, words: Number(args.words), step });

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const name of args.profiles.split(',')) {
  const profiles = { A: benchProfile(builds.A.profiles, name), B: benchProfile(builds.B.profiles, name) };
  const times = { A: [], B: [] };
  const stages = { A: [], B: [] };
  for (let round = 0; round < 2; round++) {
    for (const [i, q] of queries.entries()) {
      for (const k of (i + round) % 2 ? ['A', 'B'] : ['B', 'A']) {
        const { engine, runFunnel } = builds[k];
        const r = await runFunnel(engine, profiles[k], q, { noRead: true });
        if (round === 0 && i < 5) continue;
        times[k].push(r.ms);
        r.trace.forEach((t, j) => {
          stages[k][j] ??= [];
          stages[k][j].push(t.ms);
        });
      }
    }
  }
  const show = (k) =>
    `p50 ${median(times[k]).toFixed(1)} ms [stages ${stages[k].map((a) => median(a).toFixed(1)).join(' | ')}]`;
  console.log(
    `${name.padEnd(12)} A ${show('A')}  B ${show('B')}  B/A ${(median(times.B) / median(times.A)).toFixed(3)}`,
  );
}
for (const b of Object.values(builds)) await b.engine.close();
