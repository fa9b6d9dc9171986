/**
 * @module ingest/sync-state
 * What a folder looked like when it was last indexed into an index: each file's size, mtime,
 * content hash and passage count, in a small JSON file beside the index (`ingest-<hash of the
 * folder path>.json`), written atomically after the commit that made those files' passages
 * durable. A re-run reads only files whose size or mtime changed, parses only those whose hash
 * changed, and deletes the passages of files that are gone. A missing or unreadable state file
 * means "index everything again", never an error.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileState {
  size: number;
  mtimeMs: number;
  /** SHA-256 of the content (hex), when the file was read. */
  hash?: string;
  /** How many passages it gave (0: nothing to index, so no passage shows it is indexed). */
  passages?: number;
  /** Why it was skipped for its content (binary), so an unchanged copy is not read again. */
  skipped?: string;
}

export interface SyncState {
  root: string;
  files: Record<string, FileState>;
  /** The index's version (`indexVersion`) when this state was saved, after its commit. */
  index?: string;
}

/** The state file of folder `root` in index `indexDir`. */
export function stateFile(indexDir: string, root: string): string {
  const abs = path.resolve(root);
  let h = 0x811c9dc5;
  for (let i = 0; i < abs.length; i++) h = Math.imul(h ^ abs.charCodeAt(i), 0x01000193);
  return path.join(indexDir, `ingest-${(h >>> 0).toString(16).padStart(8, '0')}.json`);
}

export function readSyncState(file: string, root: string): SyncState | null {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as SyncState;
    if (s.root !== path.resolve(root) || typeof s.files !== 'object' || s.files === null) return null;
    return s;
  } catch {
    return null;
  }
}

/** Writes the state durably (temp file, fsync, rename, directory fsync). */
export function writeSyncState(file: string, state: SyncState): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
