// Funnel benchmark: indexes each corpus with Funnel and its peers (each in its own child process),
// prints a table and Funnel-vs-peer ratios, and writes everything to bench/out/<timestamp>.json.
// Usage: node bench/run.mjs [--corpus scifact --corpus docs ...] [--max-docs N] [--engines a,b]
//        [--peer-timeout 600s] [--phase-budget 120s] [--ks 10,1000,30000] [--queries 200] [--fresh 200]
//        [--seed 1] [--shards N] [--funnel-bulk] [--no-optimize] [--warmup 20] [--keep]
//        [--funnel-index <dir> --funnel-corpus <corpus.jsonl>]  (whole-funnel latency on a built index,
//        see funnel-latency.mjs; with no --corpus, only that)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { notes, ratios, table, targets, targetsText } from './lib/report.mjs';
import { benchDir, defaultCorpora, prepareWorkload, resolveCorpus } from './lib/workload.mjs';

const PYTHON = process.env.FUNNEL_BENCH_PYTHON ?? '/usr/bin/python3';
const ENGINES = {
  funnel: ['node', 'funnel.mjs'],
  minisearch: ['node', 'minisearch.mjs'],
  orama: ['node', 'orama.mjs'],
  flexsearch: ['node', 'flexsearch.mjs'],
  sqlite: ['node', 'sqlite.mjs'],
  xapian: ['python', 'xapian_peer.py'],
};

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', multiple: true },
    engines: { type: 'string', default: Object.keys(ENGINES).join(',') },
    'max-docs': { type: 'string' },
    'peer-timeout': { type: 'string', default: '600s' },
    'phase-budget': { type: 'string', default: '120s' },
    ks: { type: 'string', default: '10,1000,30000' },
    queries: { type: 'string', default: '200' },
    fresh: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    shards: { type: 'string' },
    warmup: { type: 'string', default: '20' },
    'no-optimize': { type: 'boolean', default: false },
    'funnel-bulk': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'funnel-index': { type: 'string' },
    'funnel-corpus': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(
    fs
      .readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .slice(0, 5)
      .join('\n'),
  );
  process.exit(0);
}

const seconds = (s) => Number(String(s).replace(/s$/, ''));
const engines = args.engines.split(',').map((e) => e.trim());
for (const e of engines)
  if (!ENGINES[e]) throw new Error(`unknown engine ${e}; known: ${Object.keys(ENGINES)}`);
const ks = args.ks.split(',').map(Number);
const maxDocs = args['max-docs'] ? Number(args['max-docs']) : null;
const peerTimeout = seconds(args['peer-timeout']);
if (args['funnel-index']) {
  const { spawnSync } = await import('node:child_process');
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'funnel-latency.mjs');
  const r = spawnSync(
    process.execPath,
    [script, '--index', args['funnel-index'], '--corpus', args['funnel-corpus'] ?? ''],
    { stdio: 'inherit' },
  );
  if (!args.corpus) process.exit(r.status ?? 1);
}
const corpora = (args.corpus ?? defaultCorpora()).flatMap((c) => c.split(','));
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-bench-'));

/** Runs one engine in a child process; merges its JSON lines into one result object. */
function runEngine(engine, job) {
  const [kind, file] = ENGINES[engine];
  const jobFile = path.join(runDir, `${engine}.job.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const script = path.join(benchDir, 'engines', file);
  const [cmd, argv] =
    kind === 'node'
      ? [process.execPath, ['--expose-gc', '--max-old-space-size=20000', script, jobFile]]
      : [PYTHON, [script, jobFile]];
  const result = { queries: {} };
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errTail = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, peerTimeout * 1000);
    const take = (line) => {
      if (!line.trim()) return;
      let o;
      try {
        o = JSON.parse(line);
      } catch {
        return;
      }
      if (o.query) {
        const { key, ...rest } = o.query;
        result.queries[key] = rest;
      } else Object.assign(result, o);
    };
    child.stdout.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop();
      lines.forEach(take);
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      errTail = (errTail + d).slice(-2000);
    });
    child.on('error', (e) => {
      result.fatal = `cannot start ${cmd}: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      take(out);
      result.wallSeconds = (Date.now() - started) / 1000;
      if (timedOut) result.cutOff = `cut off: exceeded peer timeout of ${peerTimeout} s`;
      else if (!result.done && !result.fatal) {
        const msg = errTail.trim().split('\n').slice(-3).join(' | ');
        result.crashed = `crashed (${signal ?? `exit ${code}`}): ${msg}`;
      }
      resolve(result);
    });
  });
}

function ndcg10(top10, queries, qrels) {
  let sum = 0;
  let n = 0;
  top10.forEach((ids, i) => {
    const rel = qrels[queries[i].id];
    if (!rel) return;
    let dcg = 0;
    ids.forEach((id, r) => {
      dcg += (rel[id] ?? 0) / Math.log2(r + 2);
    });
    const ideal = Object.values(rel)
      .sort((a, b) => b - a)
      .slice(0, 10);
    const idcg = ideal.reduce((s, g, r) => s + g / Math.log2(r + 2), 0);
    sum += idcg > 0 ? dcg / idcg : 0;
    n++;
  });
  return n ? sum / n : null;
}

function overlap(a, b) {
  const n = Math.min(a.length, b.length);
  if (!n) return null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const set = new Set(b[i]);
    s += a[i].filter((id) => set.has(id)).length / Math.max(1, Math.min(10, b[i].length));
  }
  return s / n;
}

const report = {
  startedAt: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memBytes: os.totalmem(),
  },
  options: { ...args, engines, ks, maxDocs, peerTimeout, corpora },
  corpora: [],
};
const outDir = path.join(benchDir, 'out');
fs.mkdirSync(outDir, { recursive: true });
const outFile = path.join(outDir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
const text = [];

for (const spec of corpora) {
  const corpus = resolveCorpus(spec);
  console.error(`== preparing workload for ${corpus.name} (${corpus.corpusFile})`);
  const work = prepareWorkload(corpus, {
    maxDocs: maxDocs ?? Infinity,
    seed: Number(args.seed),
    nQueries: Number(args.queries),
    nFresh: Number(args.fresh),
  });
  const cr = {
    name: corpus.name,
    corpusFile: corpus.corpusFile,
    docs: work.docs,
    queries: work.queries.length,
    expandedTerms: work.expanded.map((q) => q.split(' ').length),
    fresh: work.fresh.length,
    results: {},
  };
  report.corpora.push(cr);
  for (const engine of engines) {
    console.error(`== ${corpus.name}: ${engine}`);
    const workDir = path.join(runDir, corpus.name, engine);
    const job = {
      engine,
      corpusFile: corpus.corpusFile,
      maxDocs,
      workloadFile: work.file,
      ks,
      workDir,
      phaseBudget: seconds(args['phase-budget']),
      warmup: Number(args.warmup),
      optimize: !args['no-optimize'],
      shards: args.shards ? Number(args.shards) : undefined,
      funnelBulk: args['funnel-bulk'],
    };
    const r = await runEngine(engine, job);
    const top = r.queries?.['plain@10']?.top10;
    if (top && work.qrels) r.ndcg10 = ndcg10(top, work.queries, work.qrels);
    cr.results[engine] = r;
    if (!args.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
  const xTop = cr.results.xapian?.queries?.['plain@10']?.top10;
  for (const r of Object.values(cr.results)) {
    const top = r.queries?.['plain@10']?.top10;
    if (top && xTop) r.agreeXapian = overlap(top, xTop);
  }
  for (const r of Object.values(cr.results)) for (const q of Object.values(r.queries ?? {})) delete q.top10;
  cr.targets = targets(cr);

  const rawMB = cr.results[engines.find((e) => cr.results[e]?.index)]?.index?.rawBytes / 1e6;
  const terms = cr.expandedTerms;
  const block = [
    '',
    `== ${cr.name}: ${cr.docs.toLocaleString('en-US')} docs, ${rawMB ? rawMB.toFixed(1) : '?'} MB raw text; ` +
      `${cr.queries} queries; expanded queries of ${Math.min(...terms)}-${Math.max(...terms)} terms; ${cr.fresh} fresh docs`,
    '',
    table(cr, engines, ks),
    '',
    'Funnel vs peers:',
    ratios(cr, engines, ks),
    '',
    'Targets:',
    targetsText(cr.targets),
  ];
  const n = notes(cr, engines);
  if (n) block.push('', 'Not measured / partial:', n);
  block.push('', 'Configurations:');
  for (const e of engines) {
    const r = cr.results[e];
    block.push(`  ${e}: ${r.config ?? '(did not start)'}${r.version ? ` [${r.version}]` : ''}`);
  }
  text.push(...block);
  console.log(block.join('\n'));
  cr.reportText = block.join('\n');
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
}

if (!args.keep) fs.rmSync(runDir, { recursive: true, force: true });
fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
console.log(`\nJSON: ${path.relative(process.cwd(), outFile)}`);
