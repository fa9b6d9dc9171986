/**
 * @module ingest/folder
 * A folder tree → passages to index, file by file. Every regular file is read (hidden entries,
 * node_modules and symlinks skipped; larger than {@link MAX_FILE_BYTES} refused): PDF, HTML,
 * Markdown, mail (.eml, maildir files recognized by their headers, .mbox as one document per
 * message), else text and code, with binaries refused by content. Each document is cut into
 * passages whose ids start with the file's path and `#`, so a re-run can tell which passages of a
 * file are gone. A file that cannot be used is reported with its path and reason and skipped.
 */

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { BadInputError } from '../errors.js';
import type { DocumentInput } from '../types.js';
import { binaryReason } from './binary.js';
import { parseEml, parseMbox } from './mail.js';
import { MBOX_EXTENSIONS, parserFor } from './parse-file.js';
import { extensionOf, type ParsedDocument } from './parsed.js';
import { type PassageOptions, passageDocument, toPassages } from './passages.js';
import { parsePlain } from './plain.js';
import type { FileState } from './sync-state.js';

/** Files larger than this are reported and skipped. */
export const MAX_FILE_BYTES = 64 << 20;

/** What one file became: its path relative to the root, its size and mtime, and its passages. */
export interface FolderFile {
  file: string;
  state: FileState;
  docs: DocumentInput[];
  /** `skip` said the file is unchanged: it was not read, `docs` is empty. */
  skipped: boolean;
}

export interface FolderOptions {
  onError?: (err: BadInputError) => void;
  passages?: PassageOptions;
  /** Called with every file found, before it is read (so a failing file still counts as present). */
  onFile?: (file: string) => void;
  /** True when a file need not be read again (unchanged since the last run). */
  skip?: (file: string, state: FileState) => boolean;
}

/** Every regular file under `root`, sorted (hidden entries, node_modules and symlinks skipped). */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** A file without a known extension whose first lines are mail headers (a maildir message). */
function looksLikeMail(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return (
    /^(Return-Path|Received|Delivered-To|Message-ID|From|Date|Subject):/im.test(head) &&
    /^Subject:/im.test(head) &&
    /^From:/im.test(head)
  );
}

async function parse(
  bytes: Uint8Array,
  file: string,
  onError?: (e: BadInputError) => void,
): Promise<ParsedDocument[]> {
  const ext = extensionOf(file);
  if (MBOX_EXTENSIONS.has(ext)) return parseMbox(bytes, file, onError);
  if (ext !== 'pdf') {
    const reason = binaryReason(bytes);
    if (reason) throw new BadInputError(file, `skipped: ${reason}`);
  }
  const parser = parserFor(file);
  // Maildir messages have no extension of their own ("1700000000.M1P1.host:2,S").
  if (parser === parsePlain && looksLikeMail(bytes)) return [await parseEml(bytes, file)];
  return [await parser(bytes, file)];
}

/** The files of `root` as passages, one file at a time. */
export async function* readFolder(root: string, options: FolderOptions = {}): AsyncGenerator<FolderFile> {
  for (const full of await listFiles(root)) {
    const file = path.relative(root, full).split(path.sep).join('/');
    try {
      options.onFile?.(file);
      const st = await fs.stat(full);
      const state = { size: st.size, mtimeMs: st.mtimeMs };
      if (options.skip?.(file, state)) {
        yield { file, state, docs: [], skipped: true };
        continue;
      }
      if (st.size > MAX_FILE_BYTES)
        throw new BadInputError(full, `too large: ${st.size} bytes > ${MAX_FILE_BYTES}`);
      const bytes = await fs.readFile(full);
      const parsed = await parse(bytes, full, options.onError);
      const docs: DocumentInput[] = [];
      parsed.forEach((p, i) => {
        const id = parsed.length === 1 ? file : `${file}#m${i + 1}`; // one mbox message each
        const source = {
          id,
          title: p.title,
          text: p.text,
          meta: { ...p.meta, path: file },
          headings: p.headings,
          pages: p.pages,
        };
        for (const passage of toPassages(source, options.passages)) docs.push(passageDocument(passage));
      });
      yield { file, state, docs, skipped: false };
    } catch (err) {
      const bad =
        err instanceof BadInputError
          ? err
          : new BadInputError(full, `cannot read: ${(err as Error).message}`);
      if (options.onError) options.onError(bad);
      else throw bad;
    }
  }
}

/** The file a passage id belongs to (the part before the first `#`). */
export function fileOfId(id: string): string {
  const at = id.indexOf('#');
  return at < 0 ? id : id.slice(0, at);
}
