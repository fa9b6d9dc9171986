/**
 * @module expand/resource-file
 * The binary file every expansion resource is cached in: a header, a section table and 8-byte
 * aligned sections, so a reader makes typed-array views on one buffer and copies nothing.
 *
 *   File    --> Magic(8) Version(u32) Length(u32) Crc32(u32) Count(u32) Table Sections
 *   Table   --> (Offset(u32) Length(u32)) × Count        offsets from the start of the file
 *   Crc32   --> CRC-32 of every byte after the Crc32 field (Count, Table and Sections)
 *
 * Little-endian, as typed arrays are on every platform Node runs on. A write goes to a unique temp
 * file that is renamed over the target, so readers see the old file or the new one, never a torn
 * one; a file that fails its magic, version, length or checksum test reads as `undefined`.
 */

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { crc32 } from '../index/codec/crc32.js';

const HEADER_BYTES = 24;
const CRC_START = 20;

/** A section to write: any typed array, written as its bytes. */
export type Section = ArrayBufferView;

function bytesOf(section: Section): Uint8Array {
  return new Uint8Array(section.buffer, section.byteOffset, section.byteLength);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Lays out a resource file in memory. `magic` is 8 ASCII characters at most. */
export function encodeResource(magic: string, version: number, sections: readonly Section[]): Uint8Array {
  const tableEnd = HEADER_BYTES + 8 * sections.length;
  let length = align8(tableEnd);
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(length);
    length = align8(length + s.byteLength);
  }
  if (length > 0xffffffff) throw new RangeError(`resource file: ${length} bytes, more than 4 GiB`);
  const file = new Uint8Array(length);
  const view = new DataView(file.buffer);
  file.set(Buffer.from(magic.padEnd(8, '\0').slice(0, 8), 'latin1'), 0);
  view.setUint32(8, version, true);
  view.setUint32(12, length, true);
  view.setUint32(20, sections.length, true);
  sections.forEach((s, i) => {
    view.setUint32(HEADER_BYTES + 8 * i, offsets[i], true);
    view.setUint32(HEADER_BYTES + 8 * i + 4, s.byteLength, true);
    file.set(bytesOf(s), offsets[i]);
  });
  view.setUint32(16, crc32(file.subarray(CRC_START)), true);
  return file;
}

/**
 * The sections of a resource file held in `file`, as byte views on its buffer (8-byte aligned when
 * `file` starts at an 8-byte aligned offset), or `undefined` when the file is not a whole, valid
 * file of this magic and version.
 */
export function decodeResource(file: Uint8Array, magic: string, version: number): Uint8Array[] | undefined {
  if (file.length < HEADER_BYTES) return undefined;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const expected = Buffer.from(magic.padEnd(8, '\0').slice(0, 8), 'latin1');
  for (let i = 0; i < 8; i++) if (file[i] !== expected[i]) return undefined;
  if (view.getUint32(8, true) !== version) return undefined;
  if (view.getUint32(12, true) !== file.length) return undefined;
  if (view.getUint32(16, true) !== crc32(file.subarray(CRC_START))) return undefined;
  const count = view.getUint32(20, true);
  if (HEADER_BYTES + 8 * count > file.length) return undefined;
  const sections: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(HEADER_BYTES + 8 * i, true);
    const len = view.getUint32(HEADER_BYTES + 8 * i + 4, true);
    if (offset + len > file.length) return undefined;
    sections.push(file.subarray(offset, offset + len));
  }
  return sections;
}

/** Writes `bytes` to `file` atomically: a unique temp file in the same folder, then a rename. */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Reads a whole file into a fresh, 8-byte aligned buffer (so typed-array views on its sections
 * need no copy), or `undefined` when there is no such file.
 */
export async function readFileAligned(file: string): Promise<Uint8Array | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(bytes, done, Math.min(size - done, 1 << 30), done);
      if (bytesRead === 0) return bytes.subarray(0, done);
      done += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** A section as 32-bit unsigned integers (its offset must be 4-byte aligned, as written). */
export function asUint32(section: Uint8Array): Uint32Array {
  return new Uint32Array(section.buffer, section.byteOffset, section.byteLength >>> 2);
}

/** A section as 32-bit floats. */
export function asFloat32(section: Uint8Array): Float32Array {
  return new Float32Array(section.buffer, section.byteOffset, section.byteLength >>> 2);
}

/** A section as signed bytes. */
export function asInt8(section: Uint8Array): Int8Array {
  return new Int8Array(section.buffer, section.byteOffset, section.byteLength);
}
