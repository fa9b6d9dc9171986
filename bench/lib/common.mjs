// Shared helpers for the benchmark: JSONL reading, timing, statistics, memory, and the phase driver
// that every JavaScript engine adapter runs (bench/engines/*.mjs). The Xapian helper (xapian.py)
// implements the same phases and output in Python.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Monotonic clock in milliseconds (float). */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of an array of numbers (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summarize(values) {
  if (values.length === 0) return { n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
    mean,
  };
}

/** Deterministic PRNG (mulberry32); returns floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normalizes a corpus line ({_id|id, title, text}) to { id, title, text }. */
export function normalizeDoc(o) {
  return { id: String(o._id ?? o.id), title: o.title ?? '', text: o.text ?? '' };
}

/**
 * Reads a JSONL corpus in batches of normalized documents (at most maxDocs documents), the way a
 * careful application would: 4 MB reads, lines cut on the newline byte, one JSON.parse per line.
 * Yields { docs, bytes } where bytes is the UTF-8 size of title + text of the batch, counted only
 * with `countBytes` (the index phase takes the corpus size from countCorpus instead, so that
 * counting is not charged to the engine being timed).
 */
export async function* readBatches(file, maxDocs = Infinity, batchSize = 1000, countBytes = true) {
  const fd = fs.openSync(file, 'r');
  let buf = Buffer.allocUnsafe(4 << 20);
  let carry = 0;
  let count = 0;
  let docs = [];
  let bytes = 0;
  const take = (start, end) => {
    if (end > start && buf[end - 1] === 13) end--;
    if (end <= start) return;
    const line = buf.toString('utf8', start, end);
    if (line.trim() === '') return;
    const d = normalizeDoc(JSON.parse(line));
    docs.push(d);
    if (countBytes) bytes += Buffer.byteLength(d.title) + Buffer.byteLength(d.text);
    count++;
  };
  try {
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, carry, buf.length - carry, null);
      const end = carry + n;
      let start = 0;
      for (
        let nl = buf.indexOf(10, start);
        nl >= 0 && nl < end && count < maxDocs;
        nl = buf.indexOf(10, start)
      ) {
        take(start, nl);
        start = nl + 1;
        if (docs.length >= batchSize) {
          yield { docs, bytes };
          docs = [];
          bytes = 0;
        }
      }
      if (n === 0 || count >= maxDocs) {
        if (n === 0 && count < maxDocs) take(start, end);
        break;
      }
      buf.copy(buf, 0, start, end);
      carry = end - start;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (docs.length > 0) yield { docs, bytes };
}

/**
 * Documents and raw bytes (UTF-8 title + text, as readBatches counts them) of a corpus file, counted
 * in a child process so that the parsing leaves nothing in this process's memory; cached per file.
 */
const counts = new Map();
export function countCorpus(file) {
  if (!counts.has(file)) {
    const script = `import { readBatches } from ${JSON.stringify(import.meta.url)};
      let docs = 0, bytes = 0;
      for await (const b of readBatches(${JSON.stringify(file)})) { docs += b.docs.length; bytes += b.bytes; }
      console.log(JSON.stringify({ docs, bytes }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    counts.set(file, JSON.parse(out));
  }
  return counts.get(file);
}

/** Size in bytes of a file or of all files below a directory. */
export function diskBytes(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of fs.readdirSync(p)) total += diskBytes(path.join(p, name));
  return total;
}

export function gcNow() {
  if (globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
}

export function memory() {
  const m = process.memoryUsage();
  // external already includes arrayBuffers (Node docs), so adding arrayBuffers would count them twice
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes one partial result as a JSON line on stdout; the runner merges them. */
export function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

export function log(engine, msg) {
  process.stderr.write(`[${engine}] ${msg}\n`);
}

const maybeAwait = async (r) => (r && typeof r.then === 'function' ? await r : r);

/**
 * Runs all phases for one adapter. The adapter is:
 * {
 *   name, config,                      // config: a one-line description shown in the report
 *   open(workDir),                     // create an empty index
 *   add(doc, i),                       // index one document (may return a Promise)
 *   indexFile?(corpusFile),            // or index the whole corpus.jsonl itself (used when there is
 *                                      // no --max-docs); returns the documents indexed
 *   endBatch?(),                       // after each batch of 1,000 documents (counted in index time)
 *   endIndex?(),                       // finish bulk indexing (counted in index time), e.g. COMMIT
 *   optimize?(),                       // optional post-index merge/optimize (timed separately)
 *   search(query, k) -> { ids, total? },
 *   addFresh?(doc),                    // add one document after indexing (defaults to add)
 *   stats?(),                          // engine-reported numbers (memory, segments, ...)
 *   persist?() -> bytes | { na },      // save the index (timed); returns bytes written
 *   reload?() -> extra?,               // open the saved index again (timed, then first query)
 *   reloadNote?,                       // caveat shown with the reload numbers
 *   close?(),
 *   na?: { [k]: reason },              // e.g. na.k30000 = 'unsupported'
 * }
 */
export async function runPhases(adapter, job) {
  const name = adapter.name;
  const work = JSON.parse(fs.readFileSync(job.workloadFile, 'utf8'));
  emit({ engine: name, config: adapter.config, version: adapter.version ?? null });

  // 1. index: wall clock from the first byte read to the end of the final commit, for every engine.
  // Per-document engines read and parse the corpus in this thread (readBatches, as an application
  // would); engines that read the file themselves (indexFile) do their own reading and parsing.
  const wholeCorpus = !Number.isFinite(job.maxDocs ?? Infinity);
  if (wholeCorpus) countCorpus(job.corpusFile); // before the memory baseline, in a child process
  gcNow();
  await sleep(50);
  const mem0 = memory();
  await maybeAwait(adapter.open(job.workDir));
  let engineMs = 0;
  let docs = 0;
  let rawBytes = 0;
  let nextLog = nowMs() + 10000;
  const wallStart = nowMs();
  const wholeFile = adapter.indexFile && wholeCorpus;
  if (wholeFile) docs = await adapter.indexFile(job.corpusFile);
  for await (const batch of wholeFile
    ? []
    : readBatches(job.corpusFile, job.maxDocs ?? Infinity, job.batchSize ?? 1000, !wholeCorpus)) {
    const t0 = nowMs();
    if (adapter.asyncAdd) {
      for (const d of batch.docs) await adapter.add(d, docs++);
    } else {
      for (const d of batch.docs) adapter.add(d, docs++);
    }
    if (adapter.endBatch) await adapter.endBatch();
    engineMs += nowMs() - t0;
    rawBytes += batch.bytes;
    if (nowMs() > nextLog) {
      log(name, `indexed ${docs} docs in ${((nowMs() - wallStart) / 1000).toFixed(1)} s`);
      nextLog = nowMs() + 10000;
    }
  }
  if (adapter.endIndex) {
    const t0 = nowMs();
    await maybeAwait(adapter.endIndex());
    engineMs += nowMs() - t0;
  }
  const indexMs = nowMs() - wallStart;
  if (wholeCorpus) {
    const counted = countCorpus(job.corpusFile);
    rawBytes = counted.bytes;
    if (counted.docs !== docs)
      throw new Error(`${name}: indexed ${docs} documents, the corpus has ${counted.docs}`);
  }
  const indexSeconds = indexMs / 1000;
  emit({
    index: {
      docs,
      rawBytes,
      seconds: indexSeconds,
      timing: 'wall clock from the first byte read to the final commit, JSON reading and parsing included',
      // Per-document engines: the time spent in their own calls (reading and parsing excluded).
      engineSeconds: wholeFile ? null : engineMs / 1000,
      engineMbPerSec: wholeFile ? null : rawBytes / 1e6 / (engineMs / 1000),
      mbPerSec: rawBytes / 1e6 / indexSeconds,
      docsPerSec: docs / indexSeconds,
    },
  });
  log(name, `indexed ${docs} docs, ${(rawBytes / 1e6).toFixed(1)} MB in ${indexSeconds.toFixed(2)} s`);

  // 2. memory: RSS after indexing and a forced GC, minus RSS before any document was loaded.
  gcNow();
  await sleep(200);
  gcNow();
  const mem1 = memory();
  emit({
    memory: {
      rssBytes: mem1.rss - mem0.rss,
      heapBytes: mem1.heap - mem0.heap,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      engineStats: adapter.stats ? await maybeAwait(adapter.stats()) : null,
    },
  });

  if (adapter.optimize && job.optimize !== false) {
    const t0 = nowMs();
    await maybeAwait(adapter.optimize());
    emit({ optimize: { seconds: (nowMs() - t0) / 1000 } });
  }

  // 3. queries
  // Warm-up uses the other set's queries, so that no measured query was seen before.
  const plain = work.queries.map((q) => q.text);
  const sets = [
    ['plain', plain, work.expanded],
    ['expanded', work.expanded, plain],
  ];
  for (const [setName, queries, warmQueries] of sets) {
    for (const k of job.ks) {
      const key = `${setName}@${k}`;
      const reason = adapter.na?.[`k${k}`];
      if (reason) {
        emit({ query: { key, na: reason } });
        continue;
      }
      try {
        const res = await runQueries(adapter, queries, warmQueries, k, job, setName === 'plain' && k === 10);
        emit({ query: { key, ...res } });
      } catch (e) {
        emit({ query: { key, na: `error: ${e.message}` } });
      }
      log(name, `queries ${key} done`);
    }
  }

  // 4. freshness: add a new document, then search its unique token until it is returned.
  try {
    const lat = [];
    let notFound = 0;
    for (const f of work.fresh) {
      const t0 = nowMs();
      await maybeAwait((adapter.addFresh ?? adapter.add).call(adapter, f, docs++));
      let found = false;
      while (!found && nowMs() - t0 < 5000) {
        const r = await maybeAwait(adapter.search(f.token, 10));
        found = r.ids.includes(f.id);
      }
      if (found) lat.push(nowMs() - t0);
      else notFound++;
    }
    emit({ freshness: { ...summarize(lat), notFound } });
  } catch (e) {
    emit({ freshness: { na: `error: ${e.message}` } });
  }

  // 5. persist + reload
  if (!adapter.persist) {
    emit({ reload: { na: adapter.na?.reload ?? 'no persistence' } });
  } else {
    try {
      let t0 = nowMs();
      const out = await maybeAwait(adapter.persist());
      const persistSeconds = (nowMs() - t0) / 1000;
      if (out?.na) {
        emit({ reload: { na: out.na } });
      } else {
        gcNow();
        t0 = nowMs();
        const extra = await maybeAwait(adapter.reload());
        const openMs = nowMs() - t0;
        const r = await maybeAwait(adapter.search(work.queries[0].text, 10));
        const seconds = (nowMs() - t0) / 1000;
        emit({
          reload: {
            bytes: out,
            persistSeconds,
            openSeconds: openMs / 1000,
            seconds,
            mbPerSec: out / 1e6 / seconds,
            firstQueryHits: r.ids.length,
            note: adapter.reloadNote,
            ...extra,
          },
        });
      }
    } catch (e) {
      emit({ reload: { na: `error: ${e.message}` } });
    }
  }
  if (adapter.close) await maybeAwait(adapter.close());
  emit({ done: true });
}

async function runQueries(adapter, queries, warmQueries, k, job, keepTop) {
  const budgetMs = (job.phaseBudget ?? 120) * 1000;
  const warm = Math.min(job.warmup ?? 20, warmQueries.length);
  const start = nowMs();
  for (let i = 0; i < warm && nowMs() - start < budgetMs; i++) {
    await maybeAwait(adapter.search(warmQueries[warmQueries.length - 1 - i], k));
  }
  const lat = [];
  let hits = 0;
  const top = keepTop ? [] : null;
  for (let i = 0; i < queries.length; i++) {
    if (nowMs() - start > budgetMs) break;
    const t0 = nowMs();
    const r = adapter.asyncSearch ? await adapter.search(queries[i], k) : adapter.search(queries[i], k);
    lat.push(nowMs() - t0);
    hits += r.ids.length;
    if (top) top.push(r.ids.slice(0, 10));
  }
  const s = summarize(lat);
  return {
    ...s,
    of: queries.length,
    partial: lat.length < queries.length ? `time budget of ${job.phaseBudget ?? 120} s reached` : undefined,
    avgHits: lat.length ? hits / lat.length : 0,
    top10: top ?? undefined,
  };
}

/** Entry point used by each engine file: reads the job from argv and runs the phases. */
export async function main(makeAdapter) {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  let adapter;
  try {
    adapter = await makeAdapter(job);
  } catch (e) {
    emit({ fatal: `cannot load engine: ${e.message}` });
    return;
  }
  await runPhases(adapter, job);
}

/**
 * How fast this machine runs right now: the best of five runs of a fixed loop (2 M scattered adds
 * into 4 MB, as scoring postings does, and a char-code scan of 1.1 M chars, as tokenizing does),
 * in ms. Shared machines change speed within minutes (this one runs the same code ~1.3-2x slower
 * at times); printed beside a result, it tells which state the result was measured in.
 */
export function speedProbe() {
  const acc = new Float64Array(1 << 19);
  const text = 'the quick brown fox jumps over the lazy dog 0123456789 '.repeat(20_000);
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    let x = 12345;
    for (let i = 0; i < 2_000_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      acc[(x >>> 13) & 0x7ffff] += i;
    }
    let words = 0;
    let inWord = 0;
    for (let i = 0; i < text.length; i++) {
      const w = text.charCodeAt(i) > 0x40 ? 1 : 0;
      words += w & (inWord ^ 1);
      inWord = w;
    }
    sink += words + acc[7];
    best = Math.min(best, performance.now() - t);
  }
  probeResult = sink;
  return best;
}

/** What the probe's loops computed, kept so that they cannot be optimized away. */
export let probeResult = 0;

/** The line that reports speed probes taken before and after a run. */
export function probeLine(before, after) {
  return `machine speed probe (bench/lib/common.mjs): ${before.toFixed(2)} ms before, ${after.toFixed(2)} ms after (lower is faster)`;
}
