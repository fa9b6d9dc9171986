/**
 * @module index/chunk-build
 * Builds one bulk-load chunk into segments, one per shard: the chunk is either documents or raw
 * JSONL bytes, which are decoded here (in a builder thread, so the main thread only moves bytes).
 * Documents are routed by `shardOf`; when an id repeats inside the chunk, the later copy wins and
 * the earlier one is marked deleted. Pure: the same code runs in a worker and in the main thread.
 */

import { BadInputError } from '../errors.js';
import { forEachCorpusLine } from '../ingest/jsonl.js';
import type { DocumentInput } from '../types.js';
import type { Segment } from './segment.js';
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

export interface BuiltChunk<S = Segment> {
  /** Per shard, the new segment, or null when no document of the chunk belongs there. */
  segments: (S | null)[];
  /** Per shard, doc numbers superseded by a later copy inside the same chunk. */
  superseded: number[][];
  docs: number;
  chars: number;
  problems: ChunkProblem[];
}

/** Builds `input` with one writer per shard (`writers.length` is the shard count). */
export function buildChunk(input: ChunkInput, writers: SegmentWriter[]): BuiltChunk {
  const shards = writers.length;
  const seen: Map<string, number>[] = writers.map(() => new Map());
  const superseded: number[][] = writers.map(() => []);
  const problems: ChunkProblem[] = [];
  let docs = 0;
  let chars = 0;
  const add = (doc: DocumentInput) => {
    const s = shardOf(doc.id, shards);
    const local = writers[s].add(doc);
    const earlier = seen[s].get(doc.id);
    if (earlier !== undefined) superseded[s].push(earlier);
    seen[s].set(doc.id, local);
    docs++;
    chars += doc.text.length + (doc.title?.length ?? 0);
  };
  if (input.kind === 'docs') {
    for (const doc of input.docs) add(doc);
  } else {
    forEachCorpusLine(input.bytes, input.file, input.firstLine, add, (err: BadInputError) =>
      problems.push({ source: err.source, message: err.message }),
    );
  }
  const segments = writers.map((w) => (w.docCount > 0 ? w.freeze() : null));
  return { segments, superseded, docs, chars, problems };
}

/** The problems of a built chunk as errors. */
export function chunkErrors(problems: readonly ChunkProblem[]): BadInputError[] {
  return problems.map((p) => {
    const err = new BadInputError(p.source, '');
    err.message = p.message;
    return err;
  });
}
