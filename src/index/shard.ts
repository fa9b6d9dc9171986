/**
 * @module index/shard
 * One shard: a list of immutable segments with their deletions, plus one live SegmentWriter.
 * Documents are routed here by a hash of their id (`shardOf`). The shard maps external ids to doc
 * addresses so that deletes and updates by id are O(1). It knows nothing about files or scoring:
 * the engine persists it, the searcher scores it.
 */

import type { Analyzer } from '../analysis/index.js';
import type { DocumentInput } from '../types.js';
import { type MergeSource, mergeSegments } from './merge.js';
import type { Segment } from './segment.js';
import { SegmentWriter } from './segment-writer.js';

/** A segment plus the mutable state the shard keeps beside it. */
export interface SegmentState {
  /** Unique within the index; names the segment's file. */
  readonly seq: number;
  readonly segment: Segment;
  /** One byte per doc, 1 = deleted; null until the first delete. */
  deleted: Uint8Array | null;
  deletedCount: number;
  /** File name once persisted, else null (then the WAL or the next flush covers it). */
  file: string | null;
  /** Deletes file name, when deletes were persisted. */
  deletesFile: string | null;
  /** Deletes changed since they were last persisted. */
  deletesDirty: boolean;
}

const ADDR_SCALE = 2 ** 32;
/** In-memory (not yet flushed) segments a shard keeps before merging them into one. */
const MAX_UNPERSISTED = 8;

/** FNV-1a over the UTF-16 code units of the id: stable across runs and platforms. */
export function shardOf(id: string, shardCount: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shardCount;
}

export interface ShardOptions {
  /** Freeze the buffer into a segment once it holds this many tokens. */
  bufferTokens: number;
  /** Allocates index-wide unique segment numbers. */
  nextSeq: () => number;
}

export class Shard {
  readonly id: number;
  segments: SegmentState[] = [];
  private readonly writer: SegmentWriter;
  private readonly options: ShardOptions;
  /**
   * External id -> seq * 2^32 + doc for segments, -(local + 1) for the buffer. Built from the
   * segments the first time a write or a lookup by id needs it: searches never do, and building
   * it for a million documents was a seventh of the time to open an index.
   */
  private idMap: Map<string, number> | null = null;
  private readonly bySeq = new Map<number, SegmentState>();
  private bufferDeleted: number[] = [];

  constructor(id: number, analyzer: Analyzer, options: ShardOptions) {
    this.id = id;
    this.writer = new SegmentWriter(analyzer);
    this.options = options;
  }

  private get ids(): Map<string, number> {
    if (this.idMap === null) {
      const map = new Map<string, number>();
      for (const state of this.segments) addIds(map, state);
      this.idMap = map;
    }
    return this.idMap;
  }

  /** Live documents, buffer included. */
  get docCount(): number {
    if (this.idMap !== null) return this.idMap.size;
    // Without the map there is no buffer (an add builds it), and an id is live in one segment only.
    let n = 0;
    for (const s of this.segments) n += s.segment.docCount - s.deletedCount;
    return n;
  }

  /**
   * The external ids of the live documents (buffer included). Read from the segments while the id
   * map is not built (there is no buffer then), so listing ids does not build it.
   */
  liveIds(): IterableIterator<string> {
    return this.idMap !== null ? this.idMap.keys() : this.segmentIds();
  }

  private *segmentIds(): IterableIterator<string> {
    for (const state of this.segments) {
      const idList = state.segment.idList();
      for (let d = 0; d < idList.length; d++) if (!state.deleted?.[d]) yield idList[d];
    }
  }

  /** Adds or replaces a document. Searchable after the next `refresh()`. */
  add(doc: DocumentInput): void {
    this.delete(doc.id);
    const local = this.writer.add(doc);
    this.ids.set(doc.id, -(local + 1));
    if (this.writer.tokenCount >= this.options.bufferTokens) this.refresh();
  }

  /**
   * Bulk loading: attaches a segment built elsewhere whose documents replace any older copies of
   * their ids. `superseded` docs (an id repeated later in the same segment) and docs whose id
   * `isStale` (changed since the segment was submitted) are marked deleted. With `fresh` (the
   * caller knows that no id of the segment is in the shard, nor stale), the ids are not looked at:
   * a shard whose id map is not built yet (see {@link ids}) does not build it.
   */
  attachReplacing(
    segment: Segment,
    superseded: readonly number[],
    isStale: (id: string) => boolean,
    file: string | null = null,
    seq?: number,
    fresh = false,
  ): SegmentState {
    if (fresh) return this.attach(segment, file, deletedFrom(superseded, segment.docCount), seq);
    const deleted = deletedFrom(superseded, segment.docCount) ?? new Uint8Array(segment.docCount);
    let any = superseded.length > 0;
    const idList = segment.idList();
    for (let d = 0; d < segment.docCount; d++) {
      if (deleted[d]) continue;
      const id = idList[d];
      if (isStale(id)) {
        deleted[d] = 1;
        any = true;
      } else {
        this.delete(id);
      }
    }
    return this.attach(segment, file, any ? deleted : null, seq);
  }

  /** Deletes by external id; returns whether it existed. */
  delete(id: string): boolean {
    const addr = this.ids.get(id);
    if (addr === undefined) return false;
    this.ids.delete(id);
    if (addr < 0) {
      this.bufferDeleted.push(-addr - 1);
      return true;
    }
    const state = this.bySeq.get(Math.floor(addr / ADDR_SCALE));
    if (!state) throw new Error(`shard ${this.id}: id ${id} points at a missing segment`);
    markDeleted(state, addr % ADDR_SCALE);
    return true;
  }

  /** Where a live document is: its segment state and doc number (refreshes the buffer first). */
  locate(id: string): { state: SegmentState; doc: number } | undefined {
    let addr = this.ids.get(id);
    if (addr === undefined) return undefined;
    if (addr < 0) {
      this.refresh();
      addr = this.ids.get(id)!;
    }
    return { state: this.bySeq.get(Math.floor(addr / ADDR_SCALE))!, doc: addr % ADDR_SCALE };
  }

  /** Freezes buffered documents into a new in-memory segment, so searches see them. */
  refresh(): void {
    if (this.writer.docCount === 0) return;
    const segment = this.writer.freeze();
    // Buffer docs keep their numbers: local doc i becomes segment doc i.
    this.attach(segment, null, deletedFrom(this.bufferDeleted, segment.docCount));
    this.bufferDeleted = [];
    // Frequent refreshes (a search after each add) make many tiny segments: fold the smallest
    // together, leaving the largest few alone so that a long load does not re-merge them each time.
    const unpersisted = this.segments.filter((s) => s.file === null);
    if (unpersisted.length > MAX_UNPERSISTED) {
      unpersisted.sort((a, b) => a.segment.docCount - b.segment.docCount);
      this.merge(unpersisted.slice(0, unpersisted.length - MAX_UNPERSISTED / 2));
    }
  }

  /**
   * Adds a segment (loaded, frozen, built or merged) and points its live ids at it. Any older copy
   * of those ids is already deleted, so the new addresses always win.
   */
  attach(
    segment: Segment,
    file: string | null,
    deleted: Uint8Array | null = null,
    seq?: number,
  ): SegmentState {
    const state: SegmentState = {
      seq: seq ?? this.options.nextSeq(),
      segment,
      deleted,
      deletedCount: 0,
      file,
      deletesFile: null,
      deletesDirty: false,
    };
    if (deleted) {
      for (let d = 0; d < deleted.length; d++) state.deletedCount += deleted[d] ? 1 : 0;
      state.deletesDirty = state.deletedCount > 0;
    }
    this.segments.push(state);
    this.bySeq.set(state.seq, state);
    if (this.idMap !== null) addIds(this.idMap, state);
    return state;
  }

  /** Merges the given segments (all of this shard) into one; returns the new state. */
  merge(states: readonly SegmentState[]): SegmentState {
    const sources: MergeSource[] = states.map((s) => ({ segment: s.segment, deleted: s.deleted }));
    const merged = mergeSegments(sources);
    const gone = new Set(states);
    this.segments = this.segments.filter((s) => !gone.has(s));
    for (const s of states) {
      this.bySeq.delete(s.seq);
      s.segment.close();
    }
    return this.attach(merged, null);
  }
}

/** Maps the live docs of a segment to their addresses. */
function addIds(map: Map<string, number>, state: SegmentState): void {
  const base = state.seq * ADDR_SCALE;
  const idList = state.segment.idList();
  const deleted = state.deleted;
  for (let d = 0; d < state.segment.docCount; d++) if (!deleted?.[d]) map.set(idList[d], base + d);
}

/** A deletes array marking the listed docs, or null when none are listed. */
function deletedFrom(docs: readonly number[] | undefined, docCount: number): Uint8Array | null {
  if (!docs || docs.length === 0) return null;
  const deleted = new Uint8Array(docCount);
  for (const d of docs) deleted[d] = 1;
  return deleted;
}

function markDeleted(state: SegmentState, doc: number): void {
  if (!state.deleted) state.deleted = new Uint8Array(state.segment.docCount);
  if (state.deleted[doc]) return;
  state.deleted[doc] = 1;
  state.deletedCount++;
  state.deletesDirty = true;
}
