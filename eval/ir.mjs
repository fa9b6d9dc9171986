#!/usr/bin/env node
// Relevance evaluation on the IR collections in ../shared/data (not a test): indexes each collection,
// runs its queries at k = 1000 and prints nDCG@10, MAP, MRR@10 and recall at each funnel width,
// with trec_eval's conventions (src/eval/METRICS.md). Usage:
//   npm run build && node eval/ir.mjs [--data ../shared/data] [--only scifact,nfcorpus] [--k1 1.2 --b 0.75 --title 2]
//                                     [--language english] [--json out.json]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { iterateCorpus, readQrels, readQueries } from '../dist/eval/beir.js';
import { evaluateRun } from '../dist/eval/evaluate.js';
import { Engine } from '../dist/lib.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(import.meta.dirname, '..', '..', 'shared', 'data') },
    only: { type: 'string' },
    k1: { type: 'string' },
    b: { type: 'string' },
    title: { type: 'string' },
    language: { type: 'string' },
    stopwords: { type: 'string' },
    json: { type: 'string' },
    k: { type: 'string', default: '1000' },
  },
});

const ENGLISH = ['cranfield', 'cisi', 'med', 'adi', 'lisa', 'time', 'cystic-fibrosis', 'scifact', 'nfcorpus'];
const names = args.only
  ? args.only.split(',')
  : fs.readdirSync(args.data).filter((n) => fs.existsSync(path.join(args.data, n, 'qrels.tsv')));
const bm25 = {};
if (args.k1) bm25.k1 = Number(args.k1);
if (args.b) bm25.b = Number(args.b);
if (args.title) bm25.fieldWeights = { title: Number(args.title) };
const k = Number(args.k);
const ks = [10, 100, 117, 1000];

const rows = [];
for (const name of names) {
  const dir = path.join(args.data, name);
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), `funnel-eval-${name}-`));
  const language = args.language ?? (name === 'cmrc2018' ? 'none' : 'english');
  const stopwords = args.stopwords
    ? args.stopwords === 'none'
      ? false
      : fs.readFileSync(args.stopwords, 'utf8').split(/\s+/).filter(Boolean)
    : undefined;
  const engine = await Engine.open(indexDir, { bulk: true, language, bm25, stopwords });
  const t0 = performance.now();
  for await (const doc of iterateCorpus(path.join(dir, 'corpus.jsonl'))) engine.add(doc);
  await engine.commit();
  const indexMs = performance.now() - t0;
  const queries = await readQueries(path.join(dir, 'queries.jsonl'));
  const qrels = await readQrels(path.join(dir, 'qrels.tsv'));
  const run = new Map();
  const times = [];
  for (const [qid, text] of queries) {
    const t = performance.now();
    const res = engine.search(text, { k, stored: false });
    times.push(performance.now() - t);
    run.set(qid, res.hits.map((h) => ({ docId: h.id, score: h.score })));
  }
  await engine.close({ commit: false });
  fs.rmSync(indexDir, { recursive: true, force: true });
  const m = evaluateRun(run, qrels, { ks });
  times.sort((a, b) => a - b);
  rows.push({
    name,
    ndcg10: m.ndcg10,
    map: m.map,
    mrr10: m.mrr10,
    recall: m.recall,
    queries: m.numQueries,
    indexMs: Math.round(indexMs),
    queryP50Ms: times[Math.floor(times.length / 2)],
  });
}

const f = (x) => x.toFixed(3);
console.log(`bm25 ${JSON.stringify(bm25)} k=${k}`);
console.log('collection        nDCG@10   MAP    MRR@10  R@10   R@100  R@117  R@1000  queries  p50 ms');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(17)} ${f(r.ndcg10)}   ${f(r.map)}  ${f(r.mrr10)}   ${f(r.recall[10])}  ${f(r.recall[100])}  ${f(r.recall[117])}  ${f(r.recall[1000])}   ${String(r.queries).padStart(5)}  ${r.queryP50Ms.toFixed(2)}`,
  );
}
const en = rows.filter((r) => ENGLISH.includes(r.name));
if (en.length) {
  const mean = (pick) => en.reduce((s, r) => s + pick(r), 0) / en.length;
  console.log(`${`mean-${en.length}-en`.padEnd(17)} ${f(mean((r) => r.ndcg10))}   ${f(mean((r) => r.map))}  ${f(mean((r) => r.mrr10))}`);
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ bm25, k, rows }, null, 2));
