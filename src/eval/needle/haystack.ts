/**
 * @module eval/needle/haystack
 * Builds the haystack index of the needle benchmark: documents of a real corpus, in order, until
 * the haystack holds N tokens (whole documents; the last may overshoot). A JSONL corpus goes to the
 * engine's bulk path as raw line bytes (builder threads decode them; this thread only scans each
 * line for its id and token count, see jsonl-scan), so a 10^9-token haystack is streamed, never
 * held as strings. A folder of text files is cut into ~200-token passages. Past the end of the
 * corpus the haystack continues with `fill` (e.g. synthetic text) or, without one, repeats the
 * corpus with ids suffixed `~r2`, `~r3`, ...
 *
 * The layout (each document's id and first token position) is written beside the index, so that
 * a needle at depth d lands in the document holding token d·N. A built haystack is reused while
 * its inputs (paths, sizes, mtimes) and N are the same.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../engine.js';
import { BadInputError } from '../../errors.js';
import { parseCorpusLine } from '../../ingest/jsonl.js';
import { readLineChunks } from '../../ingest/lines.js';
import { countTokens, toPassages } from '../../ingest/passages.js';
import type { DocumentInput } from '../../types.js';
import { passageCuts, passageLines, scanJsonlLine } from './jsonl-scan.js';

export interface HaystackOptions {
  /** A folder of text files (.txt, .md), a BEIR folder (its corpus.jsonl) or a JSONL corpus file. */
  corpus: string;
  /** JSONL read after the corpus runs out (repeated if it runs out too); default: repeat the corpus. */
  fill?: string;
  /** Haystack size in tokens (runs of letters, digits and `_`; a CJK character is one). */
  tokens: number;
  /**
   * Documents longer than 1.25 times this many tokens are cut into passages of about this many
   * (ids `<id>#<n>`), as `funnel index` cuts files; 0 keeps whole documents. Default 200. See
   * {@link pieceTarget}.
   */
  passageTokens?: number;
  /** Shards of the index (default: one per core). */
  shards?: number;
  /** Commit the bulk load every this many tokens (default 2·10^8), bounding memory. */
  commitEveryTokens?: number;
  onProgress?: (tokens: number, docs: number) => void;
}

export interface HaystackInfo {
  tokens: number;
  docs: number;
  /** Where the tokens came from, in order, with their token counts. */
  parts: { source: string; round: number; tokens: number; docs: number }[];
  /** Build time (0 when reused: see `builtMs` of the first build). */
  indexMs: number;
  /** Peak resident memory of the building process, bytes. */
  peakRssBytes: number;
  /** Lines the builder could not use (not in the haystack). */
  badLines: number;
}

/** Each document's id and first token position: document i spans tokens [starts[i], starts[i+1]). */
export interface HaystackLayout {
  ids: string[];
  starts: Float64Array;
}

const VERSION = 3;
const LAYOUT = 'layout.tsv';
const INFO = 'HAYSTACK.json';

/**
 * The passage size a document of `tokens` tokens is cut to: 0 (kept whole) up to 1.25·`target`,
 * else `tokens` shared evenly among round(tokens / target) passages (at least two). Passages then
 * hold about 0.6 to 1.25 times the target instead of anything up to twice it: a needle's host is
 * never much longer than the passages it competes with, so BM25's length normalisation does not
 * bury it for where it happened to land.
 */
export function pieceTarget(tokens: number, target: number): number {
  if (target <= 0 || tokens <= 1.25 * target) return 0;
  return Math.ceil(tokens / Math.max(2, Math.round(tokens / target)));
}

interface Source {
  path: string;
  kind: 'jsonl' | 'folder';
}

function resolveSource(p: string): Source {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new BadInputError(p, 'no such file or folder (expected a folder of text files or a JSONL corpus)');
  }
  if (st.isFile()) return { path: p, kind: 'jsonl' };
  const beir = path.join(p, 'corpus.jsonl');
  if (fs.existsSync(beir)) return { path: beir, kind: 'jsonl' };
  return { path: p, kind: 'folder' };
}

function stampOf(p: string): { path: string; bytes: number; mtimeMs: number } {
  const st = fs.statSync(p);
  return { path: path.resolve(p), bytes: st.size, mtimeMs: st.mtimeMs };
}

/** A short name for a haystack's inputs: the same inputs and size give the same key. */
export function haystackKey(options: HaystackOptions): string {
  const corpus = resolveSource(options.corpus);
  const fill = options.fill ? resolveSource(options.fill) : undefined;
  const json = JSON.stringify({
    v: VERSION,
    corpus: stampOf(corpus.path),
    fill: fill && stampOf(fill.path),
    tokens: options.tokens,
    shards: options.shards ?? null,
    passageTokens: options.passageTokens ?? 200,
  });
  return createHash('sha256').update(json).digest('hex').slice(0, 12);
}

/** Text files of a folder, recursively, in path order. */
function textFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.(txt|md|text|markdown)$/i.test(e.name)) out.push(full);
    }
  };
  walk(dir);
  if (out.length === 0) throw new BadInputError(dir, 'no text files (.txt, .md) in this folder');
  return out;
}

/** Builds the haystack index in `dir` (or reuses the one there); returns its info and layout. */
export async function buildHaystack(
  dir: string,
  options: HaystackOptions,
): Promise<{ info: HaystackInfo; layout: HaystackLayout; reused: boolean }> {
  if (!(options.tokens >= 1)) throw new BadInputError('--tokens', `must be >= 1, got ${options.tokens}`);
  const key = haystackKey(options);
  const infoFile = path.join(dir, INFO);
  if (fs.existsSync(infoFile)) {
    const saved = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as { key: string; info: HaystackInfo };
    if (saved.key === key) return { info: saved.info, layout: readLayout(dir), reused: true };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const engine = await Engine.open(dir, { bulk: true, shards: options.shards });
  const ids: string[] = [];
  const starts: number[] = [];
  let total = 0;
  let sinceCommit = 0;
  let badLines = 0;
  const commitEvery = options.commitEveryTokens ?? 2e8;
  const parts: HaystackInfo['parts'] = [];
  const jobs = new Set<Promise<void>>();
  const full = () => total >= options.tokens;

  const record = (id: string, tokens: number) => {
    ids.push(id);
    starts.push(total);
    total += tokens;
    sinceCommit += tokens;
  };
  const maybeCommit = async () => {
    if (sinceCommit < commitEvery) return;
    await Promise.all(jobs);
    await engine.commit();
    sinceCommit = 0;
  };

  const addDoc = async (doc: DocumentInput, tokens: number) => {
    engine.add(doc);
    record(doc.id, tokens);
    if (ids.length % 64 === 0) {
      await engine.settle();
      options.onProgress?.(total, ids.length);
      await maybeCommit();
    }
  };

  const target = options.passageTokens ?? 200;

  /** `doc` as passages (ids `<id>#<n>` plus `suffix`), or whole when short or `target` is 0. */
  const addCut = async (doc: DocumentInput, suffix: string) => {
    const whole = countTokens(`${doc.title ?? ''} ${doc.text}`);
    const piece = pieceTarget(whole, target);
    if (piece === 0) return addDoc({ ...doc, id: `${doc.id}${suffix}` }, whole);
    for (const p of toPassages(
      { id: doc.id, text: doc.text },
      { targetTokens: piece, maxTokens: 2 * piece },
    )) {
      await addDoc({ id: `${doc.id}#${p.ordinal}${suffix}`, title: doc.title, text: p.text }, p.tokens);
      if (full()) return;
    }
  };

  /**
   * One pass over a JSONL file. Round 1 hands the line bytes to the builder threads (long
   * documents cut into passage lines on the bytes); round ≥ 2 renames ids, so lines are decoded.
   */
  const jsonlPass = async (file: string, round: number) => {
    for await (const chunk of readLineChunks(file)) {
      const buf = chunk.bytes;
      let pos = 0;
      let lineNo = chunk.firstLine;
      // Round 1: what goes to the builder, as ranges of `buf` and passage lines.
      const pieces: Uint8Array[] = [];
      let keptFrom = 0;
      let split = false;
      while (pos < buf.length && !full()) {
        let end = buf.indexOf(10, pos);
        if (end < 0) end = buf.length;
        const stop = end > pos && buf[end - 1] === 13 ? end - 1 : end;
        if (stop > pos && round === 1) {
          const scan = scanJsonlLine(buf, pos, stop);
          const piece = pieceTarget(scan.tokens, target);
          const cuts = piece > 0 && scan.text ? passageCuts(buf, scan.text[0], scan.text[1], piece) : [];
          if (scan.id === undefined) badLines++;
          else if (cuts.length <= 1) record(scan.id, scan.tokens);
          else {
            split = true;
            if (pos > keptFrom) pieces.push(buf.subarray(keptFrom, pos));
            for (const p of passageLines(buf, { ...scan, id: scan.id, text: scan.text! }, cuts)) {
              pieces.push(...p.bytes);
              record(p.id, p.tokens);
              if (full()) break;
            }
            keptFrom = Math.min(end + 1, buf.length);
          }
        } else if (stop > pos) {
          const line = Buffer.from(buf.buffer, buf.byteOffset + pos, stop - pos).toString('utf8');
          try {
            await addCut(parseCorpusLine(line, `${file}:${lineNo}`), `~r${round}`);
          } catch (err) {
            if (!(err instanceof BadInputError)) throw err;
            badLines++;
          }
        }
        lineNo++;
        pos = Math.min(end + 1, buf.length);
      }
      if (round === 1) {
        let bytes = buf.subarray(0, pos);
        if (split) {
          if (pos > keptFrom) pieces.push(buf.subarray(keptFrom, pos));
          // A fresh buffer of its own: it is transferred to a builder thread.
          const size = pieces.reduce((n, p) => n + p.length, 0);
          bytes = Buffer.allocUnsafeSlow(size);
          let at = 0;
          for (const p of pieces) {
            bytes.set(p, at);
            at += p.length;
          }
        }
        const job = engine.addJsonl(bytes, file, chunk.firstLine).then((r) => {
          badLines += r.errors.length;
        });
        jobs.add(job);
        void job.finally(() => jobs.delete(job)).catch(() => {});
        await engine.settle();
        options.onProgress?.(total, ids.length);
        await maybeCommit();
      }
      if (full()) return;
    }
  };

  /** One pass over a folder of text files, cut into passages. */
  const folderPass = async (folder: string, round: number) => {
    for (const file of textFiles(folder)) {
      const rel = path.relative(folder, file);
      const text = fs.readFileSync(file, 'utf8');
      const title = path.basename(file).replace(/\.[^.]+$/, '');
      for (const p of toPassages({ id: rel, text }, { targetTokens: target || 200 })) {
        const id = round === 1 ? `${rel}#${p.ordinal}` : `${rel}#${p.ordinal}~r${round}`;
        await addDoc({ id, title, text: p.text }, p.tokens);
        if (full()) return;
      }
    }
  };

  const corpus = resolveSource(options.corpus);
  const fill = options.fill ? resolveSource(options.fill) : undefined;
  const pass = async (source: Source, round: number) => {
    const before = total;
    const docsBefore = ids.length;
    if (source.kind === 'jsonl') await jsonlPass(source.path, round);
    else await folderPass(source.path, round);
    if (total === before) throw new BadInputError(source.path, 'no tokens: the corpus is empty');
    parts.push({ source: source.path, round, tokens: total - before, docs: ids.length - docsBefore });
  };
  try {
    await pass(corpus, 1);
    for (let round = 2; !full(); round++) {
      if (fill) await pass(fill, round - 1);
      else await pass(corpus, round);
    }
    await Promise.all(jobs);
    await engine.commit();
  } finally {
    await engine.close({ commit: false });
  }
  starts.push(total);
  const info: HaystackInfo = {
    tokens: total,
    docs: ids.length,
    parts,
    indexMs: performance.now() - started,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    badLines,
  };
  writeLayout(dir, { ids, starts: Float64Array.from(starts) });
  fs.writeFileSync(infoFile, JSON.stringify({ key, info }, null, 2));
  return { info, layout: readLayout(dir), reused: false };
}

function writeLayout(dir: string, layout: HaystackLayout): void {
  const fd = fs.openSync(path.join(dir, LAYOUT), 'w');
  try {
    const batch: string[] = [];
    for (let i = 0; i < layout.ids.length; i++) {
      batch.push(`${layout.ids[i]}\t${layout.starts[i + 1] - layout.starts[i]}`);
      if (batch.length === 65536 || i === layout.ids.length - 1) {
        fs.writeSync(fd, `${batch.join('\n')}\n`);
        batch.length = 0;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the layout written beside a haystack index. */
export function readLayout(dir: string): HaystackLayout {
  const file = path.join(dir, LAYOUT);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new BadInputError(file, `cannot read the haystack layout: ${(err as Error).message}`);
  }
  const ids: string[] = [];
  const lengths: number[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.lastIndexOf('\t');
    ids.push(line.slice(0, tab));
    lengths.push(Number(line.slice(tab + 1)));
  }
  const starts = new Float64Array(ids.length + 1);
  for (let i = 0; i < ids.length; i++) starts[i + 1] = starts[i] + lengths[i];
  return { ids, starts };
}
