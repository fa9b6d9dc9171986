/**
 * @module ingest/folder
 * One file of a folder → its passages, or why not. The file is stat'ed; when its size and mtime
 * match the last run it is not read. Else it is opened (a file larger than the limit is refused
 * from its size alone, never read), read, and hashed: the same SHA-256 as last time means
 * unchanged (only the new mtime is recorded). Else it is parsed by its extension (PDF, HTML,
 * Markdown, mail: .eml, maildir files recognized by their headers, .mbox as one document per
 * message; else text and code, binaries refused by content) and cut into passages whose ids start
 * with the file's path and `#`, so the passages of a file can be found again.
 *
 * What a file came to is a {@link FileOutcome}; nothing here throws for one bad file.
 */

import { hash } from 'node:crypto';
import * as fs from 'node:fs';
import { BadInputError } from '../errors.js';
import type { DocumentInput } from '../types.js';
import { binaryReason } from './binary.js';
import { HEADER_LINE, parseEml, parseMbox } from './mail.js';
import { MBOX_EXTENSIONS, parserFor } from './parse-file.js';
import { extensionOf, type ParsedDocument } from './parsed.js';
import { type PassageOptions, passageDocument, toPassages } from './passages.js';
import { parsePlain } from './plain.js';
import type { FileState } from './sync-state.js';

/** Files larger than this are reported and skipped unless another limit is given (256 MiB). */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** A problem with one input: the path as the user named it (or `path:line`) and the reason. */
export interface FileIssue {
  path: string;
  reason: string;
}

export type FileOutcome =
  /** Read and cut into passages; `problems` are messages of an mbox that failed. */
  | {
      kind: 'indexed';
      state: FileState;
      docs: DocumentInput[];
      bytes: number;
      warnings: string[];
      problems: FileIssue[];
    }
  /** Not read (size and mtime as last time), or read and found to hash the same. */
  | { kind: 'unchanged'; state: FileState; read: boolean }
  /** Refused by policy: too large, binary content, a symlink out of the root. */
  | { kind: 'skipped'; reason: string; state?: FileState }
  /** Could not be used: gone, unreadable, corrupt. */
  | { kind: 'failed'; reason: string };

export interface FileOptions {
  maxFileBytes?: number;
  passages?: PassageOptions;
  /** The recorded state of the file, and whether its passages are in the index. */
  previous?: FileState;
  indexed?: boolean;
}

/** The reason of a BadInputError about `file`, without the path the message starts with. */
function reasonOf(err: BadInputError, file: string): string {
  return err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
}

/** A system error as a reason a person reads. */
function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'vanished during the run (no such file)';
    case 'EACCES':
    case 'EPERM':
      return 'unreadable: permission denied';
    case 'EISDIR':
      return 'not a file';
    default:
      return `cannot read: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ');
  }
}

/** Reads the `size` bytes of open file `fd` (fewer if it shrank meanwhile). */
function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const n = fs.readSync(fd, buf, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? buf : buf.subarray(0, at);
}

/**
 * A plain-text file that is a mail message (a maildir file has no extension of its own): it starts
 * with a header field (after an mbox `From ` line, if any) and its header block, up to the first
 * blank line, has a From and a Subject. "From:" lines further down a document do not count.
 */
export function looksLikeMail(bytes: Uint8Array): boolean {
  if (!startsWithHeaderField(bytes)) return false;
  let head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  if (head.startsWith('From ')) head = head.slice(head.indexOf('\n') + 1);
  const lines = head.split(/\r?\n/);
  if (!HEADER_LINE.test(lines[0] ?? '')) return false;
  const end = lines.indexOf('');
  const block = (end < 0 ? lines : lines.slice(0, end)).join('\n');
  return /^Subject:/im.test(block) && /^From:/im.test(block);
}

/**
 * Whether the first line of `bytes` (after an mbox `From ` line) can be a header field, as
 * HEADER_LINE has it, read from the bytes: most plain files are not mail, and are told so without
 * copying and splitting their first 4 KiB.
 */
function startsWithHeaderField(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let i = 0;
  const from = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "
  if (n >= 5 && from.every((b, k) => bytes[k] === b)) {
    const nl = bytes.subarray(0, n).indexOf(0x0a);
    i = nl < 0 ? 0 : nl + 1;
  }
  let j = i;
  for (; j < n; j++) {
    const c = bytes[j];
    if (!((c >= 0x21 && c <= 0x39) || (c >= 0x3b && c <= 0x7e))) break;
  }
  return j > i && j < n && bytes[j] === 0x3a;
}

async function parse(
  bytes: Uint8Array,
  file: string,
  onError: (e: BadInputError) => void,
): Promise<ParsedDocument[]> {
  const ext = extensionOf(file);
  if (MBOX_EXTENSIONS.has(ext)) return parseMbox(bytes, file, onError);
  const parser = parserFor(file);
  // Maildir messages have no extension of their own ("1700000000.M1P1.host:2,S").
  if (parser === parsePlain && looksLikeMail(bytes)) return [await parseEml(bytes, file)];
  return [await parser(bytes, file)];
}

/**
 * What file `rel` of the tree (opened as `file`, the path errors name) comes to: see
 * {@link FileOutcome}. {@link checkFolderFile} first, then {@link readChangedFile}.
 */
export async function readFolderFile(
  file: string,
  rel: string,
  options: FileOptions = {},
): Promise<FileOutcome> {
  const checked = checkFolderFile(file, options);
  return checked.kind === 'read' ? readChangedFile(file, rel, options) : checked;
}

/** Whether `options.previous` says the file's passages are known to the index. */
function isKnown(options: FileOptions): boolean {
  return options.indexed === true || options.previous?.passages === 0;
}

/**
 * The part of a file's outcome a stat can tell (no read): unchanged (size and mtime as recorded),
 * skipped (not a regular file; binary as recorded), failed (gone), or `read` with the file's size
 * when it has to be read ({@link readChangedFile}). A file never seen is not stat'ed unless
 * `needSize` (its size is then known: `size`, else -1).
 */
export function checkFolderFile(
  file: string,
  options: FileOptions = {},
  needSize = false,
): Exclude<FileOutcome, { kind: 'indexed' }> | { kind: 'read'; size: number } {
  const prev = options.previous;
  // Synchronous calls: a file costs a stat (and, when changed, an open, a read and a close);
  // through promises each of them is a round trip to the thread pool, which for small files
  // costs more than the call itself.
  // A file seen before is first compared by a stat; a new one is opened straight away.
  if (prev === undefined && !needSize) return { kind: 'read', size: -1 };
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    return { kind: 'failed', reason: fsReason(err) };
  }
  if (!st.isFile()) return { kind: 'skipped', reason: 'not a regular file' };
  if (prev !== undefined && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
    if (prev.skipped !== undefined) return { kind: 'skipped', reason: prev.skipped, state: prev };
    if (isKnown(options)) return { kind: 'unchanged', state: prev, read: false };
  }
  return { kind: 'read', size: st.size };
}

/**
 * What a file that has to be read comes to: it is opened (a file larger than the limit is refused
 * from its size alone, never read), read and hashed (the hash recorded means unchanged), sniffed
 * for binary content, parsed and cut into passages. Pure of any index: builder threads run it.
 */
export async function readChangedFile(
  file: string,
  rel: string,
  options: FileOptions = {},
): Promise<FileOutcome> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const prev = options.previous;
  let bytes: Buffer;
  let state: FileState;
  let fd: number | undefined;
  try {
    // Non-blocking: a FIFO put where a file was walked must not hang the run (no effect on files).
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) return { kind: 'skipped', reason: 'not a regular file' };
    if (fst.size > max) {
      return {
        kind: 'skipped',
        reason: `too large: ${fst.size} bytes, the limit is ${max} (--max-file-size)`,
      };
    }
    bytes = readAll(fd, fst.size);
    state = { size: fst.size, mtimeMs: fst.mtimeMs };
  } catch (err) {
    return { kind: 'failed', reason: fsReason(err) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  state.hash = hash('sha256', bytes, 'hex');
  if (isKnown(options) && prev?.hash === state.hash) {
    return { kind: 'unchanged', state: { ...state, passages: prev.passages }, read: true };
  }
  if (extensionOf(file) !== 'pdf' && !MBOX_EXTENSIONS.has(extensionOf(file))) {
    const reason = binaryReason(bytes);
    if (reason) return { kind: 'skipped', reason, state: { ...state, skipped: reason } };
  }
  const problems: FileIssue[] = [];
  let parsed: ParsedDocument[];
  try {
    parsed = await parse(bytes, file, (e) =>
      problems.push({ path: e.source, reason: reasonOf(e, e.source) }),
    );
  } catch (err) {
    if (err instanceof BadInputError) return { kind: 'failed', reason: reasonOf(err, file) };
    return { kind: 'failed', reason: `cannot parse: ${(err as Error).message}` };
  }
  const docs: DocumentInput[] = [];
  const warnings: string[] = [];
  parsed.forEach((p, i) => {
    const id = parsed.length === 1 ? rel : `${rel}#m${i + 1}`; // one mbox message each
    const source = {
      id,
      title: p.title,
      text: p.text,
      meta: { ...p.meta, path: rel },
      headings: p.headings,
      pages: p.pages,
      firstLine: p.firstLine,
    };
    for (const passage of toPassages(source, options.passages)) docs.push(passageDocument(passage));
    if (p.warnings) warnings.push(...p.warnings);
  });
  state.passages = docs.length;
  return { kind: 'indexed', state, docs, bytes: bytes.length, warnings, problems };
}

/** A file to read and index elsewhere (a builder thread): its paths and {@link FileOptions}. */
export interface FileJob {
  /** The path errors name (the root as the user named it, joined with `rel`). */
  file: string;
  /** The path relative to the root, with `/`: passage ids start with it. */
  rel: string;
  options: FileOptions;
}

/**
 * What an indexed file came to, as plain data that crosses threads: a {@link FileOutcome} whose
 * passages went to an index, leaving their ids and the characters they held.
 */
export type FileResult =
  | Exclude<FileOutcome, { kind: 'indexed' }>
  | {
      kind: 'indexed';
      state: FileState;
      /** Ids of the passages added, in order (a passage the index refused is not among them). */
      ids: string[];
      chars: number;
      bytes: number;
      warnings: string[];
      /** Failed mbox messages, and passages the index refused (`path: passage id`). */
      problems: FileIssue[];
    };

/**
 * Reads file `job` ({@link readChangedFile}) and hands each of its passages to `add`; a passage
 * that `add` throws on is reported as a problem of the file, the others are kept.
 */
export async function indexFolderFile(job: FileJob, add: (doc: DocumentInput) => void): Promise<FileResult> {
  const got = await readChangedFile(job.file, job.rel, job.options);
  if (got.kind !== 'indexed') return got;
  const ids: string[] = [];
  const refused: FileIssue[] = [];
  let chars = 0;
  for (const doc of got.docs) {
    try {
      add(doc);
    } catch (err) {
      refused.push({ path: `${job.file}: passage ${doc.id}`, reason: (err as Error).message });
      continue;
    }
    ids.push(doc.id);
    chars += doc.text.length + (doc.title?.length ?? 0);
  }
  return {
    kind: 'indexed',
    state: got.state,
    ids,
    chars,
    bytes: got.bytes,
    warnings: got.warnings,
    problems: [...refused, ...got.problems],
  };
}

/** The file a passage id belongs to: the id without its passage hash (and mbox message number). */
export function fileOfId(id: string): string {
  // From the end: `#<12 hex>` (and `~k`), then an mbox message's `#m<i>`: a `#` in the path stays.
  const m = /^(.*?)(?:#m\d+)?#[0-9a-f]{12}(?:~\d+)?$/.exec(id);
  if (m) return m[1];
  const mbox = /^(.*)#m\d+$/.exec(id);
  return mbox ? mbox[1] : id;
}
