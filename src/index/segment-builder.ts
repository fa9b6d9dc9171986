/**
 * @module index/segment-builder
 * A pool of worker threads that build bulk-load chunks into segments (see chunk-build), one chunk
 * per worker at a time, so a bulk load uses every core. Where the worker script is not available
 * (running from TypeScript sources), chunks are built in this thread.
 */

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type AnalyzerOptions, createAnalyzer } from '../analysis/index.js';
import { drainBuffers, giveBuffer } from '../ingest/buffer-pool.js';
import { type BuiltChunk, buildAnyChunk, type ChunkInput, type SpillTarget } from './chunk-build.js';
import { fromParts, type PlainSegment } from './segment-transfer.js';
import { SegmentWriter } from './segment-writer.js';

type Reply = { id: number; built?: BuiltChunk<PlainSegment>; error?: string; spare?: ArrayBuffer };

interface Pending {
  resolve: (c: BuiltChunk) => void;
  reject: (e: Error) => void;
}

export class SegmentBuilder {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; input: ChunkInput; spill: SpillTarget | null }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly analyzer: AnalyzerOptions;
  private readonly shards: number;
  private local: SegmentWriter[] | null = null;
  /** Chunks built in this thread share `local`: one after another. */
  private localTail: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  private readonly script: URL | null;
  private readonly wanted: number;

  constructor(analyzer: AnalyzerOptions, shards: number, threads: number) {
    this.analyzer = analyzer;
    this.shards = shards;
    const script = new URL('./build-worker.js', import.meta.url);
    this.script = threads > 0 && fs.existsSync(fileURLToPath(script)) ? script : null;
    this.wanted = this.script ? threads : 0;
  }

  get threads(): number {
    return this.wanted;
  }

  /** Starts the worker threads (they start on the first build, and again after `release`). */
  private start(): void {
    if (!this.script || this.workers.length > 0) return;
    for (let i = 0; i < this.wanted; i++) {
      const w = new Worker(this.script);
      w.on('message', (msg: Reply) => this.done(w, msg));
      w.on('error', (err) => this.fail(err));
      w.unref();
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Stops the worker threads while nothing is being built, giving their memory back. */
  async release(): Promise<void> {
    if (this.pending.size > 0 || this.queue.length > 0) return;
    const workers = this.workers.splice(0);
    this.idle.length = 0;
    drainBuffers();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /**
   * Builds a chunk into one segment per shard (in a worker when there is one); with `spill`, the
   * builder also writes the segment files (`built.files`), and the text stays in them.
   */
  build(input: ChunkInput, spill: SpillTarget | null = null): Promise<BuiltChunk> {
    this.start();
    if (this.workers.length === 0) {
      if (!this.local) {
        const analyzer = createAnalyzer(this.analyzer);
        this.local = Array.from({ length: this.shards }, () => new SegmentWriter(analyzer));
      }
      const local = this.local;
      const built = this.localTail.then(() => buildAnyChunk(input, local, spill));
      this.localTail = built.catch(() => {});
      return built;
    }
    const id = this.nextId++;
    const promise = new Promise<BuiltChunk>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, input, spill });
    this.dispatch();
    return promise;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      w.ref();
      const transfer = job.input.kind === 'jsonl' ? [job.input.bytes.buffer as ArrayBuffer] : [];
      w.postMessage(
        { id: job.id, analyzer: this.analyzer, shards: this.shards, input: job.input, spill: job.spill },
        transfer,
      );
    }
  }

  private done(w: Worker, msg: Reply): void {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    w.unref();
    this.idle.push(w);
    this.dispatch();
    if (msg.spare) giveBuffer(msg.spare);
    if (!p) return;
    if (msg.error || !msg.built) p.reject(new Error(`segment build failed in a worker: ${msg.error}`));
    else p.resolve({ ...msg.built, segments: msg.built.segments.map((s) => (s ? fromParts(s) : null)) });
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
