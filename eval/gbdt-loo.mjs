#!/usr/bin/env node
// An experiment, not a stage: LambdaMART (gradient-boosted regression trees on pairwise nDCG@10
// lambdas, Newton leaves, features binned to 64 quantiles) against the linear ranker, leave one
// collection out, over the stage-2 features of bm25+prf's top 200 for every judged query of the
// nine English collections. Prints nDCG@10 of stage 1, the linear ranker and the trees on each
// held-out collection (nDCG over the 200 candidates, ideal over all judgments). docs/RANKING.md
// has the result (the trees lose). After `npm run build`:
//   node eval/gbdt-loo.mjs [trees=200] [depth=3] [lr=0.1] [minleaf=200] [qnorm=1]
// qnorm=1 rescales each feature to [0, 1] within each query's candidates first.
import os from 'node:os';
import path from 'node:path';
const D = new URL('../dist/funnel/', import.meta.url).href;
const { collectionIndex, collectionData } = await import(D + 'train-data.js');
const { trainLinear, ndcg10, idealDcg10 } = await import(D + 'train.js');
const { scoreRows } = await import(D + 'ltr-model.js');
const DATA = path.join(import.meta.dirname, '..', '..', 'shared', 'data');
const NAMES = ['cranfield', 'cisi', 'med', 'adi', 'lisa', 'time', 'cystic-fibrosis', 'scifact', 'nfcorpus'];
const spec = { kind: 'retrieve', model: 'bm25+prf', keep: 200, budgetMs: 1e9, options: {} };
const work = path.join(os.tmpdir(), 'funnel-train');
const sets = [];
for (const n of NAMES) {
  const dir = path.join(DATA, n);
  const engine = await collectionIndex(dir, work);
  const d = await collectionData(engine, dir, spec);
  await engine.close();
  sets.push(d);
}
const F = sets[0].features.length;
if (process.argv.includes('qnorm=1')) for (const s of sets) for (const q of s.queries) {
  const m = q.ids.length;
  for (let j = 0; j < F; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < m; i++) { const x = q.values[i * F + j]; if (x < lo) lo = x; if (x > hi) hi = x; }
    for (let i = 0; i < m; i++) q.values[i * F + j] = hi > lo ? (q.values[i * F + j] - lo) / (hi - lo) : 0;
  }
}
console.error('features', sets[0].features.join(','));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const TREES = Number(args.trees ?? 200), DEPTH = Number(args.depth ?? 3), LR = Number(args.lr ?? 0.1), BINS = 64;
const MINLEAF = Number(args.minleaf ?? 200);

function bins(queries) {
  // quantile edges per feature
  const edges = [];
  for (let j = 0; j < F; j++) {
    const vals = [];
    for (const q of queries) for (let i = 0; i < q.ids.length; i++) vals.push(q.values[i * F + j]);
    vals.sort((a, b) => a - b);
    const e = [];
    for (let b = 1; b < BINS; b++) e.push(vals[Math.floor((b * vals.length) / BINS)]);
    edges.push([...new Set(e)]);
  }
  return edges;
}
function binOf(e, x) { let lo = 0, hi = e.length; while (lo < hi) { const m = (lo + hi) >> 1; if (x <= e[m]) hi = m; else lo = m + 1; } return lo; }

function train(queries) {
  const edges = bins(queries);
  const qStart = [];
  let n = 0;
  for (const q of queries) { qStart.push(n); n += q.ids.length; }
  const X = new Uint8Array(n * F);
  let r = 0;
  queries.forEach((q) => {
    for (let i = 0; i < q.ids.length; i++, r++) for (let j = 0; j < F; j++) X[r * F + j] = binOf(edges[j], q.values[i * F + j]);
  });
  const groupSize = new Map();
  for (const q of queries) groupSize.set(q.group, (groupSize.get(q.group) ?? 0) + 1);
  const qw = queries.map((q) => 1 / (groupSize.size * groupSize.get(q.group)));
  const ideals = queries.map((q) => idealDcg10(q.grades));
  const score = new Float64Array(n);
  const grad = new Float64Array(n), hess = new Float64Array(n);
  const trees = [];
  for (let t = 0; t < TREES; t++) {
    grad.fill(0); hess.fill(0);
    queries.forEach((q, k) => {
      const base = qStart[k], m = q.ids.length, ideal = ideals[k];
      if (ideal <= 0) return;
      const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => score[base + b] - score[base + a] || (q.ids[a] < q.ids[b] ? -1 : 1));
      const rank = new Int32Array(m); order.forEach((i, p) => { rank[i] = p; });
      const g = q.ids.map((id) => q.grades.get(id) ?? 0);
      const disc = (p) => (p < 10 ? 1 / Math.log2(p + 2) : 0);
      for (let i = 0; i < m; i++) {
        if (g[i] <= 0) continue;
        for (let j = 0; j < m; j++) {
          if (g[j] >= g[i]) continue;
          const dd = Math.abs((g[i] - g[j]) * (disc(rank[i]) - disc(rank[j]))) / ideal;
          if (dd === 0) continue;
          const rho = 1 / (1 + Math.exp(score[base + i] - score[base + j]));
          const l = dd * rho * qw[k], h = dd * rho * (1 - rho) * qw[k];
          grad[base + i] += l; grad[base + j] -= l; hess[base + i] += h; hess[base + j] += h;
        }
      }
    });
    // grow a tree on (grad, hess)
    const tree = grow(X, n, grad, hess, edges);
    trees.push(tree);
    for (let i = 0; i < n; i++) score[i] += LR * predictBins(tree, X, i);
  }
  return { trees, edges };
}
function grow(X, n, grad, hess, edges) {
  const nodes = [];
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  function build(from, to, depth) {
    let G = 0, H = 0;
    for (let k = from; k < to; k++) { G += grad[idx[k]]; H += hess[idx[k]]; }
    const leaf = { leaf: true, value: H > 0 ? G / (H + 1e-9) : 0 };
    if (depth === DEPTH || to - from < 2 * MINLEAF) { nodes.push(leaf); return nodes.length - 1; }
    let best = 0, bf = -1, bb = -1;
    const hg = new Float64Array(BINS), hh = new Float64Array(BINS), hc = new Int32Array(BINS);
    for (let j = 0; j < F; j++) {
      hg.fill(0); hh.fill(0); hc.fill(0);
      for (let k = from; k < to; k++) { const r = idx[k], b = X[r * F + j]; hg[b] += grad[r]; hh[b] += hess[r]; hc[b]++; }
      let gl = 0, hl = 0, cl = 0;
      for (let b = 0; b < BINS - 1; b++) {
        gl += hg[b]; hl += hh[b]; cl += hc[b];
        const cr = to - from - cl;
        if (cl < MINLEAF || cr < MINLEAF) continue;
        const gr = G - gl, hr = H - hl;
        const gain = (gl * gl) / (hl + 1e-9) + (gr * gr) / (hr + 1e-9) - (G * G) / (H + 1e-9);
        if (gain > best) { best = gain; bf = j; bb = b; }
      }
    }
    if (bf < 0) { nodes.push(leaf); return nodes.length - 1; }
    // partition
    let i = from, j = to - 1;
    while (i <= j) { if (X[idx[i] * F + bf] <= bb) i++; else { const t = idx[i]; idx[i] = idx[j]; idx[j] = t; j--; } }
    const node = { leaf: false, f: bf, b: bb, left: -1, right: -1 };
    nodes.push(node);
    const at = nodes.length - 1;
    node.left = build(from, i, depth + 1);
    node.right = build(i, to, depth + 1);
    return at;
  }
  build(0, n, 0);
  return nodes;
}
/** The leaf value `tree` gives the binned row at `X[r * F ...]`. */
function predictBins(tree, X, r) {
  let k = 0;
  for (;;) {
    const nd = tree[k];
    if (nd.leaf) return nd.value;
    k = X[r * F + nd.f] <= nd.b ? nd.left : nd.right;
  }
}
function predict(model, q) {
  const m = q.ids.length;
  const X = new Uint8Array(m * F);
  for (let i = 0; i < m; i++) for (let j = 0; j < F; j++) X[i * F + j] = binOf(model.edges[j], q.values[i * F + j]);
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) for (const tree of model.trees) s[i] += LR * predictBins(tree, X, i);
  return s;
}
function meanNdcg(queries, scoreOf) {
  let s = 0; for (const q of queries) s += ndcg10(q, scoreOf(q), idealDcg10(q.grades)); return s / queries.length;
}
const rowsOut = [];
let m1 = 0, m2 = 0, m3 = 0;
for (let c = 0; c < sets.length; c++) {
  const trainQ = sets.filter((_, k) => k !== c).flatMap((s) => s.queries);
  const test = sets[c].queries;
  const base = meanNdcg(test, (q) => Float64Array.from({ length: q.ids.length }, (_, i) => q.values[i * F]));
  const lin = trainLinear(trainQ, sets[0].features);
  const linS = meanNdcg(test, (q) => {
    const s = new Float64Array(q.ids.length);
    scoreRows(lin, sets[0].features, q.values, s);
    return s;
  });
  const t0 = Date.now();
  const model = train(trainQ);
  const gb = meanNdcg(test, (q) => predict(model, q));
  m1 += base; m2 += linS; m3 += gb;
  console.log(`${NAMES[c].padEnd(16)} stage1 ${base.toFixed(3)}  linear ${linS.toFixed(3)}  gbdt ${gb.toFixed(3)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
const k = sets.length;
console.log(`mean             stage1 ${(m1 / k).toFixed(3)}  linear ${(m2 / k).toFixed(3)}  gbdt ${(m3 / k).toFixed(3)}   trees=${TREES} depth=${DEPTH} lr=${LR} minleaf=${MINLEAF}`);
