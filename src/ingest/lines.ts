/**
 * @module ingest/lines
 * Fast line reading for big text files (a 7 GB corpus.jsonl): large reads, split on the newline
 * byte (never part of a multi-byte UTF-8 sequence), decoded per line. Yields one batch of lines per
 * read so the per-line cost is a slice, not an await. About 4x faster than node:readline here.
 */

import { open } from 'node:fs/promises';
import { takeBuffer } from './buffer-pool.js';

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

/** A run of whole lines: its bytes (own ArrayBuffer, so it can be transferred) and first line's number. */
export interface LineChunk {
  bytes: Uint8Array;
  firstLine: number;
  lines: number;
}

/**
 * Yields a file as chunks of whole lines of about `chunkBytes` each (a longer line makes a longer
 * chunk). Each chunk owns its memory (taken from the buffer pool, where a builder thread may give
 * it back) and can be transferred to a worker thread without copying.
 */
export async function* readLineChunks(
  file: string,
  chunkBytes = 32 << 20,
): AsyncGenerator<LineChunk, void, undefined> {
  const handle = await open(file, 'r');
  try {
    let carry: Uint8Array = new Uint8Array(0);
    let firstLine = 1;
    for (;;) {
      const buf = takeBuffer(Math.max(chunkBytes, carry.length * 2));
      buf.set(carry, 0);
      let end = carry.length;
      let eof = false;
      while (end < buf.length) {
        const { bytesRead } = await handle.read(buf, end, buf.length - end, null);
        if (bytesRead === 0) {
          eof = true;
          break;
        }
        end += bytesRead;
      }
      let cut = eof ? end : buf.lastIndexOf(10, end - 1) + 1;
      if (cut === 0) cut = -1; // no newline in a full buffer: read on into a bigger one
      if (cut > 0) {
        const bytes = buf.subarray(0, cut);
        let lines = 0;
        for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
        if (bytes[cut - 1] !== 10) lines++;
        carry = new Uint8Array(buf.subarray(cut, end));
        yield { bytes, firstLine, lines };
        firstLine += lines;
      } else {
        carry = new Uint8Array(buf.subarray(0, end));
      }
      if (eof) return;
    }
  } finally {
    await handle.close();
  }
}
