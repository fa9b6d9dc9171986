/**
 * @module index/bulk-loader
 * Bulk loading: documents (or raw JSONL chunks, or files to read) go to builder threads in chunks
 * of about {@link CHUNK_CHARS}, and each built chunk attaches to the shards in submission order,
 * replacing older copies of its ids. The main thread only batches and moves bytes (or paths).
 *
 * Files: each file's outcome comes back with its chunk and is handed to the caller's `done` in the
 * same synchronous step that attaches the chunk, before its segments attach; `done` may delete ids
 * already attached (a changed file's passages that are gone), so that no commit sees one without
 * the other.
 *
 * Order: chunk n carries the number of chunks submitted before it. An add or delete made while
 * chunks are in flight records that number for its id (`touched`); a chunk submitted earlier than
 * that finds its copy stale when it attaches and marks it deleted, so the newest operation wins.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BadInputError } from '../errors.js';
import type { FileJob, FileResult } from '../ingest/folder.js';
import type { DocumentInput } from '../types.js';
import { type BuiltChunk, chunkErrors, segmentFileName } from './chunk-build.js';
import type { SegmentBuilder } from './segment-builder.js';
import { type Shard, shardOf } from './shard.js';

/** A chunk of documents goes to a builder thread at this many characters of text. */
export const CHUNK_CHARS = 32 << 20;
/**
 * The first chunk is smaller, and each next one twice as large up to {@link CHUNK_CHARS}, so that
 * builders start while the reader is still on its first files instead of after 32 M characters.
 */
const FIRST_CHUNK_CHARS = 4 << 20;

/** What one submitted chunk turned into once attached. */
export interface ChunkReport {
  docs: number;
  chars: number;
  /** The lines that could not be used, each naming its file and line. */
  errors: BadInputError[];
}

/**
 * Called with a file's outcome when its chunk attaches, before the chunk's segments do; `remove`
 * deletes an id from what is attached (returns whether it was there).
 */
export type FileDone = (result: FileResult, remove: (id: string) => boolean) => void;

export class BulkLoader {
  private open: (DocumentInput | null)[] = [];
  private openJobs: FileJob[] = [];
  private openDone: FileDone[] = [];
  /** Files added in this load (relative paths), and the jobs that named one of them again. */
  private readonly addedFiles = new Set<string>();
  private readonly repeats = new WeakSet<FileJob>();
  private openBytes = 0;
  private readonly openIndex = new Map<string, number>();
  private openChars = 0;
  /** Chunks submitted so far; the open batch will be chunk number `submitted`. */
  private submitted = 0;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly touched = new Map<string, number>();
  /** The last chunk's attach step: chunks attach one after another, in order. */
  private tail: Promise<unknown> = Promise.resolve();
  private error: Error | null = null;
  /** Segment files being written by builders for chunks not yet attached. */
  private readonly reserved = new Set<string>();

  /**
   * With `spill`, builders write each chunk's segment files straight into the index folder (named
   * by seqs taken from `nextSeq` when the chunk is submitted), so a commit only writes deletes and
   * the manifest.
   */
  constructor(
    private readonly shards: readonly Shard[],
    private readonly builder: SegmentBuilder,
    private readonly spill: { dir: string; fields: readonly string[]; nextSeq: () => number } | null = null,
  ) {}

  get threads(): number {
    return Math.max(1, this.builder.threads);
  }

  /** Adds (or replaces) a document; it attaches once its chunk is built. */
  add(doc: DocumentInput): void {
    this.submitFiles(1);
    const earlier = this.openIndex.get(doc.id);
    if (earlier !== undefined) this.open[earlier] = null;
    this.openIndex.set(doc.id, this.open.length);
    this.open.push(doc);
    this.openChars += doc.text.length + (doc.title?.length ?? 0);
    if (this.inflight.size > 0) this.touched.set(doc.id, this.submitted);
    if (this.openChars >= this.chunkLimit) this.submitOpen();
  }

  /**
   * Forgets any copy of `id` not yet attached; returns whether one was waiting in the open batch
   * (a copy in a chunk being built is dropped too, but is not known here until it attaches).
   */
  delete(id: string): boolean {
    const at = this.openIndex.get(id);
    if (at !== undefined) {
      this.open[at] = null;
      this.openIndex.delete(id);
    }
    if (this.inflight.size > 0) this.touched.set(id, this.submitted);
    return at !== undefined;
  }

  /**
   * Adds a file of `size` bytes to be read, parsed and cut into passages by a builder; `done` gets
   * its outcome when its chunk attaches.
   */
  addFile(job: FileJob, size: number, done: FileDone): void {
    this.submitDocs(1);
    if (this.addedFiles.has(job.rel)) this.repeats.add(job);
    else this.addedFiles.add(job.rel);
    this.openJobs.push(job);
    this.openDone.push(done);
    this.openBytes += Math.max(size, 0);
    if (this.openBytes >= this.chunkLimit) this.submitFiles(1);
  }

  /** Submits whole JSONL lines (decoded by the builder); resolves once they are attached. */
  addJsonl(bytes: Uint8Array, file: string, firstLine: number): Promise<ChunkReport> {
    this.submitOpen();
    return this.submit({ kind: 'jsonl', bytes, file, firstLine });
  }

  /**
   * Submits the open batch, if any, as `parts` consecutive chunks (the last batch before a wait is
   * cut in one part per builder thread, so that they build it together).
   */
  submitOpen(parts = 1): void {
    // One of the two is empty: adding to one submits the other.
    this.submitDocs(parts);
    this.submitFiles(parts);
  }

  /** The open batch is submitted at this size: small chunks first, so that builders start early. */
  private get chunkLimit(): number {
    return Math.min(CHUNK_CHARS, FIRST_CHUNK_CHARS * 2 ** this.submitted);
  }

  private submitDocs(parts: number): void {
    if (this.open.length === 0) return;
    const docs = this.open.filter((d): d is DocumentInput => d !== null);
    const chars = this.openChars;
    this.open = [];
    this.openIndex.clear();
    this.openChars = 0;
    for (const [from, to] of cut(docs.length, chars, parts))
      void this.submit({ kind: 'docs', docs: docs.slice(from, to) }).catch(() => {});
  }

  private submitFiles(parts: number): void {
    if (this.openJobs.length === 0) return;
    const jobs = this.openJobs;
    const done = this.openDone;
    const bytes = this.openBytes;
    this.openJobs = [];
    this.openDone = [];
    this.openBytes = 0;
    for (const [from, to] of cut(jobs.length, bytes, parts)) {
      const part = jobs.slice(from, to);
      // A repeated file's first copy may be in the same chunk: then ids can repeat in it.
      const unique = part.every((j) => !this.repeats.has(j));
      const partBytes = (bytes * part.length) / jobs.length;
      void this.submit({ kind: 'files', jobs: part, unique, bytes: partBytes }, done.slice(from, to)).catch(
        () => {},
      );
    }
  }

  /** Waits until at most `maxPending` chunks are in flight; throws a build failure. */
  async settle(maxPending = this.threads): Promise<void> {
    while (this.inflight.size > maxPending) await Promise.race(this.inflight).catch(() => {});
    if (this.error) throw this.error;
  }

  /** True while documents wait in the open batch or in chunks not attached yet. */
  get pending(): boolean {
    return this.open.length > 0 || this.openJobs.length > 0 || this.inflight.size > 0;
  }

  /** File names builders may be writing right now (not to be cleaned up as unreferenced). */
  get filesInFlight(): ReadonlySet<string> {
    return this.reserved;
  }

  /** Submits the open batch and waits for every chunk to attach. */
  async finish(): Promise<void> {
    this.submitOpen(this.threads);
    await this.settle(0);
  }

  private submit(input: Parameters<SegmentBuilder['build']>[0], done?: FileDone[]): Promise<ChunkReport> {
    const seq = this.submitted++;
    const target = this.spill
      ? { dir: this.spill.dir, fields: this.spill.fields, seqs: this.shards.map(() => this.spill!.nextSeq()) }
      : null;
    const names = target ? target.seqs.map((q, s) => segmentFileName(s, q)) : [];
    for (const n of names) this.reserved.add(n);
    const built = this.builder.build(input, target);
    const jobs = input.kind === 'files' ? input.jobs : undefined;
    const attached = this.tail.then(async () => this.attach(seq, await built, target?.seqs, done, jobs));
    this.tail = attached.catch(() => {});
    const job = attached
      .catch((err: Error) => {
        this.error ??= err;
        throw err;
      })
      .finally(() => {
        for (const n of names) this.reserved.delete(n);
        this.inflight.delete(job);
        if (this.inflight.size === 0) this.touched.clear();
      });
    this.inflight.add(job);
    return job;
  }

  private attach(
    seq: number,
    built: BuiltChunk,
    seqs: number[] | undefined,
    done: FileDone[] | undefined,
    jobs: readonly FileJob[] | undefined,
  ): ChunkReport {
    if (done && built.outcomes) {
      const remove = (id: string) => this.shards[shardOf(id, this.shards.length)].delete(id);
      for (let i = 0; i < done.length; i++) done[i](built.outcomes[i], remove);
    }
    const isStale = (id: string) => {
      const t = this.touched.get(id);
      return t !== undefined && seq < t;
    };
    // Files the index held no passage of (as the sync knew when it submitted them), each added once:
    // their ids are new unless something changed during the load, so the shards need not look them up.
    const fresh =
      jobs !== undefined &&
      this.touched.size === 0 &&
      jobs.every((j) => j.options.indexed === false && !this.repeats.has(j));
    built.segments.forEach((segment, s) => {
      if (!segment) return;
      const file = built.files?.[s] ?? null;
      if (file && this.spill) {
        const fd = fs.openSync(path.join(this.spill.dir, file.name), 'r');
        segment.texts.moveToFile({ fd, offset: file.textsOffset });
      }
      this.shards[s].attachReplacing(
        segment,
        built.superseded[s],
        isStale,
        file?.name ?? null,
        seqs?.[s],
        fresh,
      );
    });
    return { docs: built.docs, chars: built.chars, errors: chunkErrors(built.problems) };
  }
}

/**
 * A batch of `count` items holding `size` characters (or bytes) cut into up to `parts` consecutive
 * non-empty ranges [from, to); a batch under {@link FIRST_CHUNK_CHARS} stays whole.
 */
function cut(count: number, size: number, parts: number): [number, number][] {
  const n = size >= FIRST_CHUNK_CHARS ? Math.max(1, Math.min(parts, count)) : 1;
  const out: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    const from = Math.floor((p * count) / n);
    const to = Math.floor(((p + 1) * count) / n);
    if (to > from) out.push([from, to]);
  }
  return out;
}
