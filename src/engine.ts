/**
 * @module engine
 * The Engine façade: open, add, delete, commit, search, merge, stats, close. It owns the lifecycle
 * (what is in memory, what is on disk, when a WAL is enough and when segments are written) in one
 * place; analysis, the index structures and scoring live in their own folders.
 *
 * Durability: `commit()` returns once every add/delete before it survives kill -9. Usually that is
 * one WAL append + fsync; when the WAL has grown past `walFlushBytes` (or in `bulk` mode, which
 * writes no WAL), commit writes the new segments and an atomic MANIFEST instead.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Analyzer, type AnalyzerOptions, createAnalyzer } from './analysis/index.js';
import { FunnelError, InvalidArgumentError } from './errors.js';
import { BulkLoader, type ChunkReport, type FileDone } from './index/bulk-loader.js';
import { readDeletes, writeDeletes } from './index/deletes-file.js';
import { acquireLock } from './index/lock.js';
import {
  type IndexSettings,
  indexVersion,
  type Manifest,
  readManifest,
  type SegmentEntry,
  writeManifest,
} from './index/manifest.js';
import type { MemoryBreakdown } from './index/segment.js';
import { SegmentBuilder } from './index/segment-builder.js';
import { readSegment, writeSegment } from './index/segment-file.js';
import { FIELDS } from './index/segment-writer.js';
import { type SegmentState, Shard, shardOf } from './index/shard.js';
import { Wal, type WalReplay } from './index/wal.js';
import { type FileJob, indexFolderFile } from './ingest/folder.js';
import { forEachCorpusLine } from './ingest/jsonl.js';
import { type Bm25Params, DEFAULT_BM25, idf, validateBm25 } from './search/bm25.js';
import {
  computeFeatures,
  computeFeaturesOnThreads,
  type FeatureMatrix,
  type FeatureOptions,
  type FeatureTerm,
} from './search/features.js';
import { collectionStats, termIdf } from './search/plan.js';
import type { Query } from './search/query.js';
import {
  type CandidatePlaces,
  type CandidateRefs,
  type CarryUse,
  parseQueryIn,
  type SearchOptions,
  type SearchResult,
  type SearchWork,
  search,
  searchRefs,
} from './search/searcher.js';
import { ShardThreads } from './search/shard-threads.js';
import type { DocumentInput, StoredDocument } from './types.js';

export interface OpenOptions extends AnalyzerOptions {
  /** Shards of a new index (default: one per core). Fixed once the index exists. */
  shards?: number;
  /** Open for searching only: no lock, no writes. */
  readOnly?: boolean;
  /**
   * Bulk loading: documents are batched and built into segments by worker threads (one per core),
   * no WAL is written, and every commit writes segments. Added documents become searchable when
   * their batch is built: after `refresh()` or `commit()`.
   */
  bulk?: boolean;
  /** Worker threads for bulk loading (default: one per core). */
  threads?: number;
  /**
   * Threads that score shards in a search, this one included (default 1: every shard on the calling
   * thread). With more, shards besides the first whose segments were loaded from files are scored
   * on other cores over the same shared memory (search/shard-threads).
   */
  searchThreads?: number;
  /** Freeze a shard's buffer into a segment at this many tokens (default 4M). */
  bufferTokens?: number;
  /** A commit writes segments instead of syncing the WAL once the WAL exceeds this (default 64 MB). */
  walFlushBytes?: number;
  /** Merge a shard's segments when it has more than this many (default 8; 16 in bulk mode). */
  maxSegments?: number;
  /** No merge produces a segment larger than this (default 1.5 GB). */
  maxSegmentBytes?: number;
  bm25?: Partial<Bm25Params>;
}

export interface OpenReport {
  /** Bytes of segment and deletes files loaded. */
  loadedBytes: number;
  loadMs: number;
  /** WAL operations replayed. */
  replayedOps: number;
  /** Bytes of a torn WAL tail dropped (never acknowledged). */
  droppedWalBytes: number;
}

export interface IndexStats {
  dir: string;
  docs: number;
  deletedDocs: number;
  shards: { shard: number; docs: number; segments: number }[];
  segments: number;
  /** Bytes of index data held in memory (segments; the write buffer is not counted). */
  memoryBytes: number;
  /** Where `memoryBytes` goes. */
  memory: MemoryBreakdown & { deletes: number };
  /** Bytes of files in the index directory. */
  diskBytes: number;
  settings: IndexSettings;
  bm25: Bm25Params;
}

export interface CommitReport {
  /** 'wal' when the WAL was synced, 'flush' when segments and a manifest were written. */
  mode: 'wal' | 'flush' | 'none';
  segmentsWritten: number;
  bytesWritten: number;
  ms: number;
}

const DEFAULTS = {
  bufferTokens: 4_000_000,
  walFlushBytes: 64 << 20,
  maxSegments: 8,
  bulkMaxSegments: 16,
  maxSegmentBytes: 1.5 * 2 ** 30,
};

export class Engine {
  readonly dir: string;
  readonly analyzer: Analyzer;
  readonly settings: IndexSettings;
  readonly openReport: OpenReport;
  private readonly shards: Shard[];
  private readonly options: Required<
    Pick<
      OpenOptions,
      'readOnly' | 'bulk' | 'bufferTokens' | 'walFlushBytes' | 'maxSegments' | 'maxSegmentBytes'
    >
  >;
  private params: Bm25Params;
  private manifest: Manifest;
  private wal: Wal | null = null;
  private releaseLock: (() => void) | null = null;
  private dirty = false;
  private closed = false;
  private readonly builder: SegmentBuilder | null = null;
  private readonly bulk: BulkLoader | null = null;
  private readonly threads: ShardThreads | undefined;

  private constructor(dir: string, manifest: Manifest, options: OpenOptions, release: (() => void) | null) {
    this.dir = dir;
    this.manifest = manifest;
    this.settings = manifest.settings;
    this.releaseLock = release;
    this.options = {
      readOnly: options.readOnly ?? false,
      bulk: options.bulk ?? false,
      bufferTokens: options.bufferTokens ?? DEFAULTS.bufferTokens,
      walFlushBytes: options.walFlushBytes ?? DEFAULTS.walFlushBytes,
      // A bulk load commits its chunks' segments as built and leaves merging to `merge()` or a
      // later commit, so it allows more segments per shard before merging on the commit path.
      maxSegments: options.maxSegments ?? (options.bulk ? DEFAULTS.bulkMaxSegments : DEFAULTS.maxSegments),
      maxSegmentBytes: options.maxSegmentBytes ?? DEFAULTS.maxSegmentBytes,
    };
    this.params = validateBm25({
      ...DEFAULT_BM25,
      ...options.bm25,
      fieldWeights: { ...DEFAULT_BM25.fieldWeights, ...options.bm25?.fieldWeights },
    });
    this.analyzer = createAnalyzer(manifest.settings.analyzer);
    const nextSeq = () => this.manifest.nextSeq++;
    this.shards = Array.from(
      { length: manifest.settings.shards },
      (_, i) => new Shard(i, this.analyzer, { bufferTokens: this.options.bufferTokens, nextSeq }),
    );
    this.openReport = { loadedBytes: 0, loadMs: 0, replayedOps: 0, droppedWalBytes: 0 };
    const searchThreads = Math.min(options.searchThreads ?? 1, manifest.settings.shards);
    if (searchThreads > 1) this.threads = new ShardThreads(searchThreads - 1, manifest.settings.fields);
    if (this.options.bulk && !this.options.readOnly) {
      this.builder = new SegmentBuilder(
        manifest.settings.analyzer,
        manifest.settings.shards,
        options.threads ?? os.availableParallelism(),
      );
      this.bulk = new BulkLoader(this.shards, this.builder, {
        dir,
        fields: manifest.settings.fields,
        nextSeq,
      });
    }
  }

  /** Threads scoring shards in a search, this one included (search threads that failed are gone). */
  get searchThreads(): number {
    return 1 + (this.threads?.size ?? 0);
  }

  /**
   * A string that changes whenever the committed state of the index in `dir` changes (null when
   * there is none), read without opening it: a caller that recorded it can tell later whether
   * anyone changed the index since.
   */
  static version(dir: string): string | null {
    return indexVersion(dir);
  }

  /**
   * Opens the index in `dir`, creating it when the directory holds none (unless read-only).
   * @example
   *   const engine = await Engine.open('./my-index');
   *   engine.add({ id: 'a', title: 'Hello', text: 'hello world' });
   *   await engine.commit();
   *   engine.search('hello').hits[0].id; // 'a'
   *   await engine.close();
   */
  static async open(dir: string, options: OpenOptions = {}): Promise<Engine> {
    const started = performance.now();
    const readOnly = options.readOnly ?? false;
    if (!fs.existsSync(dir)) {
      if (readOnly)
        throw new FunnelError('INDEX_NOT_FOUND', `${dir}: no index here (directory does not exist)`);
      fs.mkdirSync(dir, { recursive: true });
    }
    const release = readOnly ? null : acquireLock(dir);
    try {
      // A reader may race a writer that commits (and removes files of older commits) while it
      // loads: it retries until what it loaded is one whole commit.
      for (let attempt = 0; ; attempt++) {
        let manifest = readManifest(dir);
        if (!manifest) {
          if (readOnly) throw new FunnelError('INDEX_NOT_FOUND', `${dir}: no index here (no MANIFEST)`);
          manifest = newManifest(options);
          writeManifest(dir, manifest);
        }
        const engine = new Engine(dir, manifest, options, release);
        try {
          engine.load();
          // The writer keeps a commit's files until the commit after the next one: if at most one
          // commit happened meanwhile, everything this load read belonged to `manifest`.
          if (readOnly && (readManifest(dir)?.generation ?? 0) > manifest.generation + 1) {
            throw new ManifestChanged(dir);
          }
        } catch (err) {
          engine.closeSegments();
          if (readOnly && attempt < 20 && (err instanceof ManifestChanged || changed(dir, manifest)))
            continue;
          throw err;
        }
        engine.openReport.loadMs = performance.now() - started;
        return engine;
      }
    } catch (err) {
      release?.();
      throw err;
    }
  }

  private closeSegments(): void {
    for (const shard of this.shards) for (const st of shard.segments) st.segment.close();
  }

  private load(): void {
    const { dir, manifest } = this;
    for (const entry of manifest.segments) {
      const file = path.join(dir, entry.file);
      if (!fs.existsSync(file)) {
        throw new FunnelError('CORRUPT_INDEX', `${file}: segment named in MANIFEST is missing`);
      }
      const { segment, bytes } = readSegment(file, manifest.settings.fields);
      this.openReport.loadedBytes += bytes;
      let deleted: Uint8Array | null = null;
      if (entry.deletes) {
        deleted = readDeletes(path.join(dir, entry.deletes), segment.docCount);
        this.openReport.loadedBytes += deleted.length;
      }
      const state = this.shards[entry.shard].attach(segment, entry.file, deleted, entry.seq);
      state.deletesFile = entry.deletes;
      // Loaded deletes are already on disk.
      state.deletesDirty = false;
    }
    const walFile = path.join(dir, manifest.wal);
    const replay: WalReplay = Wal.replay(walFile, (op) => {
      if (op.type === 'add') this.route(op.doc.id).add(op.doc);
      else this.route(op.id).delete(op.id);
    });
    this.openReport.replayedOps = replay.ops;
    this.openReport.droppedWalBytes = replay.droppedBytes;
    if (replay.ops > 0) this.dirty = true;
    if (!this.options.readOnly && !this.options.bulk) this.wal = Wal.open(walFile, replay.validBytes);
  }

  private route(id: string): Shard {
    return this.shards[shardOf(id, this.shards.length)];
  }

  private writable(op: string): void {
    if (this.closed) throw new FunnelError('INDEX_CLOSED', `${op}: index ${this.dir} is closed`);
    if (this.options.readOnly) throw new InvalidArgumentError(`${op}: index ${this.dir} is open read-only`);
  }

  /** Adds or replaces (same id) a document; searchable at once, durable after `commit()`. */
  add(doc: DocumentInput): void {
    this.writable('add');
    validateDocument(doc);
    const clean: DocumentInput = { id: doc.id, title: doc.title ?? '', text: doc.text };
    if (doc.meta && Object.keys(doc.meta).length > 0) clean.meta = doc.meta;
    if (this.bulk) this.bulk.add(clean);
    else {
      this.route(doc.id).add(clean);
      this.wal?.append({ type: 'add', doc: clean });
    }
    this.dirty = true;
  }

  /**
   * Bulk mode: adds the documents of whole JSONL lines (`{"_id", "title", "text", ...}`; `firstLine`
   * numbers the first for error messages). A builder thread decodes them, so the caller only moves
   * bytes; `bytes.buffer` is transferred to it and must not be used afterwards. Resolves once they
   * are searchable, with the lines that could not be used. Keep at most a few chunks pending
   * (`settle()`); without bulk mode the lines are decoded and added here.
   */
  async addJsonl(bytes: Uint8Array, file: string, firstLine = 1): Promise<ChunkReport> {
    this.writable('addJsonl');
    this.dirty = true;
    if (this.bulk) return this.bulk.addJsonl(bytes, file, firstLine);
    const report: ChunkReport = { docs: 0, chars: 0, errors: [] };
    forEachCorpusLine(
      bytes,
      file,
      firstLine,
      (doc) => {
        this.add(doc);
        report.docs++;
        report.chars += doc.text.length + doc.title.length;
      },
      (err) => report.errors.push(err),
    );
    return report;
  }

  /**
   * Reads file `job` (of about `size` bytes), cuts it into passages and adds them (`ingest/folder`
   * `indexFolderFile`); `done` gets what the file came to, with a `remove` that deletes an id
   * added before. In bulk mode a builder thread does the reading, so the main thread only hands
   * over paths: `done` is called when the file's chunk attaches, before its passages do, and
   * {@link filesDone} waits for every file; this waits only while too many chunks are being
   * built. Otherwise the file is read here and `done` called after its passages are added.
   */
  async addFile(job: FileJob, size: number, done: FileDone): Promise<void> {
    this.writable('addFile');
    this.dirty = true;
    if (this.bulk) {
      this.bulk.addFile(job, size, done);
      await this.bulk.settle();
      return;
    }
    const result = await indexFolderFile(job, (doc) => this.add(doc));
    done(result, (id) => this.delete(id));
  }

  /** Waits until every file given to {@link addFile} is done (bulk mode: built and attached). */
  async filesDone(): Promise<void> {
    if (!this.bulk) return;
    this.bulk.submitOpen(this.bulk.threads);
    await this.bulk.settle(0);
  }

  /**
   * Bulk mode: waits until at most `maxPending` chunks are being built, so a fast reader does not
   * queue the whole corpus in memory. Call it between adds; a no-op otherwise.
   */
  async settle(maxPending?: number): Promise<void> {
    await this.bulk?.settle(maxPending);
  }

  /** Makes every added document searchable (bulk mode builds the open batches first). */
  async refresh(): Promise<void> {
    await this.bulk?.finish();
    for (const shard of this.shards) shard.refresh();
  }

  /** Deletes a document by id; returns whether it existed. */
  delete(id: string): boolean {
    this.writable('delete');
    const pending = this.bulk?.delete(id) ?? false;
    const existed = this.route(id).delete(id) || pending;
    if (existed) {
      this.wal?.append({ type: 'delete', id });
      this.dirty = true;
    }
    return existed;
  }

  /**
   * Makes every change so far durable. In bulk mode the open batch is built first, and then the
   * build threads, which hold tens of MB each, are let go. With `checkpoint` (a commit in the
   * middle of a bulk load), only what is built and attached so far is made durable: batches still
   * being built, and the open one, go on and are in a later commit, and the threads stay warm, so
   * the load does not stall while the builders drain. Outside bulk mode it is a plain commit.
   */
  async commit(options: { flush?: boolean; checkpoint?: boolean } = {}): Promise<CommitReport> {
    this.writable('commit');
    const started = performance.now();
    if (!options.checkpoint) {
      await this.bulk?.finish();
      await this.builder?.release();
    }
    if (!this.dirty && !options.flush) return { mode: 'none', segmentsWritten: 0, bytesWritten: 0, ms: 0 };
    if (this.wal && !options.flush && this.wal.size < this.options.walFlushBytes) {
      this.wal.sync();
      if (this.wal.size < this.options.walFlushBytes) {
        this.dirty = false;
        return { mode: 'wal', segmentsWritten: 0, bytesWritten: 0, ms: performance.now() - started };
      }
    }
    const report = this.flush();
    return { ...report, ms: performance.now() - started };
  }

  /** Writes unpersisted segments and deletes, merges per policy, then a new MANIFEST and WAL. */
  private flush(force = false): Omit<CommitReport, 'ms'> {
    let segmentsWritten = 0;
    let bytesWritten = 0;
    const gen = this.manifest.generation + 1;
    for (const shard of this.shards) {
      shard.refresh();
      this.applyMergePolicy(shard, force);
      for (const state of shard.segments) {
        if (state.file === null) {
          const name = `s${shard.id}-${state.seq}.seg`;
          const file = path.join(this.dir, name);
          const written = writeSegment(file, state.segment, this.settings.fields);
          bytesWritten += written.bytes;
          // The text now lives in the file: read it from there and give the memory back.
          state.segment.texts.moveToFile({ fd: fs.openSync(file, 'r'), offset: written.textsOffset });
          state.file = name;
          segmentsWritten++;
        }
        if (state.deletesDirty && state.deleted) {
          const name = `s${shard.id}-${state.seq}.${gen}.del`;
          bytesWritten += writeDeletes(path.join(this.dir, name), state.deleted);
          state.deletesFile = name;
          state.deletesDirty = false;
        }
      }
    }
    const previous = this.manifest;
    const walName = `wal-${gen}.log`;
    const segments: SegmentEntry[] = [];
    for (const shard of this.shards) {
      for (const s of shard.segments) {
        segments.push({
          shard: shard.id,
          seq: s.seq,
          file: s.file!,
          docCount: s.segment.docCount,
          bytes: s.segment.totalBytes,
          deletes: s.deletesFile,
        });
      }
    }
    // The new WAL must exist (empty) before the manifest points at it.
    const nextWal = this.options.bulk ? null : Wal.open(path.join(this.dir, walName), 0);
    this.manifest = { ...this.manifest, generation: gen, segments, wal: walName };
    writeManifest(this.dir, this.manifest);
    this.wal?.close();
    this.wal = nextWal;
    this.removeUnreferenced(previous);
    // A checkpoint leaves batches being built: the next commit has them to write.
    this.dirty = this.bulk?.pending ?? false;
    return { mode: 'flush', segmentsWritten, bytesWritten };
  }

  /**
   * Keeps at most `maxSegments` per shard by merging the smallest ones; forced, merges everything.
   * No merge makes a segment larger than `maxSegmentBytes` (typed arrays and files stay well
   * under the 4 GB a single array can hold).
   */
  private applyMergePolicy(shard: Shard, force: boolean): void {
    const cap = this.options.maxSegmentBytes;
    const bySize = [...shard.segments].sort((a, b) => a.segment.totalBytes - b.segment.totalBytes);
    if (force) {
      let group: SegmentState[] = [];
      let bytes = 0;
      const flushGroup = () => {
        if (group.length > 1 || (group.length === 1 && group[0].deletedCount > 0)) shard.merge(group);
        group = [];
        bytes = 0;
      };
      for (const s of bySize) {
        if (group.length > 0 && bytes + s.segment.totalBytes > cap) flushGroup();
        group.push(s);
        bytes += s.segment.totalBytes;
      }
      flushGroup();
      return;
    }
    const excess = shard.segments.length - this.options.maxSegments;
    if (excess <= 0) return;
    const group: SegmentState[] = [];
    let bytes = 0;
    for (const s of bySize) {
      if (group.length > excess || (group.length >= 2 && bytes + s.segment.totalBytes > cap)) break;
      group.push(s);
      bytes += s.segment.totalBytes;
    }
    if (group.length >= 2) shard.merge(group);
  }

  /**
   * Deletes files no commit needs any more. The previous commit's files are kept until the next
   * commit, so a reader that has just read the previous MANIFEST can still load it (readers also
   * retry, see `open`).
   */
  private removeUnreferenced(previous: Manifest): void {
    const keep = new Set<string>(['MANIFEST', 'LOCK', ...(this.bulk?.filesInFlight ?? [])]);
    for (const m of [this.manifest, previous]) {
      keep.add(m.wal);
      for (const s of m.segments) {
        keep.add(s.file);
        if (s.deletes) keep.add(s.deletes);
      }
    }
    for (const name of fs.readdirSync(this.dir)) {
      if (keep.has(name) || keep.has(name.replace(/\.tmp$/, ''))) continue;
      if (/^(s\d+-\d+\.(seg|\d+\.del)|wal-\d+\.log|.*\.tmp)$/.test(name))
        fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  /** Merges every shard down to one segment and drops deleted documents; durable when it returns. */
  async merge(): Promise<CommitReport> {
    this.writable('merge');
    const started = performance.now();
    const report = this.flush(true);
    return { ...report, ms: performance.now() - started };
  }

  /** Ranked search; see search/parse-query for the syntax. */
  search(query: string | Query, options: SearchOptions = {}): SearchResult {
    if (this.closed) throw new FunnelError('INDEX_CLOSED', `search: index ${this.dir} is closed`);
    return search(this.searchContext(), query, options);
  }

  /**
   * The top k as columns with their places in the index: what a funnel's first stage passes on, so
   * later stages can read features and text without looking ids up again. With `carry`, a first
   * search keeps its scores and a second adds only the clauses its longer query appends (see
   * search/searcher `Carry`): the same ranking as scoring the longer query, for less work.
   */
  retrieve(
    query: string | Query,
    k: number,
    carry?: CarryUse,
  ): { refs: CandidateRefs; query: Query; work: SearchWork } {
    if (this.closed) throw new FunnelError('INDEX_CLOSED', `retrieve: index ${this.dir} is closed`);
    return searchRefs(this.searchContext(), query, k, carry);
  }

  /** Ranking features of retrieved candidates (see search/features). */
  features(refs: CandidatePlaces, terms: readonly FeatureTerm[], options?: FeatureOptions): FeatureMatrix {
    if (this.threads && this.threads.size > 0)
      return computeFeaturesOnThreads(
        this.threads,
        this.shards,
        this.settings.fields,
        this.params,
        refs,
        terms,
        options,
      );
    return computeFeatures(this.shards, this.settings.fields, this.params, refs, terms, options);
  }

  /** The stored document at a place `retrieve` returned (or undefined if it is gone). */
  documentAt(shard: number, seq: number, doc: number): StoredDocument | undefined {
    const state = this.shards[shard]?.segments.find((s) => s.seq === seq);
    return state ? state.segment.document(doc) : undefined;
  }

  /** Parses a query string the way `search` does (never throws on syntax). */
  parse(text: string): Query {
    return parseQueryIn(this.searchContext(), text);
  }

  /**
   * BM25 idf of analyzed terms (each from its largest document frequency over the fields): a lookup
   * over the index as it is now (statistics cached per term), and the largest idf any term can
   * have, so a caller ranking terms by weight × idf can stop early.
   */
  idfLookup(): { idf: (term: string) => number; max: number; docCount: number } {
    const segments = this.shards.flatMap((s) => s.segments.map((st) => st.segment));
    const fields = this.settings.fields.length;
    const stats = collectionStats(segments, fields);
    return { idf: (t) => termIdf(stats, fields, t), max: idf(stats.docCount, 0), docCount: stats.docCount };
  }

  private searchContext() {
    return {
      shards: this.shards,
      threads: this.threads,
      analyzer: this.analyzer,
      fields: this.settings.fields,
      params: this.params,
    };
  }

  /** Every live document id (documents of a bulk load still being built are not listed yet). */
  ids(): string[] {
    return this.shards.flatMap((s) => [...s.liveIds()]);
  }

  /** The stored document with this id, or undefined. */
  get(id: string): StoredDocument | undefined {
    const loc = this.route(id).locate(id);
    return loc ? loc.state.segment.document(loc.doc) : undefined;
  }

  /** The BM25 parameters in use; `setBm25` changes them for later searches (no reindexing). */
  get bm25(): Bm25Params {
    return this.params;
  }

  setBm25(params: Partial<Bm25Params>): void {
    this.params = validateBm25({
      ...this.params,
      ...params,
      fieldWeights: { ...this.params.fieldWeights, ...params.fieldWeights },
    });
  }

  stats(): IndexStats {
    let docs = 0;
    let deletedDocs = 0;
    let segments = 0;
    let memoryBytes = 0;
    const memory = { terms: 0, postings: 0, positions: 0, norms: 0, stored: 0, deletes: 0 };
    const shards = this.shards.map((shard) => {
      shard.refresh();
      for (const s of shard.segments) {
        deletedDocs += s.deletedCount;
        memoryBytes += s.segment.byteSize + (s.deleted?.byteLength ?? 0);
        const m = s.segment.memoryBreakdown();
        memory.terms += m.terms;
        memory.postings += m.postings;
        memory.positions += m.positions;
        memory.norms += m.norms;
        memory.stored += m.stored;
        memory.deletes += s.deleted?.byteLength ?? 0;
      }
      segments += shard.segments.length;
      docs += shard.docCount;
      return { shard: shard.id, docs: shard.docCount, segments: shard.segments.length };
    });
    let diskBytes = 0;
    for (const name of fs.readdirSync(this.dir)) diskBytes += fs.statSync(path.join(this.dir, name)).size;
    return {
      dir: this.dir,
      docs,
      deletedDocs,
      shards,
      segments,
      memoryBytes,
      memory,
      diskBytes,
      settings: this.settings,
      bm25: this.params,
    };
  }

  /** Commits pending changes (unless `commit: false` or read-only) and releases the index. */
  async close(options: { commit?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.options.readOnly && (options.commit ?? true) && this.dirty) await this.commit();
    } finally {
      this.closeSegments();
      this.threads?.stop();
      await this.builder?.close();
      this.wal?.close();
      this.wal = null;
      this.closed = true;
      this.releaseLock?.();
      this.releaseLock = null;
    }
  }
}

class ManifestChanged extends FunnelError {
  constructor(dir: string) {
    super('INDEX_LOCKED', `${dir}: the index changed too often while it was being loaded; try again`);
  }
}

/** True when the directory's MANIFEST is no longer `manifest` (a writer committed meanwhile). */
function changed(dir: string, manifest: Manifest): boolean {
  try {
    return readManifest(dir)?.generation !== manifest.generation;
  } catch {
    return true;
  }
}

function newManifest(options: OpenOptions): Manifest {
  const shards = options.shards ?? Math.max(1, os.availableParallelism());
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new InvalidArgumentError(`open: illegal shards=${shards}, must be an integer in [1, 1024]`);
  }
  const analyzer = createAnalyzer(options);
  return {
    generation: 1,
    settings: {
      shards,
      fields: [...FIELDS],
      analyzer: {
        language: analyzer.options.language,
        stopwords: analyzer.options.stopwords,
        stem: analyzer.options.stem,
      },
    },
    segments: [],
    wal: 'wal-1.log',
    nextSeq: 1,
  };
}

function validateDocument(doc: DocumentInput): void {
  if (doc === null || typeof doc !== 'object')
    throw new InvalidArgumentError('add: document must be an object');
  if (typeof doc.id !== 'string' || doc.id.length === 0) {
    throw new InvalidArgumentError(
      `add: document id must be a non-empty string, got ${JSON.stringify(doc.id)}`,
    );
  }
  if (typeof doc.text !== 'string') {
    throw new InvalidArgumentError(`add: document ${JSON.stringify(doc.id)}: text must be a string`);
  }
  if (doc.title !== undefined && typeof doc.title !== 'string') {
    throw new InvalidArgumentError(`add: document ${JSON.stringify(doc.id)}: title must be a string`);
  }
  if (
    doc.meta !== undefined &&
    (doc.meta === null || typeof doc.meta !== 'object' || Array.isArray(doc.meta))
  ) {
    throw new InvalidArgumentError(`add: document ${JSON.stringify(doc.id)}: meta must be an object`);
  }
}
