/**
 * @module eval/collections
 * Finds the judged BEIR collections of a folder: the sub-folders holding `corpus.jsonl`,
 * `queries.jsonl` and `qrels.tsv`. A missing folder, or a collection missing one of the files, is a
 * BadInputError that names it.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BadInputError } from '../errors.js';

export const COLLECTION_FILES = ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv'] as const;

/** Throws BadInputError naming `dir` and the first missing file unless it is a judged BEIR collection. */
export function checkCollection(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new BadInputError(dir, 'no such folder');
  }
  if (!st.isDirectory()) throw new BadInputError(dir, 'not a folder (expected a BEIR collection folder)');
  for (const file of COLLECTION_FILES) {
    if (!fs.existsSync(path.join(dir, file))) {
      throw new BadInputError(dir, `not a judged BEIR collection: ${file} is missing`);
    }
  }
}

/** The judged collections directly under `folder`, sorted by name; throws when there is none. */
export function listCollections(folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (err) {
    throw new BadInputError(folder, `cannot read the folder: ${(err as Error).message}`);
  }
  const found = entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(folder, e.name))
    .filter((dir) => COLLECTION_FILES.every((f) => fs.existsSync(path.join(dir, f))))
    .sort();
  if (found.length === 0) {
    throw new BadInputError(
      folder,
      `no judged collection here (a sub-folder with ${COLLECTION_FILES.join(', ')})`,
    );
  }
  return found;
}
