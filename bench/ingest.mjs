// Folder ingestion: throughput, unchanged re-run and watch latency, through the real CLI.
// Usage: npm run build && node bench/ingest.mjs [--corpus /work/scale/docs-corpus.jsonl]
//          [--tree /tmp/funnel-docs-tree] [--max-docs N] [--rerun-files 10000] [--edits 50]
//          [--only throughput,rerun,watch] [--json out.json]
//
// The corpus (JSONL, {_id, title, text}) is written once as a folder of .txt files (title, a
// blank line, the text; folders from the ids' paths) under --tree; later runs reuse it.
//   (a) throughput: `funnel index <tree>` into a fresh index; MB/s = bytes of the files / wall time
//       of the process (start-up, walk, read, parse, passages, index, commit).
//   (b) unchanged re-run: the first --rerun-files files in a tree of their own, indexed once, then
//       `funnel index` again with nothing changed: wall time of the second process.
//   (c) watch latency: `funnel watch` on that tree; each of --edits edits rewrites one file with a
//       new word; latency = from the write to the watcher's JSON line for the committed batch
//       (committed = searchable by any reader, which replays the WAL); each word is then checked
//       with a read-only search.
// Targets (issue 4): (a) >= 20 MB/s on 2 cores, (b) < 2 s, (c) p99 < 1 s.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { probeLine, speedProbe } from './lib/common.mjs';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: process.env.FUNNEL_DOCS_CORPUS ?? '/work/scale/docs-corpus.jsonl' },
    tree: { type: 'string', default: path.join(os.tmpdir(), 'funnel-docs-tree') },
    'max-docs': { type: 'string' },
    'rerun-files': { type: 'string', default: '10000' },
    edits: { type: 'string', default: '50' },
    only: { type: 'string', default: 'throughput,rerun,watch' },
    json: { type: 'string' },
  },
});
const BIN = new URL('../bin/funnel.js', import.meta.url).pathname;
const { Engine } = await import(new URL('../dist/lib.js', import.meta.url).href);
const only = new Set(args.only.split(','));
const results = {
  load: os.loadavg().map((x) => Number(x.toFixed(2))),
  cpus: os.cpus().length,
  probeMs: [speedProbe()],
};

/** A document id → a relative file path: its path part, made safe, with `.txt`. */
function fileFor(id, taken) {
  const clean = id
    .replace(/^[^:]*:/, (m) => `${m.slice(0, -1)}/`)
    .split('/')
    .filter((p) => p && p !== '.' && p !== '..')
    .map((p) => p.replace(/[^\w.+-]/g, '_').slice(0, 100))
    .join('/');
  let rel = `${clean || 'doc'}.txt`;
  for (let k = 2; taken.has(rel.toLowerCase()); k++) rel = `${clean}~${k}.txt`;
  taken.add(rel.toLowerCase());
  return rel;
}

/** Writes the corpus as files under `dir` (once); returns { files, bytes }. */
async function materialise(dir, maxDocs) {
  const marker = path.join(dir, '.materialised.json');
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const taken = new Set();
  const dirs = new Set();
  let files = 0;
  let bytes = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(args.corpus), crlfDelay: Infinity });
  for await (const line of lines) {
    if (maxDocs !== undefined && files >= maxDocs) break;
    if (!line.trim()) continue;
    const doc = JSON.parse(line);
    const rel = fileFor(String(doc._id), taken);
    const full = path.join(dir, rel);
    const parent = path.dirname(full);
    if (!dirs.has(parent)) {
      try {
        fs.mkdirSync(parent, { recursive: true });
      } catch {
        continue; // a path that is a file elsewhere: skip this document
      }
      dirs.add(parent);
    }
    const body = `${doc.title ?? ''}\n\n${doc.text ?? ''}\n`;
    try {
      fs.writeFileSync(full, body);
    } catch {
      continue;
    }
    files++;
    bytes += Buffer.byteLength(body);
  }
  const info = { files, bytes };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

function runCli(argv) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0 && r.status !== 3)
    throw new Error(`funnel ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { wall, summary: JSON.parse(r.stdout), status: r.status };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-bench-ingest-'));
const maxDocs = args['max-docs'] ? Number(args['max-docs']) : undefined;

if (only.has('throughput')) {
  const t0 = performance.now();
  const tree = await materialise(args.tree, maxDocs);
  console.error(
    `tree ${args.tree}: ${tree.files} files, ${(tree.bytes / 1e6).toFixed(1)} MB (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const idx = path.join(tmp, 'idx-all');
  const r = runCli(['index', args.tree, '--index', idx, '--json']);
  const s = r.summary;
  results.throughput = {
    files: s.files,
    indexed: s.indexed,
    passages: s.passages,
    mb: Number((s.bytes / 1e6).toFixed(1)),
    wallSeconds: Number(r.wall.toFixed(2)),
    mbPerSecond: Number((s.bytes / 1e6 / r.wall).toFixed(2)),
    skipped: s.skipped.length,
    failed: s.failed.length,
    target: '>= 20 MB/s',
  };
  console.log('throughput', results.throughput);
  fs.rmSync(idx, { recursive: true, force: true });
}

const small = `${args.tree}-${args['rerun-files']}`;
const smallIdx = path.join(tmp, 'idx-small');
if (only.has('rerun') || only.has('watch')) {
  await materialise(small, Number(args['rerun-files']));
  const first = runCli(['index', small, '--index', smallIdx, '--json']);
  console.error(`indexed ${first.summary.files} files in ${first.wall.toFixed(1)} s`);
}

if (only.has('rerun')) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(runCli(['index', small, '--index', smallIdx, '--json']));
  const best = runs.reduce((a, b) => (a.wall < b.wall ? a : b));
  results.rerun = {
    files: best.summary.files,
    unchanged: best.summary.unchanged,
    indexed: best.summary.indexed,
    wallSeconds: runs.map((r) => Number(r.wall.toFixed(2))),
    inProcessSeconds: runs.map((r) => r.summary.seconds),
    target: '< 2 s',
  };
  console.log('rerun', results.rerun);
}

if (only.has('watch')) {
  const edits = Number(args.edits);
  const child = spawn(process.execPath, [BIN, 'watch', small, '--index', smallIdx, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiting = new Map(); // rel path → resolve(time the committed line arrived)
  let buffered = '';
  let ready = false;
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{"watching"')) ready = true;
      if (!line.startsWith('{"at"')) continue;
      const u = JSON.parse(line);
      const now = performance.now();
      for (const p of u.paths) waiting.get(p)?.(now);
    }
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // --json prints the first pass's summary, then {"watching": ...} once changes are watched.
  const startBy = Date.now() + 300_000;
  while (!ready && Date.now() < startBy) await new Promise((r) => setTimeout(r, 50));
  const files = [];
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(path.join(d, e.name), rel ? `${rel}/${e.name}` : e.name);
      else files.push(rel ? `${rel}/${e.name}` : e.name);
      if (files.length >= edits) return;
    }
  };
  walk(small, '');
  const latencies = [];
  const missing = [];
  for (let i = 0; i < edits; i++) {
    const rel = files[i % files.length];
    const word = `zqxedit${i}w${Date.now().toString(36)}`;
    const seen = new Promise((resolve) => waiting.set(rel, resolve));
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 30_000));
    const started = performance.now();
    fs.appendFileSync(path.join(small, rel), `\n\nEdited: ${word}.\n`);
    const at = await Promise.race([seen, timeout]);
    waiting.delete(rel);
    if (at === null) {
      missing.push(rel);
      continue;
    }
    latencies.push(at - started);
    const reader = await Engine.open(smallIdx, { readOnly: true });
    if (reader.search(word).hits.length === 0) missing.push(`${rel} (committed but not found)`);
    await reader.close();
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGINT');
  const code = await new Promise((r) => child.on('exit', r));
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  results.watch = {
    edits,
    measured: latencies.length,
    p50Ms: Number(q(0.5)?.toFixed(1)),
    p99Ms: Number(q(0.99)?.toFixed(1)),
    maxMs: Number(latencies[latencies.length - 1]?.toFixed(1)),
    missing,
    exitCode: code,
    target: 'p99 < 1000 ms',
  };
  console.log('watch', results.watch);
  if (code !== 0) console.error(stderr);
}

results.loadAfter = os.loadavg().map((x) => Number(x.toFixed(2)));
results.probeMs.push(speedProbe());
if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 2));
console.log(
  `load average before ${results.load.join(' ')}, after ${results.loadAfter.join(' ')} (${results.cpus} cores)`,
);
console.log(probeLine(...results.probeMs));
fs.rmSync(tmp, { recursive: true, force: true });
