/**
 * @module index/manifest
 * The MANIFEST names everything a committed index consists of: its options, the segment files per
 * shard with their deletes files, and the current WAL. It is replaced atomically (container write:
 * tmp + fsync + rename + dir fsync), so an index on disk is always exactly one consistent commit.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorruptIndexError } from '../errors.js';
import { ByteReader } from './codec/byte-reader.js';
import { ByteWriter } from './codec/byte-writer.js';
import { readContainer, writeContainer } from './container.js';

export const MANIFEST_FILE = 'MANIFEST';
const MAGIC = 'FNLMAN';
const VERSION = 1;

export interface SegmentEntry {
  shard: number;
  seq: number;
  file: string;
  docCount: number;
  bytes: number;
  deletes: string | null;
}

export interface Manifest {
  /** Increases with every manifest written. */
  generation: number;
  /** The index's fixed settings (shard count, analyzer, fields). */
  settings: IndexSettings;
  segments: SegmentEntry[];
  /** WAL file holding operations newer than the segments (relative name). */
  wal: string;
  nextSeq: number;
}

export interface IndexSettings {
  shards: number;
  fields: string[];
  analyzer: { language: string; stopwords: boolean | string[]; stem: boolean };
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const w = new ByteWriter(1024);
  w.writeString(JSON.stringify(manifest));
  writeContainer(path.join(dir, MANIFEST_FILE), MAGIC, VERSION, [w.finish()]);
}

/**
 * A string that changes whenever the index's committed state does (the manifest's generation and
 * the length of its write-ahead log), or null when `dir` holds no index: a folder sync records it
 * to know, without opening the index, that nobody changed the index since.
 */
export function indexVersion(dir: string): string | null {
  const m = readManifest(dir);
  if (!m) return null;
  let wal = 0;
  try {
    wal = fs.statSync(path.join(dir, m.wal)).size;
  } catch {
    // no log yet
  }
  return `${m.generation}:${wal}`;
}

/** Reads the manifest, or returns null when the directory holds no index yet. */
export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  const { body } = readContainer(file, MAGIC, VERSION);
  try {
    const m = JSON.parse(new ByteReader(body).readString()) as Manifest;
    if (!Array.isArray(m.segments) || typeof m.wal !== 'string' || !m.settings)
      throw new Error('missing fields');
    return m;
  } catch (err) {
    throw new CorruptIndexError(file, `unreadable manifest: ${(err as Error).message}`);
  }
}
