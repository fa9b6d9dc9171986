#!/usr/bin/env node
// Funnel evaluation on ../shared/data (not a test): per collection, nDCG@10 and recall at the funnel
// widths after each stage, for several profiles side by side, with trec_eval's conventions.
// hotpotqa also reports the share of questions with both supporting paragraphs in the final 117
// and in the top 10. The ranker model is the repository's (models/ltr.json; see `funnel train` for
// the leave-one-collection-out numbers). Usage:
//   npm run build && node eval/funnel.mjs [--data ../shared/data] [--only scifact,hotpotqa]
//       [--profiles bm25,prf,expand,expand+prf,default,hop,prf+hop] [--options '{"feedbackDocs":5}'] [--json out.json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readQrels, readQueries } from '../dist/eval/beir.js';
import { evaluateRun } from '../dist/eval/evaluate.js';
import { validateProfile } from '../dist/funnel/profile.js';
import { runFunnel } from '../dist/funnel/runner.js';
import { collectionIndex } from '../dist/funnel/train-data.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(import.meta.dirname, '..', '..', 'shared', 'data') },
    only: { type: 'string' },
    profiles: { type: 'string', default: 'bm25,prf,expand,expand+prf,default' },
    work: { type: 'string', default: path.join(os.tmpdir(), 'funnel-train') },
    json: { type: 'string' },
    options: { type: 'string' },
  },
});
// --options '{"feedbackWeight":0.7}': stage options for every retrieve stage (to compare settings).
const stageOptions = args.options ? JSON.parse(args.options) : {};

const retrieve = (model, keep = 1000) => ({ kind: 'retrieve', model, keep, options: stageOptions });
const PROFILES = {
  bm25: [retrieve('bm25')],
  prf: [retrieve('bm25+prf')],
  expand: [retrieve('bm25+expand')],
  'expand+prf': [retrieve('bm25+expand+prf')],
  default: [retrieve('bm25+prf', 30_000), { kind: 'rerank', model: 'ltr', keep: 117 }],
  hop: [retrieve('bm25+hop')],
  'prf+hop': [retrieve('bm25+prf+hop')],
};
const ENGLISH = ['cranfield', 'cisi', 'med', 'adi', 'lisa', 'time', 'cystic-fibrosis', 'scifact', 'nfcorpus'];
const names = args.only ? args.only.split(',') : [...ENGLISH, 'hotpotqa'];
const profiles = args.profiles.split(',').map((p) => validateProfile({ stages: PROFILES[p] }, p));

const rows = [];
for (const name of names) {
  const dir = path.join(args.data, name);
  const engine = await collectionIndex(dir, args.work);
  const queries = await readQueries(dir);
  const qrels = await readQrels(dir);
  const row = { collection: name };
  for (const profile of profiles) {
    const run = new Map();
    let both117 = 0;
    let both10 = 0;
    let judged = 0;
    const t0 = performance.now();
    for (const [qid, text] of queries) {
      if (!qrels.has(qid)) continue;
      const r = await runFunnel(engine, profile, text, { noRead: true });
      run.set(qid, r.hits.map((h, i) => ({ docId: h.id, score: r.hits.length - i })));
      const rel = [...qrels.get(qid)].filter(([, g]) => g > 0).map(([d]) => d);
      const at = (n) => rel.every((d) => r.hits.slice(0, n).some((h) => h.id === d));
      judged++;
      if (at(117)) both117++;
      if (at(10)) both10++;
    }
    const ms = (performance.now() - t0) / Math.max(1, judged);
    const m = evaluateRun(run, qrels, { ks: [10, 117, 1000] });
    row[profile.name] = {
      ndcg10: m.ndcg10,
      recall117: m.recall[117],
      recall1000: m.recall[1000],
      msPerQuery: ms,
      ...(name === 'hotpotqa' ? { both117: both117 / judged, both10: both10 / judged } : {}),
    };
  }
  await engine.close();
  rows.push(row);
  const cells = profiles.map((p) => {
    const c = row[p.name];
    const extra = c.both117 !== undefined ? ` both@117 ${c.both117.toFixed(3)} both@10 ${c.both10.toFixed(3)}` : '';
    return `${p.name} ${c.ndcg10.toFixed(3)}/${c.recall117.toFixed(3)}${extra}`;
  });
  console.log(`${name.padEnd(16)} ${cells.join('  ')}`);
}
const english = rows.filter((r) => ENGLISH.includes(r.collection));
if (english.length > 0) {
  const mean = profiles.map((p) => {
    const avg = (f) => english.reduce((s, r) => s + f(r[p.name]), 0) / english.length;
    return `${p.name} ${avg((c) => c.ndcg10).toFixed(3)}/${avg((c) => c.recall117).toFixed(3)}`;
  });
  console.log(`${`mean of ${english.length}`.padEnd(16)} ${mean.join('  ')}   (nDCG@10 / recall@117)`);
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify(rows, null, 2));
