/**
 * @module ingest/lines
 * Fast line reading for big text files (a 7 GB corpus.jsonl): large reads, split on the newline
 * byte (never part of a multi-byte UTF-8 sequence), decoded per line. Yields one batch of lines per
 * read so the per-line cost is a slice, not an await. About 4x faster than node:readline here.
 */

import { open } from 'node:fs/promises';

const CHUNK = 4 << 20;

/** Yields batches of lines (without line terminators; a trailing '\r' is removed). */
export async function* readLineBatches(file: string): AsyncGenerator<string[], void, undefined> {
  const handle = await open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    for (;;) {
      if (carry === buf.length) {
        // A single line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, carry, buf.length - carry, null);
      const end = carry + bytesRead;
      const lines: string[] = [];
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= end) break;
        const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
        lines.push(buf.toString('utf8', start, stop));
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start < end) lines.push(buf.toString('utf8', start, end));
        if (lines.length) yield lines;
        return;
      }
      // Keep the incomplete last line for the next read.
      carry = end - start;
      buf.copy(buf, 0, start, end);
      if (lines.length) yield lines;
    }
  } finally {
    await handle.close();
  }
}
