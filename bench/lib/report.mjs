// Turns per-engine results into a table, Funnel-vs-peer ratio lines and the target checks.

const MB = 1e6;
const fmt = (v, digits = 3) => {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
};

/** Why a metric is missing for an engine: the phase's own reason, or the run's cut-off/crash. */
function reasonOf(r, phase) {
  if (r.fatal) return r.fatal;
  if (phase?.na) return phase.na;
  if (r.cutOff) return r.cutOff;
  if (r.crashed) return r.crashed;
  return 'not measured';
}

/** The metrics, each with a getter, a direction (+1: higher is better, -1: lower is better) and a unit. */
export function metrics(ks) {
  const list = [
    ['index time (s)', (r) => r.index?.seconds, -1, 'index', 's'],
    ['index MB/s', (r) => r.index?.mbPerSec, +1, 'index', 'MB/s'],
    ['index MB/s, engine calls only', (r) => r.index?.engineMbPerSec, +1, 'index', 'MB/s'],
    ['index docs/s', (r) => r.index?.docsPerSec, +1, 'index', 'docs/s'],
    ['optimize/merge (s)', (r) => r.optimize?.seconds, -1, 'optimize', 's'],
    ['memory RSS (MB)', (r) => r.memory && r.memory.rssBytes / MB, -1, 'memory', 'MB'],
    [
      'memory RSS / raw text',
      (r) => r.memory && r.index && r.memory.rssBytes / r.index.rawBytes,
      -1,
      'memory',
      'x',
    ],
    [
      'memory heapUsed+external (MB)',
      (r) => r.memory?.heapBytes != null && r.memory.heapBytes / MB,
      -1,
      'memory',
      'MB',
    ],
    [
      'engine-reported memory (MB)',
      (r) => r.memory?.engineStats?.memoryBytes && r.memory.engineStats.memoryBytes / MB,
      -1,
      'memory',
      'MB',
    ],
    ['peak RSS (MB)', (r) => r.memory && r.memory.peakRssBytes / MB, -1, 'memory', 'MB'],
    ['saved index (MB)', (r) => r.reload?.bytes && r.reload.bytes / MB, -1, 'reload', 'MB'],
    [
      'saved index / raw text',
      (r) => r.reload?.bytes && r.index && r.reload.bytes / r.index.rawBytes,
      -1,
      'reload',
      'x',
    ],
  ];
  for (const set of ['plain', 'expanded']) {
    for (const k of ks) {
      for (const p of ['p50', 'p95']) {
        list.push([
          `${set} k=${k} ${p} (ms)`,
          (r) => r.queries?.[`${set}@${k}`]?.[p],
          -1,
          (r) => r.queries?.[`${set}@${k}`],
          'ms',
        ]);
      }
    }
  }
  list.push(
    ['freshness p50 (ms)', (r) => r.freshness?.p50, -1, 'freshness', 'ms'],
    ['freshness p99 (ms)', (r) => r.freshness?.p99, -1, 'freshness', 'ms'],
    ['reload time (s)', (r) => r.reload?.seconds, -1, 'reload', 's'],
    ['reload MB/s', (r) => r.reload?.mbPerSec, +1, 'reload', 'MB/s'],
    ['nDCG@10', (r) => r.ndcg10, +1, null, ''],
    ['top-10 overlap with xapian', (r) => r.agreeXapian, +1, null, ''],
  );
  return list.map(([label, get, dir, phase, unit]) => ({ label, get, dir, phase, unit }));
}

function value(m, r) {
  const v = m.get(r);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function phaseOf(m, r) {
  if (typeof m.phase === 'function') return m.phase(r);
  return m.phase ? r[m.phase] : null;
}

export function table(corpus, engines, ks) {
  const names = engines.filter((e) => corpus.results[e]);
  const rows = [['metric', ...names]];
  for (const m of metrics(ks)) {
    const cells = names.map((e) => fmt(value(m, corpus.results[e])));
    if (cells.every((c) => c === 'n/a') && (m.label.startsWith('nDCG') || m.label.startsWith('top-10')))
      continue;
    rows.push([m.label, ...cells]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = rows.map(line);
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}

/** "query p50 k=1000: funnel 1.2 ms; xapian 2.0x slower; ..." for the headline metrics. */
export function ratios(corpus, engines, ks) {
  const f = corpus.results.funnel;
  const peers = engines.filter((e) => e !== 'funnel' && corpus.results[e]);
  const want = new Set([
    'index MB/s',
    'memory RSS (MB)',
    ...ks.flatMap((k) => [`plain k=${k} p50 (ms)`, `plain k=${k} p95 (ms)`]),
    ...ks.map((k) => `expanded k=${k} p50 (ms)`),
    'freshness p50 (ms)',
    'freshness p99 (ms)',
    'reload MB/s',
  ]);
  const lines = [];
  for (const m of metrics(ks).filter((m) => want.has(m.label))) {
    const fv = f ? value(m, f) : null;
    if (fv === null) {
      lines.push(`${m.label}: funnel n/a (${f ? reasonOf(f, phaseOf(m, f)) : 'not run'})`);
      continue;
    }
    const parts = peers.map((e) => {
      const r = corpus.results[e];
      const pv = value(m, r);
      if (pv === null) return `${e} n/a (${reasonOf(r, phaseOf(m, r))})`;
      const ratio = m.dir < 0 ? pv / fv : fv / pv; // > 1: funnel is better
      if (Math.abs(ratio - 1) < 0.005) return `${e} same`;
      const word = m.unit === 'MB' ? ['more', 'less'] : ['slower', 'faster'];
      const caveat = m.phase === 'reload' && r.reload?.note ? ' (lazy open, not a full load)' : '';
      return `${e} ${ratio >= 1 ? fmt(ratio) : fmt(1 / ratio)}x ${word[ratio >= 1 ? 0 : 1]}${caveat}`;
    });
    lines.push(`${m.label.replace(/ \(.*\)$/, '')}: funnel ${fmt(fv)} ${m.unit}; ${parts.join('; ')}`);
  }
  return lines.join('\n');
}

/** The targets, checked from this run's numbers. */
export function targets(corpus) {
  const R = corpus.results;
  const get = (e, fn) => (R[e] ? fn(R[e]) : null);
  const q = (e) => get(e, (r) => r.queries?.['plain@1000']?.p50);
  const ix = (e) => get(e, (r) => r.index?.mbPerSec);
  const mem = (e) => get(e, (r) => r.memory && r.memory.rssBytes / MB);
  const checks = [
    ['query p50 k=1000 <= xapian', q('funnel'), q('xapian'), 1, -1],
    ['query p50 k=1000 <= 1/2 sqlite', q('funnel'), q('sqlite'), 1 / 2, -1],
    ['query p50 k=1000 <= 1/20 minisearch', q('funnel'), q('minisearch'), 1 / 20, -1],
    ['query p50 k=1000 <= 1/20 orama', q('funnel'), q('orama'), 1 / 20, -1],
    ['index MB/s >= sqlite', ix('funnel'), ix('sqlite'), 1, +1],
    ['index MB/s >= 3x minisearch', ix('funnel'), ix('minisearch'), 3, +1],
    ['memory RSS (MB) <= 1/3 minisearch', mem('funnel'), mem('minisearch'), 1 / 3, -1],
  ];
  return checks.map(([label, fv, pv, factor, dir]) => {
    if (fv == null || pv == null) return { label, status: 'n/a', funnel: fv ?? null, peer: pv ?? null };
    const limit = pv * factor;
    const ok = dir < 0 ? fv <= limit : fv >= limit;
    return { label, status: ok ? 'PASS' : 'FAIL', funnel: fv, peer: pv, limit };
  });
}

export function targetsText(list) {
  return list
    .map((t) =>
      t.status === 'n/a'
        ? `  n/a   ${t.label} (funnel ${fmt(t.funnel)}, peer ${fmt(t.peer)})`
        : `  ${t.status.padEnd(5)} ${t.label}: funnel ${fmt(t.funnel)} vs limit ${fmt(t.limit)} (peer ${fmt(t.peer)})`,
    )
    .join('\n');
}

/** Missing phases with their reasons, so that nothing is silently skipped. */
export function notes(corpus, engines) {
  const lines = [];
  for (const e of engines) {
    const r = corpus.results[e];
    if (!r) continue;
    if (r.fatal) lines.push(`${e}: not run: ${r.fatal}`);
    if (r.cutOff) lines.push(`${e}: ${r.cutOff}`);
    if (r.crashed) lines.push(`${e}: ${r.crashed}`);
    for (const [key, q] of Object.entries(r.queries ?? {})) {
      if (q.na) lines.push(`${e}: queries ${key} n/a: ${q.na}`);
      else if (q.partial)
        lines.push(`${e}: queries ${key}: ${q.n} of ${q.of} queries measured (${q.partial})`);
    }
    if (r.freshness?.na) lines.push(`${e}: freshness n/a: ${r.freshness.na}`);
    if (r.freshness?.notFound)
      lines.push(`${e}: freshness: ${r.freshness.notFound} docs not found within 5 s`);
    if (r.reload?.na) lines.push(`${e}: reload n/a: ${r.reload.na}`);
    if (r.reload?.note) lines.push(`${e}: reload: ${r.reload.note}`);
  }
  return lines.join('\n');
}
