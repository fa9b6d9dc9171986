/**
 * @module index/wal
 * The write-ahead log: every add and delete since the last flush, so that `commit()` is one
 * sequential write and one fsync. Layout:
 *
 *   Wal    --> Record*
 *   Record --> Length(u32) Crc32(u32 of Payload) Payload
 *   Payload --> 0x01 DocumentJSON | 0x02 IdUTF8
 *
 * A crash can leave a torn tail (records written but never fsynced, so never acknowledged). Replay
 * stops at the first record that is short or fails its checksum and reports the dropped bytes; the
 * file is cut there before new records are appended.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentInput } from '../types.js';
import { crc32 } from './codec/crc32.js';
import { fsyncDir, readWhole } from './container.js';

const ADD = 1;
const DELETE = 2;
/** Pending records are written (not fsynced) once they exceed this, to bound memory. */
const WRITE_THRESHOLD = 4 << 20;

export type WalOp = { type: 'add'; doc: DocumentInput } | { type: 'delete'; id: string };

export interface WalReplay {
  ops: number;
  /** Bytes after the last valid record (a torn tail), dropped. */
  droppedBytes: number;
  validBytes: number;
}

export class Wal {
  readonly file: string;
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes in the file (written, maybe not yet synced). */
  size: number;

  private constructor(file: string, fd: number, size: number) {
    this.file = file;
    this.fd = fd;
    this.size = size;
  }

  /** Opens (creating) a WAL for appending, cut to `validBytes`. */
  static open(file: string, validBytes = 0): Wal {
    const existed = fs.existsSync(file);
    const fd = fs.openSync(file, existed ? 'r+' : 'w+');
    fs.ftruncateSync(fd, validBytes);
    if (!existed) fsyncDir(path.dirname(file));
    return new Wal(file, fd, validBytes);
  }

  /** Reads every valid record of a WAL file, in order. */
  static replay(file: string, apply: (op: WalOp) => void): WalReplay {
    if (!fs.existsSync(file)) return { ops: 0, droppedBytes: 0, validBytes: 0 };
    const bytes = readWhole(file);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    let ops = 0;
    while (pos + 8 <= bytes.length) {
      const len = view.getUint32(pos, true);
      const crc = view.getUint32(pos + 4, true);
      if (len === 0 || pos + 8 + len > bytes.length) break;
      const payload = bytes.subarray(pos + 8, pos + 8 + len);
      if (crc32(payload) !== crc) break;
      const body = Buffer.from(payload.buffer, payload.byteOffset + 1, len - 1).toString('utf8');
      if (payload[0] === ADD) apply({ type: 'add', doc: JSON.parse(body) });
      else if (payload[0] === DELETE) apply({ type: 'delete', id: body });
      else break;
      ops++;
      pos += 8 + len;
    }
    return { ops, droppedBytes: bytes.length - pos, validBytes: pos };
  }

  append(op: WalOp): void {
    const body = op.type === 'add' ? JSON.stringify(op.doc) : op.id;
    const payload = Buffer.from(`\0${body}`, 'utf8');
    payload[0] = op.type === 'add' ? ADD : DELETE;
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    this.pending.push(header, payload);
    this.pendingBytes += 8 + payload.length;
    if (this.pendingBytes >= WRITE_THRESHOLD) this.write();
  }

  /** Writes pending records and fsyncs: after this returns, every appended op survives a crash. */
  sync(): void {
    this.write();
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private write(): void {
    if (this.pendingBytes === 0) return;
    const all = Buffer.concat(this.pending, this.pendingBytes);
    let off = 0;
    while (off < all.length) off += fs.writeSync(this.fd, all, off, all.length - off, this.size + off);
    this.size += all.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
