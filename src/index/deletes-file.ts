/**
 * @module index/deletes-file
 * A segment's deleted documents, one byte per document (1 = deleted), in a container file named
 * `<segment>.<generation>.del`. A new file is written when deletes change; the manifest names the
 * current one.
 */

import { CorruptIndexError } from '../errors.js';
import { readContainer, writeContainer } from './container.js';

const MAGIC = 'FNLDEL';
const VERSION = 1;

export function writeDeletes(file: string, deleted: Uint8Array): number {
  return writeContainer(file, MAGIC, VERSION, [deleted]);
}

export function readDeletes(file: string, docCount: number): Uint8Array {
  const { body } = readContainer(file, MAGIC, VERSION);
  if (body.length !== docCount) {
    throw new CorruptIndexError(file, `deletes length: actual ${body.length} vs expected ${docCount}`);
  }
  return body;
}
