/**
 * Cross-check against the real trec_eval binary (usnistgov/trec_eval 9.x/10.x): runs only where
 * one is installed, as `trec_eval` on PATH or at $TREC_EVAL; skipped otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQrels } from './beir.js';
import { evaluateRun } from './evaluate.js';
import type { Qrels } from './qrels.js';
import type { Run, RunHit } from './run.js';
import { formatTrecQrels, formatTrecRun } from './trec.js';

const bin = process.env.TREC_EVAL ?? 'trec_eval';
const installed = spawnSync(bin, ['-v']).error === undefined;
const KS = [1, 5, 10, 100, 1000];

function lcg(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

interface Printed {
  value: number;
  tolerance: number;
}

/** Runs `trec_eval -c -q` and returns measure → qid → value (qid "all" is the mean). */
function trecEval(qrelsFile: string, runFile: string): Map<string, Map<string, Printed>> {
  const cut = KS.join(',');
  const args = ['-c', '-q', '-m', `ndcg_cut.${cut}`, '-m', `P.${cut}`, '-m', `recall.${cut}`, '-m', 'map'];
  const res = spawnSync(bin, [...args, '-m', 'recip_rank', qrelsFile, runFile], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`trec_eval failed (${res.status}): ${res.stderr}`);
  const out = new Map<string, Map<string, Printed>>();
  for (const line of res.stdout.split('\n')) {
    const [name, qid, text] = line.trim().split(/\s+/);
    if (text === undefined) continue;
    const decimals = text.split('.')[1]?.length ?? 0;
    // trec_eval prints 4 decimals; allow for the rounding of the printed value.
    const tolerance = decimals >= 10 ? 1e-12 : 0.5 * 10 ** -decimals + 1e-12;
    if (!out.has(name)) out.set(name, new Map());
    out.get(name)?.set(qid, { value: Number(text), tolerance });
  }
  return out;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnel-trec-eval-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function crossCheck(name: string, run: Run, qrels: Qrels): Promise<number> {
  const qrelsFile = join(dir, `${name}.qrels`);
  const runFile = join(dir, `${name}.run`);
  await writeFile(qrelsFile, formatTrecQrels(qrels));
  await writeFile(runFile, formatTrecRun(run, name));
  const theirs = trecEval(qrelsFile, runFile);
  const ours = evaluateRun(run, qrels, { ks: KS });
  let compared = 0;
  const check = (measure: string, qid: string, value: number) => {
    const t = theirs.get(measure)?.get(qid);
    if (t === undefined) expect.fail(`${name}: ${measure} for ${qid} missing from trec_eval output`);
    if (Math.abs(t.value - value) > t.tolerance) {
      expect.fail(`${name}: ${measure} for ${qid}: ours ${value} vs trec_eval ${t.value}`);
    }
    compared++;
  };
  for (const [qid, m] of ours.perQuery) {
    for (const k of KS) {
      check(`ndcg_cut_${k}`, qid, m.ndcg[k]);
      check(`P_${k}`, qid, m.precision[k]);
      check(`recall_${k}`, qid, m.recall[k]);
    }
    check('map', qid, m.ap);
    check('recip_rank', qid, m.mrr[1000]); // runs here hold <= 1000 hits, so MRR@1000 is the uncut RR
  }
  for (const k of KS) {
    check(`ndcg_cut_${k}`, 'all', ours.ndcg[k]);
    check(`P_${k}`, 'all', ours.precision[k]);
    check(`recall_${k}`, 'all', ours.recall[k]);
  }
  check('map', 'all', ours.map);
  check('recip_rank', 'all', ours.mrr[1000]);
  return compared;
}

describe.skipIf(!installed)('cross-check with trec_eval', () => {
  it('agrees on a synthetic graded run with heavy ties, missing and unjudged queries', async () => {
    const rand = lcg(42);
    const ids = Array.from({ length: 400 }, (_, i) => ['D', 'd', 'x-', ''][i % 4] + String(i * 37));
    const qrels: Qrels = new Map();
    const run: Run = new Map();
    for (let q = 0; q < 80; q++) {
      const qid = `Q${q}`;
      const judged = new Map<string, number>([[ids[Math.floor(rand() * ids.length)], 0]]);
      for (let j = Math.floor(rand() * 40); j > 0; j--) {
        judged.set(ids[Math.floor(rand() * ids.length)], Math.floor(rand() * 6) - 1); // grades -1..4
      }
      if (q % 10 !== 3) qrels.set(qid, judged); // some run queries unjudged
      if (q % 10 === 7) continue; // some judged queries missing from the run
      const hits: RunHit[] = [];
      const seen = new Set<string>();
      for (let j = Math.floor(rand() * 300); j > 0; j--) {
        const docId = ids[Math.floor(rand() * ids.length)];
        if (seen.has(docId)) continue;
        seen.add(docId);
        hits.push({ docId, score: Math.round(rand() * 8) / 4 }); // few distinct scores: many ties
      }
      if (hits.length > 0) run.set(qid, hits);
    }
    expect(await crossCheck('synthetic', run, qrels)).toBeGreaterThan(1000);
  });

  const nfcorpus = resolve(import.meta.dirname, '../../../shared/data/nfcorpus');
  it.skipIf(!existsSync(nfcorpus))('agrees on real graded qrels (nfcorpus) with a 1000-hit run', async () => {
    const qrels = await readQrels(nfcorpus);
    const pool = [...new Set([...qrels.values()].flatMap((docs) => [...docs.keys()]))];
    const rand = lcg(7);
    const run: Run = new Map();
    for (const [qid, docs] of qrels) {
      const hits = new Map<string, number>();
      for (const docId of docs.keys()) if (rand() < 0.5) hits.set(docId, Math.round(rand() * 100) / 10);
      while (hits.size < 1000)
        hits.set(pool[Math.floor(rand() * pool.length)], Math.round(rand() * 100) / 10);
      run.set(
        qid,
        [...hits].map(([docId, score]) => ({ docId, score })),
      );
    }
    expect(await crossCheck('nfcorpus', run, qrels)).toBeGreaterThan(5000);
  });
});
