/**
 * @module eval/trec
 * TREC text formats: qrels (`qid 0 docid rel`) and runs (`qid Q0 docid rank score tag`), read and
 * written as trec_eval reads them (whitespace-separated fields, `#` comment lines, rank ignored).
 */
import { writeFile } from 'node:fs/promises';
import { BadInputError, InvalidArgumentError } from '../errors.js';
import { addJudgment, type Qrels } from './qrels.js';
import { type Run, rankHits } from './run.js';
import { forEachLine, lineSource, readText } from './text-lines.js';

const SPACE = /\s+/;

function fieldsOf(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  return trimmed.split(SPACE);
}

/** Parses TREC qrels: `qid iter docid rel` per line, iter ignored. */
export function parseTrecQrels(text: string, source: string): Qrels {
  const qrels: Qrels = new Map();
  forEachLine(text, (line, lineNo) => {
    const f = fieldsOf(line);
    if (f === undefined) return;
    if (f.length !== 4) {
      throw new BadInputError(
        lineSource(source, lineNo),
        `expected 4 fields "qid iter docid rel", got ${f.length}: "${line.slice(0, 80)}"`,
      );
    }
    addJudgment(qrels, f[0], f[2], f[3], source, lineNo);
  });
  return qrels;
}

/**
 * Parses a TREC run: `qid Q0 docid rank score tag` per line; fields after the tag are ignored and so
 * is the rank (trec_eval ranks by score). A doc listed twice for one query is an error.
 */
export function parseTrecRun(text: string, source: string): Run {
  const run: Run = new Map();
  const seen = new Set<string>();
  forEachLine(text, (line, lineNo) => {
    const f = fieldsOf(line);
    if (f === undefined) return;
    if (f.length < 6) {
      throw new BadInputError(
        lineSource(source, lineNo),
        `expected 6 fields "qid Q0 docid rank score tag", got ${f.length}: "${line.slice(0, 80)}"`,
      );
    }
    const score = Number(f[4]);
    if (Number.isNaN(score)) {
      throw new BadInputError(lineSource(source, lineNo), `score must be a number, got "${f[4]}"`);
    }
    const key = `${f[0]}\t${f[2]}`;
    if (seen.has(key)) {
      throw new BadInputError(lineSource(source, lineNo), `doc "${f[2]}" listed twice for query "${f[0]}"`);
    }
    seen.add(key);
    let hits = run.get(f[0]);
    if (hits === undefined) {
      hits = [];
      run.set(f[0], hits);
    }
    hits.push({ docId: f[2], score });
  });
  return run;
}

function checkToken(what: string, value: string): string {
  if (value === '' || SPACE.test(value)) {
    throw new InvalidArgumentError(`trec: ${what} "${value}" is empty or contains whitespace`);
  }
  return value;
}

/** Formats qrels as TREC qrels text, one `qid 0 docid rel` line per judgment. */
export function formatTrecQrels(qrels: Qrels): string {
  const out: string[] = [];
  for (const [qid, docs] of qrels) {
    checkToken('query id', qid);
    for (const [docId, grade] of docs) out.push(`${qid} 0 ${checkToken('doc id', docId)} ${grade}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * Formats a run as TREC run text, each query's hits in trec_eval's rank order with ranks from 1.
 * Scores are written in full (shortest round-trip) precision, so trec_eval sees the same ties.
 */
export function formatTrecRun(run: Run, tag = 'funnel'): string {
  checkToken('run tag', tag);
  const out: string[] = [];
  for (const [qid, hits] of run) {
    checkToken('query id', qid);
    rankHits(qid, hits).forEach((hit, i) => {
      out.push(`${qid} Q0 ${checkToken('doc id', hit.docId)} ${i + 1} ${hit.score} ${tag}`);
    });
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Reads a TREC qrels file. */
export async function readTrecQrelsFile(path: string): Promise<Qrels> {
  return parseTrecQrels(await readText(path), path);
}

/** Reads a TREC run file. */
export async function readTrecRunFile(path: string): Promise<Run> {
  return parseTrecRun(await readText(path), path);
}

/** Writes qrels as a TREC qrels file. */
export async function writeTrecQrelsFile(path: string, qrels: Qrels): Promise<void> {
  await writeFile(path, formatTrecQrels(qrels));
}

/** Writes a run as a TREC run file. */
export async function writeTrecRunFile(path: string, run: Run, tag = 'funnel'): Promise<void> {
  await writeFile(path, formatTrecRun(run, tag));
}
