// Corpus resolution and the deterministic workload (queries, expanded queries, fresh documents)
// shared by all engines. Workloads are cached in bench/.cache/.
import fs from 'node:fs';
import path from 'node:path';
import { normalizeDoc, rng } from './common.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const benchDir = path.resolve(here, '..');
export const repoDir = path.resolve(benchDir, '..');
const dataDir = process.env.FUNNEL_DATA_DIR ?? path.resolve(repoDir, '../shared/data');
export const docsCorpusPath = process.env.FUNNEL_DOCS_CORPUS ?? '/work/scale/docs-corpus.jsonl';

// English stop words (NLTK's list), removed from every query so that all engines get the same terms.
const STOP = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
  herself it its itself they them their theirs themselves what which who whom this that these those am is are
  was were be been being have has had having do does did doing a an the and but if or because as until while
  of at by for with about against between into through during before after above below to from up down in out
  on off over under again further then once here there when where why how all any both each few more most
  other some such no nor not only own same so than too very s t can will just don should now d ll m o re ve y
  ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn`.split(
    /\s+/,
  ),
);

/** Lowercased letter/digit runs. */
export const tokenize = (s) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const isQueryTerm = (t) => t.length >= 2 && !STOP.has(t) && !/^\p{N}+$/u.test(t);

/** Resolves a --corpus value: a known name, a BEIR folder (corpus.jsonl + queries.jsonl), or a JSONL file. */
export function resolveCorpus(spec) {
  let p = spec;
  if (spec === 'docs') p = docsCorpusPath;
  else if (!spec.includes('/') && !spec.endsWith('.jsonl')) p = path.join(dataDir, spec);
  p = path.resolve(p);
  if (!fs.existsSync(p)) throw new Error(`corpus not found: ${spec} (${p})`);
  if (fs.statSync(p).isDirectory()) {
    const corpusFile = path.join(p, 'corpus.jsonl');
    if (!fs.existsSync(corpusFile)) throw new Error(`no corpus.jsonl in ${p}`);
    const q = path.join(p, 'queries.jsonl');
    const r = path.join(p, 'qrels.tsv');
    return {
      name: path.basename(p),
      corpusFile,
      queriesFile: fs.existsSync(q) ? q : null,
      qrelsFile: fs.existsSync(r) ? r : null,
    };
  }
  return {
    name: path.basename(p).replace(/\.jsonl$/, ''),
    corpusFile: p,
    queriesFile: null,
    qrelsFile: null,
  };
}

export function defaultCorpora() {
  const list = ['scifact', 'nfcorpus'];
  if (fs.existsSync(docsCorpusPath)) list.push('docs');
  return list;
}

/** Streams lines of a file with their byte offsets (one pass, no JSON parsing). */
function scanLines(file, maxLines, onLine) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 22);
  let carry = Buffer.alloc(0);
  let pos = 0;
  let n = 0;
  try {
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (nl > start && n < maxLines) {
          onLine(data.subarray(start, nl), pos + start);
          n++;
        }
        start = nl + 1;
      }
      pos += start;
      carry = Buffer.from(data.subarray(start));
      if (n >= maxLines) break;
    }
    if (carry.length && n < maxLines) {
      onLine(carry, pos);
      n++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

function readDocAt(fd, offset, length) {
  const b = Buffer.alloc(length);
  fs.readSync(fd, b, 0, length, offset);
  return normalizeDoc(JSON.parse(b.toString('utf8')));
}

/**
 * Builds (or loads from cache) the workload for a corpus:
 * { name, docs, queries: [{ id, text }], expanded: [text], fresh: [{ id, title, text, token }], qrels? }
 * Query text is plain lowercased words without stop words, the same string for every engine.
 */
export function prepareWorkload(corpus, opts) {
  const { maxDocs = Infinity, seed = 1, nQueries = 200, nFresh = 200 } = opts;
  const st = fs.statSync(corpus.corpusFile);
  const key = `${corpus.name}-${Number.isFinite(maxDocs) ? maxDocs : 'all'}-s${seed}-q${nQueries}-f${nFresh}-${st.size}`;
  const cacheDir = path.join(benchDir, '.cache');
  const cacheFile = path.join(cacheDir, `${key}.json`);
  if (fs.existsSync(cacheFile)) return { ...JSON.parse(fs.readFileSync(cacheFile, 'utf8')), file: cacheFile };

  const random = rng(seed);
  const offsets = [];
  const lengths = [];
  const df = new Map();
  const nDocs = scanLines(corpus.corpusFile, maxDocs, (line, off) => {
    offsets.push(off);
    lengths.push(line.length);
    const d = normalizeDoc(JSON.parse(line.toString('utf8')));
    for (const t of new Set(tokenize(`${d.title} ${d.text}`))) df.set(t, (df.get(t) ?? 0) + 1);
  });
  const fd = fs.openSync(corpus.corpusFile, 'r');
  const docAt = (i) => readDocAt(fd, offsets[i], lengths[i]);

  // Queries: the collection's own (BEIR), or sampled phrases of 1-4 content words from random documents.
  let queries = [];
  if (corpus.queriesFile) {
    for (const line of fs.readFileSync(corpus.queriesFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const q = JSON.parse(line);
      const terms = [...new Set(tokenize(q.text).filter(isQueryTerm))];
      if (terms.length) queries.push({ id: String(q._id ?? q.id), text: terms.join(' ') });
    }
  } else {
    for (let guard = 0; queries.length < nQueries && guard < nQueries * 50; guard++) {
      const d = docAt(Math.floor(random() * nDocs));
      const cand = tokenize(`${d.title} ${d.text.slice(0, 4000)}`).filter(
        (t) => isQueryTerm(t) && t.length >= 3 && /^\p{L}/u.test(t) && (df.get(t) ?? 0) >= 2,
      );
      if (cand.length === 0) continue;
      const n = 1 + Math.floor(random() * 4);
      const at = Math.floor(random() * cand.length);
      const terms = [...new Set(cand.slice(at, at + n))];
      queries.push({ id: `q${queries.length}`, text: terms.join(' ') });
    }
  }
  queries = queries.slice(0, Math.max(nQueries, corpus.queriesFile ? queries.length : 0));

  // Expanded queries: the query's words plus mid-frequency corpus words, 20-50 terms in total.
  const lo = Math.max(2, Math.floor(nDocs * 0.0005));
  const hi = Math.max(lo + 1, Math.floor(nDocs * 0.05));
  const pool = [...df.entries()]
    .filter(([t, n]) => n >= lo && n <= hi && /^[a-z]{3,}$/.test(t) && !STOP.has(t))
    .map(([t]) => t)
    .sort();
  const expanded = queries.map((q) => {
    const terms = new Set(q.text.split(' '));
    const want = 20 + Math.floor(random() * 31);
    for (let guard = 0; terms.size < want && guard < 1000; guard++) {
      terms.add(pool[Math.floor(random() * pool.length)]);
    }
    return [...terms].join(' ');
  });

  // Fresh documents: real text from random documents plus a unique token not in the corpus.
  const fresh = [];
  for (let i = 0; fresh.length < nFresh; i++) {
    let token = 'qzx';
    for (let v = i + 1000; v > 0; v = Math.floor(v / 26)) token += String.fromCharCode(97 + (v % 26));
    token += 'vq';
    if (df.has(token)) continue;
    const d = docAt(Math.floor(random() * nDocs));
    fresh.push({
      id: `fresh-${i}`,
      title: `${d.title}`.slice(0, 200),
      text: `${d.text.slice(0, 2000)} ${token}`,
      token,
    });
  }
  fs.closeSync(fd);

  let qrels = null;
  if (corpus.qrelsFile) {
    qrels = {};
    for (const line of fs.readFileSync(corpus.qrelsFile, 'utf8').split('\n').slice(1)) {
      const [qid, did, score] = line.split('\t');
      if (!did) continue;
      qrels[qid] ??= {};
      qrels[qid][did] = Number(score);
    }
  }
  const work = { name: corpus.name, docs: nDocs, queries, expanded, fresh, qrels };
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(work));
  return { ...work, file: cacheFile };
}
