/**
 * @module ingest/text-folder
 * A folder of plain text and Markdown files → documents. The id is the path relative to the folder
 * (stable across runs, so indexing again updates in place); the title is a Markdown file's first
 * heading, else the file name. Richer formats (HTML, PDF, mail) come through other sources.
 */

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { BadInputError } from '../errors.js';
import type { DocumentInput } from '../types.js';

export const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.markdown', '.text', '.rst']);

/** Files larger than this are reported and skipped (they are rarely prose). */
const MAX_FILE_BYTES = 64 << 20;

export interface FolderOptions {
  onError?: (err: BadInputError) => void;
}

/** Lists text files under `root` (sorted, hidden entries and symlinked folders skipped). */
export async function listTextFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && TEXT_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
    }
  };
  await walk(root);
  return out;
}

export async function* readTextFolder(
  root: string,
  options: FolderOptions = {},
): AsyncGenerator<DocumentInput> {
  const files = await listTextFiles(root);
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    try {
      const st = await fs.stat(file);
      if (st.size > MAX_FILE_BYTES)
        throw new BadInputError(file, `too large: ${st.size} bytes > ${MAX_FILE_BYTES}`);
      const bytes = await fs.readFile(file);
      if (bytes.subarray(0, 8192).includes(0))
        throw new BadInputError(file, 'binary content (NUL bytes) in a text file');
      const text = new TextDecoder('utf-8').decode(bytes);
      yield {
        id: rel,
        title: titleOf(text, file),
        text,
        meta: { path: rel, type: path.extname(file).slice(1).toLowerCase() },
      };
    } catch (err) {
      const bad =
        err instanceof BadInputError
          ? err
          : new BadInputError(file, `cannot read: ${(err as Error).message}`);
      if (options.onError) options.onError(bad);
      else throw bad;
    }
  }
}

function titleOf(text: string, file: string): string {
  const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text.slice(0, 4096));
  return heading ? heading[1].trim() : path.basename(file, path.extname(file));
}
