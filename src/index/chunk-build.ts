/**
 * @module index/chunk-build
 * Builds one bulk-load chunk into segments, one per shard: the chunk is either documents or raw
 * JSONL bytes, which are decoded here (in a builder thread, so the main thread only moves bytes).
 * Documents are routed by `shardOf`; when an id repeats inside the chunk, the later copy wins and
 * the earlier one is marked deleted. Pure: the same code runs in a worker and in the main thread.
 */

import * as path from 'node:path';
import { BadInputError } from '../errors.js';
import { forEachCorpusLine } from '../ingest/jsonl.js';
import type { DocumentInput } from '../types.js';
import type { Segment } from './segment.js';
import { writeSegment } from './segment-file.js';
import type { SegmentWriter } from './segment-writer.js';
import { shardOf } from './shard.js';

export type ChunkInput =
  | { kind: 'docs'; docs: DocumentInput[] }
  | { kind: 'jsonl'; bytes: Uint8Array; file: string; firstLine: number };

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
}

/**
 * Builds `input` with one writer per shard (`writers.length` is the shard count). With `spill`, the
 * segments are written to their files at once (see {@link spillChunk}) and their text is not kept
 * in memory: it is never copied out of the writers' buffers.
 */
export function buildChunk(
  input: ChunkInput,
  writers: SegmentWriter[],
  spill: SpillTarget | null = null,
): BuiltChunk {
  const shards = writers.length;
  const seen: Map<string, number>[] = writers.map(() => new Map());
  const superseded: number[][] = writers.map(() => []);
  const problems: ChunkProblem[] = [];
  let docs = 0;
  let chars = 0;
  /** Routes a document to its shard's writer (`write` adds it there); a repeated id supersedes. */
  const route = (id: string, write: (w: SegmentWriter) => number, docChars: number) => {
    const s = shardOf(id, shards);
    const local = write(writers[s]);
    const earlier = seen[s].get(id);
    if (earlier !== undefined) superseded[s].push(earlier);
    seen[s].set(id, local);
    docs++;
    chars += docChars;
  };
  const add = (doc: DocumentInput) =>
    route(doc.id, (w) => w.add(doc), doc.text.length + (doc.title?.length ?? 0));
  if (input.kind === 'docs') {
    for (const doc of input.docs) add(doc);
  } else {
    forEachCorpusLine(
      input.bytes,
      input.file,
      input.firstLine,
      add,
      (err: BadInputError) => problems.push({ source: err.source, message: err.message }),
      (doc, bytes, span) => route(doc.id, (w) => w.addJson(doc, bytes, span), span.units + doc.title.length),
    );
  }
  const segments = writers.map((w) => (w.docCount > 0 ? w.freeze(spill !== null) : null));
  const built: BuiltChunk = { segments, superseded, docs, chars, problems };
  if (spill) spillChunk(built, spill);
  return built;
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
