/**
 * @module index/chunk-build
 * Builds one bulk-load chunk into segments, one per shard: the chunk is documents, raw JSONL bytes,
 * which are decoded here, or files of a folder, which are read, parsed and cut into passages here
 * (in a builder thread, so the main thread only moves bytes or paths).
 * Documents are routed by `shardOf`; when an id repeats inside the chunk, the later copy wins and
 * the earlier one is marked deleted. Pure: the same code runs in a worker and in the main thread.
 */

import * as path from 'node:path';
import { BadInputError } from '../errors.js';
import { type FileJob, type FileResult, indexFolderFile } from '../ingest/folder.js';
import { forEachCorpusLine } from '../ingest/jsonl.js';
import type { DocumentInput } from '../types.js';
import type { Segment } from './segment.js';
import { writeSegment } from './segment-file.js';
import type { SegmentWriter } from './segment-writer.js';
import { shardOf } from './shard.js';

export type ChunkInput =
  | { kind: 'docs'; docs: DocumentInput[] }
  | { kind: 'jsonl'; bytes: Uint8Array; file: string; firstLine: number }
  /**
   * With `unique`, no two jobs name the same file (so no passage id can repeat in the chunk);
   * `bytes`, about how many bytes the files hold.
   */
  | { kind: 'files'; jobs: FileJob[]; unique?: boolean; bytes?: number };

/** A line the chunk could not use, as plain data (errors do not cross threads intact). */
export interface ChunkProblem {
  source: string;
  message: string;
}

/** Where a builder writes the segment files of a chunk: the index folder and a seq per shard. */
export interface SpillTarget {
  dir: string;
  fields: readonly string[];
  seqs: number[];
}

/** A segment file a builder wrote: its name in the index folder, and where its text starts. */
export interface SpilledFile {
  name: string;
  textsOffset: number;
}

export interface BuiltChunk<S = Segment> {
  /** Per shard, the new segment, or null when no document of the chunk belongs there. */
  segments: (S | null)[];
  /** Per shard, the segment's file when the builder wrote it (see `spillChunk`). */
  files?: (SpilledFile | null)[];
  /** Per shard, doc numbers superseded by a later copy inside the same chunk. */
  superseded: number[][];
  docs: number;
  chars: number;
  problems: ChunkProblem[];
  /** For a chunk of files, what each came to, in the order of `jobs`. */
  outcomes?: FileResult[];
}

/**
 * Builds `input` with one writer per shard (`writers.length` is the shard count). With `spill`, the
 * segments are written to their files at once (see {@link spillChunk}) and their text is not kept
 * in memory: it is never copied out of the writers' buffers. A chunk of files is read here too,
 * which is asynchronous (parsers are): see {@link buildAnyChunk}.
 */
export function buildChunk(
  input: Exclude<ChunkInput, { kind: 'files' }>,
  writers: SegmentWriter[],
  spill: SpillTarget | null = null,
): BuiltChunk {
  const chars =
    input.kind === 'docs' ? input.docs.reduce((n, d) => n + d.text.length, 0) : input.bytes.length;
  const router = new Router(writers, chars);
  if (input.kind === 'docs') {
    for (const doc of input.docs) router.add(doc);
  } else {
    forEachCorpusLine(
      input.bytes,
      input.file,
      input.firstLine,
      (doc) => router.add(doc),
      (err: BadInputError) => router.problems.push({ source: err.source, message: err.message }),
      (doc, bytes, span) =>
        router.route(doc.id, (w) => w.addJson(doc, bytes, span), span.units + doc.title.length),
    );
  }
  return router.finish(spill);
}

/**
 * Builds a chunk of any kind: files are read, parsed and cut into passages
 * (`ingest/folder` `indexFolderFile`), each file's outcome kept in `outcomes`; a file that cannot
 * be used is an outcome, never an error of the chunk.
 */
export async function buildAnyChunk(
  input: ChunkInput,
  writers: SegmentWriter[],
  spill: SpillTarget | null = null,
): Promise<BuiltChunk> {
  if (input.kind !== 'files') return buildChunk(input, writers, spill);
  // Passage ids start with their file's path (and differ inside a file): with files named once,
  // no id repeats, and the router need not remember them (a Map of long strings: 2 µs a passage).
  const router = new Router(writers, input.bytes ?? 0, input.unique === true);
  const add = (doc: DocumentInput) => router.add(doc);
  const outcomes: FileResult[] = [];
  for (const job of input.jobs) outcomes.push(await indexFolderFile(job, add));
  const built = router.finish(spill);
  built.outcomes = outcomes;
  return built;
}

/** Routes documents to their shard's writer, noting ids repeated inside the chunk. */
class Router {
  private readonly seen: Map<string, number>[];
  private readonly superseded: number[][];
  readonly problems: ChunkProblem[] = [];
  private docs = 0;
  private chars = 0;

  /**
   * The writers get room for about `chars` characters of text between them. With `unique`, the
   * caller's ids never repeat, and are not remembered.
   */
  constructor(
    private readonly writers: SegmentWriter[],
    chars: number,
    private readonly unique = false,
  ) {
    this.seen = writers.map(() => new Map());
    this.superseded = writers.map(() => []);
    for (const w of writers) w.reserve(chars / writers.length);
  }

  /** Routes a document to its shard's writer (`write` adds it there); a repeated id supersedes. */
  route(id: string, write: (w: SegmentWriter) => number, docChars: number): void {
    const s = shardOf(id, this.writers.length);
    const local = write(this.writers[s]);
    if (!this.unique) {
      const earlier = this.seen[s].get(id);
      if (earlier !== undefined) this.superseded[s].push(earlier);
      this.seen[s].set(id, local);
    }
    this.docs++;
    this.chars += docChars;
  }

  add(doc: DocumentInput): void {
    this.route(doc.id, (w) => w.add(doc), doc.text.length + (doc.title?.length ?? 0));
  }

  finish(spill: SpillTarget | null): BuiltChunk {
    const segments = this.writers.map((w) => (w.docCount > 0 ? w.freeze(spill !== null) : null));
    const built: BuiltChunk = {
      segments,
      superseded: this.superseded,
      docs: this.docs,
      chars: this.chars,
      problems: this.problems,
    };
    if (spill) spillChunk(built, spill);
    return built;
  }
}

/** The file name of shard `shard`'s segment number `seq`. */
export function segmentFileName(shard: number, seq: number): string {
  return `s${shard}-${seq}.seg`;
}

/**
 * Writes each segment of a built chunk durably into the index folder (`s<shard>-<seq>.seg`), so
 * that committing a bulk load only has to write the manifest. The segments' text is dropped from
 * memory: it is read from the file once the caller names it (`StoredColumn.moveToFile`).
 */
function spillChunk(built: BuiltChunk, target: SpillTarget): void {
  built.files = built.segments.map((segment, shard) => {
    if (!segment) return null;
    const name = segmentFileName(shard, target.seqs[shard]);
    const { textsOffset } = writeSegment(path.join(target.dir, name), segment, target.fields);
    segment.texts.dropBytes();
    return { name, textsOffset };
  });
}

/** The problems of a built chunk as errors. */
export function chunkErrors(problems: readonly ChunkProblem[]): BadInputError[] {
  return problems.map((p) => {
    const err = new BadInputError(p.source, '');
    err.message = p.message;
    return err;
  });
}
