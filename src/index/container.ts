/**
 * @module index/container
 * Every file the index writes is a container:
 *
 *   File   --> Magic(8) Version(u32) Body Footer
 *   Footer --> Crc32(u32 of everything before it) "FEND"
 *
 * Writes are crash safe: bytes go to `<name>.tmp`, are fsynced, renamed over `<name>`, and the
 * directory is fsynced. Reads check length, magic, version and checksum, and throw
 * CorruptIndexError / IndexFormatError naming the file: a half-valid file is never loaded.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorruptIndexError, IndexFormatError } from '../errors.js';
import { crc32 } from './codec/crc32.js';

export const FOOTER_MAGIC = 0x444e4546; // "FEND" little-endian
export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 8;

/** Writes `chunks` as a container file, durably and atomically. Returns the file size. */
export function writeContainer(
  file: string,
  magic: string,
  version: number,
  chunks: readonly Uint8Array[],
): number {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let size = 0;
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(magic.padEnd(8, '\0').slice(0, 8), 0, 'latin1');
    header.writeUInt32LE(version, 8);
    let crc = crc32(header);
    size += writeAll(fd, header);
    for (const chunk of chunks) {
      crc = crc32(chunk, crc);
      size += writeAll(fd, chunk);
    }
    const footer = Buffer.alloc(FOOTER_BYTES);
    footer.writeUInt32LE(crc, 0);
    footer.writeUInt32LE(FOOTER_MAGIC, 4);
    size += writeAll(fd, footer);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
  return size;
}

function writeAll(fd: number, bytes: Uint8Array): number {
  let off = 0;
  while (off < bytes.length) {
    off += fs.writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
  }
  return bytes.length;
}

/** fsyncs a directory so that a rename or a new file in it survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is then as durable as the OS makes it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Reads `into.length` bytes at `position`; a short read means the file is shorter than it says. */
export function readAt(fd: number, into: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
    if (n === 0)
      throw new CorruptIndexError(file, `short read: ${done} of ${into.length} bytes at ${position}`);
    done += n;
  }
}

/** Reads a whole file into one 8-byte-aligned Uint8Array (files over 2 GB are read in pieces). */
export function readWhole(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    // Not zero-filled (every byte is read over), and its own ArrayBuffer (8-byte aligned views).
    const buf = Buffer.allocUnsafeSlow(size);
    const out = new Uint8Array(buf.buffer, buf.byteOffset, size);
    readAt(fd, out, 0, file);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks a container's magic and version (the first 12 bytes of `head`). */
export function checkHeader(head: Uint8Array, file: string, magic: string, version: number): void {
  const actualMagic = Buffer.from(head.subarray(0, 8)).toString('latin1').replace(/\0+$/, '');
  const expected = magic.replace(/\0+$/, '');
  if (actualMagic !== expected) {
    throw new CorruptIndexError(
      file,
      `bad magic: actual ${JSON.stringify(actualMagic)} vs expected ${JSON.stringify(expected)}`,
    );
  }
  const actualVersion = new DataView(head.buffer, head.byteOffset, 12).getUint32(8, true);
  if (actualVersion !== version) throw new IndexFormatError(file, actualVersion, version);
}

/**
 * Checks a footer (the last 8 bytes): its magic, and, unless `actual` is null, the stored checksum
 * against `actual`, the checksum of everything before it.
 */
export function checkFooter(footer: Uint8Array, file: string, actual: number | null): void {
  const view = new DataView(footer.buffer, footer.byteOffset, FOOTER_BYTES);
  if (view.getUint32(4, true) !== FOOTER_MAGIC) {
    throw new CorruptIndexError(file, 'missing footer: the file is truncated or was not completely written');
  }
  const stored = view.getUint32(0, true);
  if (actual !== null && stored !== actual) {
    throw new CorruptIndexError(
      file,
      `checksum mismatch: actual crc32=${hex(actual)} vs stored ${hex(stored)}`,
    );
  }
}

/** Reads and checks a container; returns the body (a view, no copy) and the file size. */
export function readContainer(
  file: string,
  magic: string,
  version: number,
): { body: Uint8Array; fileBytes: number } {
  const bytes = readWhole(file);
  if (bytes.length < HEADER_BYTES + FOOTER_BYTES) {
    throw new CorruptIndexError(
      file,
      `truncated: ${bytes.length} bytes, expected at least ${HEADER_BYTES + FOOTER_BYTES}`,
    );
  }
  checkHeader(bytes, file, magic, version);
  const end = bytes.length - FOOTER_BYTES;
  checkFooter(bytes.subarray(end), file, crc32(bytes.subarray(0, end)));
  return { body: bytes.subarray(HEADER_BYTES, end), fileBytes: bytes.length };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
