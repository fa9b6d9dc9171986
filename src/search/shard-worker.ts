/**
 * @module search/shard-worker
 * A search thread: scores the shards given to it over the segment bytes the main thread loaded
 * into shared memory (`Segment.shared`), and answers each search with its top k as places
 * (segment seq, doc), scores and tie keys. See search/shard-threads for the protocol.
 */

import { type MessagePort, parentPort } from 'node:worker_threads';
import type { Segment } from '../index/segment.js';
import { parseSegmentHead } from '../index/segment-file.js';
import type { SegmentState } from '../index/shard.js';
import { computeFeatures } from './features.js';
import { Carry, type CarryUse, searchShards } from './searcher.js';
import { buffersOf, type ShardRequest, type ShardSegment } from './shard-threads.js';

interface Start {
  port: MessagePort;
  flag: SharedArrayBuffer;
  fields: string[];
}

parentPort?.once('message', ({ port, flag, fields }: Start) => {
  const done = new Int32Array(flag);
  const shards = new Map<number, SegmentState[]>();
  /** Per shard, its segments parsed so far, by seq. */
  const parsedOf = new Map<number, Map<number, Segment>>();
  const carries = new Map<string, Carry>();

  const sync = (shard: number, segments: readonly ShardSegment[]) => {
    let parsed = parsedOf.get(shard);
    if (!parsed) {
      parsed = new Map();
      parsedOf.set(shard, parsed);
    }
    const live = new Set(segments.map((s) => s.seq));
    for (const seq of parsed.keys()) if (!live.has(seq)) parsed.delete(seq);
    shards.set(
      shard,
      segments.map((s) => {
        let segment = parsed.get(s.seq);
        if (!segment) {
          segment = parseSegmentHead(s.shared, fields);
          parsed.set(s.seq, segment);
        }
        return {
          seq: s.seq,
          segment,
          deleted: s.deleted,
          deletedCount: 0,
          file: null,
          deletesFile: null,
          deletesDirty: false,
        };
      }),
    );
  };

  /** Shards whose last sync failed, with why: their searches answer with the error. */
  const broken = new Map<number, string>();

  port.on('message', (msg: ShardRequest) => {
    if (msg.op === 'sync') {
      try {
        sync(msg.shard, msg.segments);
        broken.delete(msg.shard);
      } catch (err) {
        broken.set(msg.shard, (err as Error).message);
      }
      return;
    }
    if (msg.op === 'release') {
      for (const [key, carry] of carries) {
        if (!key.startsWith(`${msg.token}:`)) continue;
        carry.release();
        carries.delete(key);
      }
      return;
    }
    try {
      const failed = broken.get(msg.shard);
      if (failed !== undefined) throw new Error(`shard ${msg.shard}: ${failed}`);
      const segments = shards.get(msg.shard) ?? [];
      if (msg.op === 'features') {
        const features = computeFeatures(
          [{ segments }],
          msg.fields,
          msg.params,
          msg.refs,
          msg.terms,
          msg.options,
        );
        port.postMessage({ ok: true, features }, [features.values.buffer as ArrayBuffer]);
        return;
      }
      let use: CarryUse | undefined;
      // One carry per query and shard: a thread may score several shards of one query.
      const key = msg.carry ? `${msg.carry.token}:${msg.shard}` : '';
      if (msg.carry) {
        let carry = carries.get(key);
        if (!carry) {
          carry = new Carry();
          carries.set(key, carry);
        }
        if (msg.carry.mode === 'keep') {
          carry.release();
          use = { carry, mode: 'keep' };
        } else use = { carry, mode: 'resume', from: msg.carry.from };
      }
      const hits = searchShards([{ segments }], [msg.shard], msg.plan, msg.k, use);
      if (use?.mode === 'resume') carries.delete(key);
      const { scores, keys, seqs, docs, shards: numbers } = hits;
      const buffers = buffersOf(scores, keys, seqs, docs, numbers);
      port.postMessage({ ok: true, hits }, buffers);
    } catch (err) {
      port.postMessage({ ok: false, error: (err as Error).message });
    } finally {
      Atomics.add(done, 0, 1);
      Atomics.notify(done, 0);
    }
  });
});
