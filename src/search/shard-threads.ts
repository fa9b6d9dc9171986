/**
 * @module search/shard-threads
 * Shards scored on other cores. A search thread (search/shard-worker) is given shards whose
 * segments were loaded from files into shared memory, so it views the same index bytes without a
 * copy; the main thread scores shard 0 (and any shard a thread cannot take) while the threads
 * score theirs, then waits for them. Searches stay synchronous: the main thread blocks on an
 * `Atomics.wait` for each answer and takes it with `receiveMessageOnPort`.
 *
 * Protocol, over one MessageChannel per thread, in order:
 *   sync    {shard, segments: [{seq, shared, deleted}]}  the shard's segments (sent when they or
 *           their deletions changed since the last search)
 *   search  {shard, plan, k, carry?}  answered with the shard's top k, unsorted, as places
 *   release {token}                   drop the scores a feedback first pass kept
 * A thread that fails or does not answer in time is stopped, and its shards are scored here from
 * then on (a resumed feedback pass then scores its whole query, which ranks the same).
 */

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SharedHead } from '../index/segment.js';
import type { Shard } from '../index/shard.js';
import type { Bm25Params } from './bm25.js';
import type { FeatureMatrix, FeatureOptions, FeatureTerm } from './features.js';
import type { Plan } from './plan.js';
import type { CandidatePlaces, Carry, ShardHits } from './searcher.js';

/** A segment as a search thread receives it. */
export interface ShardSegment {
  seq: number;
  shared: SharedHead;
  deleted: Uint8Array | null;
}

export type ShardRequest =
  | { op: 'sync'; shard: number; segments: ShardSegment[] }
  | { op: 'release'; token: number }
  | {
      op: 'search';
      shard: number;
      plan: Plan;
      k: number;
      carry: { token: number; mode: 'keep' } | { token: number; mode: 'resume'; from: number } | null;
    }
  | FeaturesJob;

/** Features of some candidates of one shard (search/features over that shard alone). */
export interface FeaturesJob {
  op: 'features';
  shard: number;
  fields: readonly string[];
  params: Bm25Params;
  refs: CandidatePlaces;
  terms: readonly FeatureTerm[];
  options: FeatureOptions;
}

type Reply =
  | { ok: true; hits: ShardHits }
  | { ok: true; features: FeatureMatrix }
  | { ok: false; error: string };

/** The buffers under typed arrays, each once (columns may share one), to transfer with a message. */
export function buffersOf(...arrays: ArrayBufferView[]): ArrayBuffer[] {
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** How long the main thread waits for an answer before it scores the shard itself. */
const ANSWER_MS = 60_000;

interface Thread {
  worker: Worker;
  port: MessagePort;
  done: Int32Array;
  /** Per shard, the segments and deletions it was last sent (seq:deletedCount list). */
  synced: Map<number, string>;
  /** Carry tokens this thread holds scores for. */
  carries: Set<number>;
}

/** A search in flight: the thread that will answer it. */
export type Pending = Thread;

export class ShardThreads {
  private readonly threads: Thread[] = [];
  private broken = false;

  private readonly script: URL | null;

  /**
   * Up to `count` search threads, started at the first search one can help (a one-shot search of
   * an index built in memory never starts them); none when the worker script is not built.
   */
  constructor(
    private readonly count: number,
    private readonly fields: readonly string[],
  ) {
    const script = new URL('./shard-worker.js', import.meta.url);
    this.script = count > 0 && fs.existsSync(fileURLToPath(script)) ? script : null;
  }

  /** Search threads there are or will be. */
  get size(): number {
    return this.broken || !this.script ? 0 : this.count;
  }

  private startThreads(script: URL): void {
    for (let i = 0; i < this.count; i++) {
      const worker = new Worker(script);
      const { port1, port2 } = new MessageChannel();
      const flag = new SharedArrayBuffer(4);
      worker.postMessage({ port: port2, flag, fields: [...this.fields] }, [port2]);
      worker.on('error', () => {
        this.broken = true;
      });
      worker.unref();
      port1.unref();
      this.threads.push({
        worker,
        port: port1,
        done: new Int32Array(flag),
        synced: new Map(),
        carries: new Set(),
      });
    }
  }

  /**
   * Starts scoring shard `index` on a thread and returns the search in flight, or null when no
   * thread can take it (shard 0 stays here; a segment not in shared memory keeps its shard here).
   */
  start(
    index: number,
    shard: Shard,
    plan: Plan,
    k: number,
    carry: Carry | null,
    from: number | null,
  ): Pending | null {
    const thread = this.take(index, shard);
    if (!thread) return null;
    let wire: Extract<ShardRequest, { op: 'search' }>['carry'] = null;
    if (carry) {
      const token = carry.id;
      thread.carries.add(token);
      carry.onRelease = () => this.release(token);
      wire = from === null ? { token, mode: 'keep' } : { token, mode: 'resume', from };
    }
    this.post(thread, { op: 'search', shard: index, plan, k, carry: wire });
    return thread;
  }

  /** Waits for a search started with `start`; null when the thread failed (score it here then). */
  finish(p: Pending): ShardHits | null {
    const reply = this.answer(p);
    return reply?.ok && 'hits' in reply ? reply.hits : null;
  }

  /** Starts computing the features of shard `index`'s candidates on a thread (null: none can). */
  startFeatures(index: number, shard: Shard, job: Omit<FeaturesJob, 'op' | 'shard'>): Pending | null {
    const thread = this.take(index, shard);
    if (!thread) return null;
    // The candidate columns are the job's own: moved, not copied (copying 15,000 rows delayed the
    // thread's start by ~0.7 ms).
    const { scores, shards, seqs, docs } = job.refs;
    this.post(thread, { op: 'features', shard: index, ...job }, buffersOf(scores, shards, seqs, docs));
    return thread;
  }

  /** Waits for features started with `startFeatures`; null when the thread failed. */
  finishFeatures(p: Pending): FeatureMatrix | null {
    const reply = this.answer(p);
    return reply?.ok && 'features' in reply ? reply.features : null;
  }

  /** The thread for shard `index`, its view of the shard brought up to date; null if none can. */
  private take(index: number, shard: Shard): Thread | null {
    if (this.broken || index === 0 || !this.script) return null;
    if (!shard.segments.every((s) => s.segment.shared)) return null;
    if (this.threads.length === 0) this.startThreads(this.script);
    const thread = this.threads[(index - 1) % this.threads.length];
    const state = shard.segments.map((s) => `${s.seq}:${s.deletedCount}`).join(',');
    if (thread.synced.get(index) !== state) {
      const segments = shard.segments.map((s) => ({
        seq: s.seq,
        shared: s.segment.shared as SharedHead,
        deleted: s.deleted ? Uint8Array.from(s.deleted) : null,
      }));
      this.post(thread, { op: 'sync', shard: index, segments });
      thread.synced.set(index, state);
    }
    return thread;
  }

  /**
   * The thread's next answer (a thread answers in the order it was asked); null, and every thread
   * stopped, when it failed or took too long. The thread counts its answers in `done` after
   * posting each, so an answer not on the port yet is waited for while the count stays the same.
   */
  private answer(thread: Pending): Reply | null {
    // Stopped while this search was in flight (another shard's thread failed): score it here.
    if (this.broken) return null;
    const deadline = performance.now() + ANSWER_MS;
    for (;;) {
      let got = receiveMessageOnPort(thread.port);
      if (!got) {
        const count = Atomics.load(thread.done, 0);
        got = receiveMessageOnPort(thread.port);
        const left = deadline - performance.now();
        if (!got && (left <= 0 || Atomics.wait(thread.done, 0, count, left) === 'timed-out')) break;
      }
      if (!got) continue;
      const msg = got.message as Reply;
      if (msg.ok) return msg;
      break;
    }
    this.stop();
    return null;
  }

  /** Drops the scores a feedback first pass kept in the threads. */
  private release(token: number): void {
    for (const t of this.threads) {
      if (!t.carries.delete(token)) continue;
      this.post(t, { op: 'release', token });
    }
  }

  private post(thread: Thread, msg: ShardRequest, transfer: ArrayBuffer[] = []): void {
    thread.port.postMessage(msg, transfer);
  }

  /** Stops every thread: searches run on the calling thread from now on. */
  stop(): void {
    this.broken = true;
    for (const t of this.threads.splice(0)) {
      t.port.close();
      void t.worker.terminate();
    }
  }
}
