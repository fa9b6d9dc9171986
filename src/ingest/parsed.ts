/**
 * @module ingest/parsed
 * What every file parser returns: a title, the text that passages and citations point into, the
 * metadata to store, and (when the format has them) headings and page starts as offsets into `text`.
 */

import * as path from 'node:path';
import type { MetaValue } from '../types.js';

/** A heading of the document: its level (1 = top), its title, and where its line starts in `text`. */
export interface ParsedHeading {
  level: number;
  title: string;
  offset: number;
}

/** Where page `page` (1-based) starts in `text`. */
export interface ParsedPage {
  page: number;
  offset: number;
}

export interface ParsedDocument {
  title: string;
  text: string;
  meta: Record<string, MetaValue | MetaValue[]>;
  /** Sorted by offset. */
  headings?: ParsedHeading[];
  /** Sorted by offset; the first page starts at 0. */
  pages?: ParsedPage[];
}

/** A parser: the file's bytes and its path (for titles, `meta.path` and error messages). */
export type Parser = (bytes: Uint8Array, path: string) => Promise<ParsedDocument>;

/** The file name without its extension: the title of last resort. */
export function baseTitle(file: string): string {
  return path.basename(file, path.extname(file));
}

/** The lower-cased extension without its dot (`''` when none). */
export function extensionOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}
