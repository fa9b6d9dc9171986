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
  /**
   * The line of the file on which `text` starts (1 = the first), when `text` is the file's own
   * lines (text, code, Markdown): passages then carry line numbers.
   */
  firstLine?: number;
  /** Problems that did not stop the file from being indexed (`invalid UTF-8: ...`). */
  warnings?: string[];
}

/** The warning for text decoded with replacement characters, or none. */
export function decodeWarnings(replaced: number | undefined): string[] | undefined {
  return replaced ? [`invalid UTF-8: ${replaced} bad byte sequences replaced by U+FFFD`] : undefined;
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
