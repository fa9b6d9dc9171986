/**
 * @module ingest/jsonl
 * Corpus JSONL records (`{"_id", "title", "text", ...}`, as in BEIR): one line → one document, or a
 * BadInputError that names the line and the problem. Used by the streaming corpus reader and by the
 * bulk builder threads, which decode whole chunks of lines themselves.
 */

import { BadInputError } from '../errors.js';
import { type StringSpan, textSpan } from './json-span.js';

/** A corpus document. `meta` holds the line's other string, number and boolean fields, if any. */
export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
  meta?: Record<string, string | number | boolean>;
}

/** The `source` of an error about one line: `file:line`. */
export function lineSource(name: string, lineNo: number): string {
  return `${name}:${lineNo}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses one JSONL line into an object with a string `_id`; throws BadInputError naming the line. */
export function parseRecord(line: string, source: string): { id: string; record: Record<string, unknown> } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    throw new BadInputError(source, `invalid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(record)) throw new BadInputError(source, 'expected a JSON object');
  const rawId = record._id;
  const id = typeof rawId === 'number' ? String(rawId) : rawId;
  if (typeof id !== 'string' || id === '') {
    throw new BadInputError(source, `"_id" must be a non-empty string, got ${JSON.stringify(rawId)}`);
  }
  return { id, record };
}

/** A string field that may be absent (→ ''); any other type is an error. */
export function stringField(record: Record<string, unknown>, key: string, source: string): string {
  const value = record[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw new BadInputError(source, `"${key}" must be a string, got ${typeof value}`);
  return value;
}

/** One corpus line as a document; throws BadInputError naming `source`. */
export function parseCorpusLine(line: string, source: string): CorpusDoc {
  const { id, record } = parseRecord(line, source);
  return corpusDoc(id, record, stringField(record, 'text', source), source);
}

function corpusDoc(id: string, record: Record<string, unknown>, text: string, source: string): CorpusDoc {
  const doc: CorpusDoc = { id, title: stringField(record, 'title', source), text };
  let meta: Record<string, string | number | boolean> | undefined;
  for (const key of Object.keys(record)) {
    if (key === '_id' || key === 'title' || key === 'text') continue;
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      meta ??= {};
      meta[key] = value;
    }
  }
  if (meta !== undefined) doc.meta = meta;
  return doc;
}

/** A corpus document whose text stays in the line's bytes, where `span` says (`doc.text` is ''). */
export type JsonDocHandler = (doc: CorpusDoc, bytes: Uint8Array, span: StringSpan) => void;

/**
 * With `onJsonDoc`, a line whose `"text"` is a plain string is decoded without its text: the rest of
 * the line goes through JSON.parse, the text stays bytes for `onJsonDoc` (see json-span). Any other
 * line takes the ordinary path, so errors and edge cases are JSON.parse's.
 */
function decodeLine(
  buf: Buffer,
  start: number,
  stop: number,
  source: string,
  onDoc: (doc: CorpusDoc) => void,
  onJsonDoc: JsonDocHandler | undefined,
): void {
  // The ordinary path; its errors, with their positions in the line, are the reference.
  const whole = () => onDoc(parseCorpusLine(buf.toString('utf8', start, stop), source));
  const span = onJsonDoc ? textSpan(buf, start, stop) : null;
  if (!onJsonDoc || !span) {
    whole();
    return;
  }
  // The line without its text: `..."text":"` + `"...` reads as "text":"".
  const rest = buf.toString('utf8', start, span.from) + buf.toString('utf8', span.to, stop);
  let parsed: ReturnType<typeof parseRecord>;
  try {
    parsed = parseRecord(rest, source);
  } catch {
    whole();
    return;
  }
  const { id, record } = parsed;
  onJsonDoc(corpusDoc(id, record, '', source), buf, span);
}

/**
 * Decodes a chunk of whole JSONL lines (UTF-8; `\n` or `\r\n`): each document goes to `onDoc` (or,
 * with its text left in the bytes, to `onJsonDoc`; see `decodeLine`), each unusable line to `onError`. Blank lines are skipped; `firstLine` numbers the chunk's first line and
 * a byte-order mark is skipped on line 1.
 */
export function forEachCorpusLine(
  bytes: Uint8Array,
  file: string,
  firstLine: number,
  onDoc: (doc: CorpusDoc) => void,
  onError: (err: BadInputError) => void,
  onJsonDoc?: JsonDocHandler,
): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let lineNo = firstLine;
  if (firstLine === 1 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    let stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--;
    if (!isBlank(buf, start, stop)) {
      try {
        decodeLine(buf, start, stop, lineSource(file, lineNo), onDoc, onJsonDoc);
      } catch (err) {
        if (!(err instanceof BadInputError)) throw err;
        onError(err);
      }
    }
    lineNo++;
    start = end + 1;
  }
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
