/**
 * @module search/score-segment
 * The "Scorer": runs a plan over one segment, term at a time. Each clause's postings are decoded in
 * bulk into scratch arrays and added into a score accumulator; touched docs are listed so that
 * collecting and resetting cost O(matches), not O(segment). This exhaustive path is what a wide
 * stage-1 k (30,000) wants; its cost is the sum of the query terms' posting lengths.
 *
 * A scoring can stop short of resetting (`keep`) and a later one resume from its accumulators,
 * scoring only clauses `from..` of a longer query: pseudo-relevance feedback adds ~20 clauses to a
 * query whose own clauses were just scored for the first pass. Clauses are summed in the same
 * order either way, so the scores are bit-identical to scoring the longer query from scratch.
 */

import type { SegmentState } from '../index/shard.js';
import type { Plan, PlannedClause } from './plan.js';
import type { Filter } from './query.js';
import { selectDescending } from './select.js';

/** Reusable buffers, grown on demand; one per searcher (searches are synchronous). */
export class Scratch {
  acc = new Float64Array(0);
  seen = new Uint8Array(0);
  must = new Uint32Array(0);
  excluded = new Uint8Array(0);
  touched = new Int32Array(0);
  tfAcc = new Float64Array(0);
  clauseSeen = new Uint8Array(0);
  clauseTouched = new Int32Array(0);
  docs = new Int32Array(CHUNK);
  freqs = new Int32Array(CHUNK);
  /** The shorter field's postings of a two-field BM25F clause: docs and weighted, normalized tf. */
  sideDocs = new Int32Array(CHUNK);
  sideFreqs = new Int32Array(CHUNK);
  sideTf = new Float64Array(CHUNK);
  /** Some required clause set bits in `must` since the last reset. */
  mustUsed = false;
  positions: Int32Array[] = [];
  /** Scores sampled for a collection floor. */
  sample = new Float64Array(0);

  ensureDocs(n: number): void {
    if (this.acc.length >= n) return;
    this.acc = new Float64Array(n);
    this.seen = new Uint8Array(n);
    this.must = new Uint32Array(n);
    this.excluded = new Uint8Array(n);
    // One spare slot: the branch-free append writes before it counts.
    this.touched = new Int32Array(n + 1);
    this.tfAcc = new Float64Array(n);
    this.clauseSeen = new Uint8Array(n);
    this.clauseTouched = new Int32Array(n);
  }

  ensureSide(n: number): void {
    if (this.sideDocs.length >= n) return;
    this.sideDocs = new Int32Array(n);
    this.sideFreqs = new Int32Array(n);
    this.sideTf = new Float64Array(n);
  }

  ensurePostings(n: number): void {
    if (this.docs.length >= n) return;
    this.docs = new Int32Array(n);
    this.freqs = new Int32Array(n);
  }
}

export interface SegmentWork {
  /** Postings decoded and scored. */
  postings: number;
  /** Documents that matched (before top-k). */
  matched: number;
}

/**
 * Scores a segment and calls `collect(score, doc)` for every matching live doc that may be among
 * the best `keep` (see {@link collectScored}). Without `collect`, the scores stay in `scratch` and
 * `resume` says what was touched, for the caller to collect and reset.
 */
export function scoreSegment(
  state: SegmentState,
  plan: Plan,
  scratch: Scratch,
  collect: ((score: number, doc: number) => void) | null,
  resume?: Resume,
  keep?: number,
): SegmentWork {
  const seg = state.segment;
  const n = seg.docCount;
  scratch.ensureDocs(n);
  const { acc, seen, must, excluded, touched } = scratch;
  const deleted = state.deleted;
  const filterMask = collect === null ? null : filterMaskOf(state, plan);
  let touchedCount = resume?.touched ?? 0;
  let postings = 0;
  let excludedAny = resume?.excludedAny ?? false;

  const k1p1 = plan.k1 + 1;
  const invK1 = 1 / plan.k1;
  for (let ci = resume?.from ?? 0; ci < plan.clauses.length; ci++) {
    const pc = plan.clauses[ci];
    const { clause } = pc;
    const bit = pc.mustBit;
    if (bit) scratch.mustUsed = true;
    if (clause.occur === 'mustNot') {
      for (const fw of pc.fields) {
        postings += eachChunk(state, fw.field, clause.terms, clause.offsets, scratch, (count, docs) => {
          for (let i = 0; i < count; i++) excluded[docs[i]] = 1;
          if (count > 0) excludedAny = true;
        });
      }
      continue;
    }
    if (pc.combine && pc.fields.length === 2 && clause.terms.length === 1) {
      const merged = combineTwo(state, pc, plan, scratch, touchedCount);
      touchedCount = merged.touched;
      postings += merged.postings;
      continue;
    }
    if (pc.combine) {
      // BM25F: sum weighted, normalized tf over fields into tfAcc, then saturate once per doc.
      const { tfAcc, clauseTouched, clauseSeen } = scratch;
      let ct = 0;
      for (const fw of pc.fields) {
        const norms = seg.fields[fw.field].norms;
        const cache = plan.tfCaches[fw.field];
        postings += eachChunk(
          state,
          fw.field,
          clause.terms,
          clause.offsets,
          scratch,
          (count, docs, freqs) => {
            for (let i = 0; i < count; i++) {
              const d = docs[i];
              if (clauseSeen[d] === 0) {
                clauseSeen[d] = 1;
                clauseTouched[ct++] = d;
              }
              tfAcc[d] += freqs[i] * cache[norms[d]];
            }
          },
        );
      }
      const w = pc.idf * k1p1;
      for (let i = 0; i < ct; i++) {
        const d = clauseTouched[i];
        if (seen[d] === 0) {
          seen[d] = 1;
          touched[touchedCount++] = d;
        }
        acc[d] += w - w / (1 + tfAcc[d] * invK1);
        if (bit) must[d] |= bit;
        tfAcc[d] = 0;
        clauseSeen[d] = 0;
      }
      continue;
    }
    for (const fw of pc.fields) {
      const cache = plan.caches[fw.field];
      const norms = seg.fields[fw.field].norms;
      const w = fw.weight * fw.idf * k1p1;
      const table = scoreTable(fw, w, cache, 1);
      postings += eachChunk(state, fw.field, clause.terms, clause.offsets, scratch, (count, docs, freqs) => {
        for (let i = 0; i < count; i++) {
          const d = docs[i];
          const tf = freqs[i];
          touched[touchedCount] = d;
          touchedCount += 1 - seen[d];
          seen[d] = 1;
          acc[d] += tf < TABLE_TF ? table[(tf << 8) | norms[d]] : w - w / (1 + tf * cache[norms[d]]);
          if (bit) must[d] |= bit;
        }
      });
    }
  }

  let matched = 0;
  if (collect !== null && plan.scoring) {
    const part = { state, scratch, touched: touchedCount, excludedAny, filterMask, collect };
    matched = collectScored(plan, [part], keep);
  } else if (collect !== null && filterMask) {
    // Filters alone: every live doc that passes them, unscored.
    for (let d = 0; d < n; d++) {
      if (filterMask[d] !== 1 || deleted?.[d] || (excludedAny && excluded[d])) continue;
      matched++;
      collect(0, d);
    }
  }
  if (collect === null || resume?.keep) {
    // Kept for a later scoring (a carry's first pass), or for the caller to collect and reset.
    if (resume) {
      resume.touched = touchedCount;
      resume.excludedAny = excludedAny;
    }
    return { postings, matched };
  }
  resetScratch(scratch, touchedCount, excludedAny, n);
  return { postings, matched };
}

/** A segment scored and not collected yet: its `touched` docs' scores are in `scratch`. */
export interface ScoredSegment {
  state: SegmentState;
  scratch: Scratch;
  touched: number;
  excludedAny: boolean;
  /** See {@link filterMaskOf}. */
  filterMask: Uint8Array | null;
  collect: (score: number, doc: number) => void;
}

/**
 * Calls each part's `collect(score, doc)` for its touched docs that match (live, not excluded,
 * every required clause, the filters) and may be among the best `keep` of them all (every match
 * when `keep` is not given): when far more docs match than `keep`, a sample of their scores gives
 * a floor that about 1.1 × `keep` of them reach, and docs below it are not offered, as long as at
 * least `keep` docs are at or above it (else they are offered after all). A stage-1 top 30,000 of
 * 300,000 matches then takes ~33,000 offers instead of ~90,000 and is cut back a few times instead
 * of eight. Returns the number of matches.
 */
export function collectScored(plan: Plan, parts: readonly ScoredSegment[], keep?: number): number {
  const floor = keep === undefined ? Number.NEGATIVE_INFINITY : sampledFloor(parts, keep);
  let matched = 0;
  let above = 0;
  for (const part of parts) {
    const got = collectTouched(plan, part, floor, false);
    matched += got.matched;
    above += got.above;
  }
  // Too few at or above the floor: the rest after all.
  if (above < (keep ?? 0) && floor !== Number.NEGATIVE_INFINITY)
    for (const part of parts) collectTouched(plan, part, floor, true);
  return matched;
}

/**
 * Offers a part's matches at or above `floor` (`below` false; returns how many matched and how
 * many of them were at or above it), or only those below it (`below` true).
 */
function collectTouched(
  plan: Plan,
  part: ScoredSegment,
  floor: number,
  below: boolean,
): { matched: number; above: number } {
  const { acc, must, excluded, touched } = part.scratch;
  const { excludedAny, filterMask, collect } = part;
  const deleted = part.state.deleted;
  const mustMask = plan.mustMask;
  const docCount = part.state.segment.docCount;
  // A touched doc matches unless deleted (no required or excluded terms, no filters), and one that
  // was not touched scores 0, below a positive floor: a scan in doc order that branches on the
  // floor (taken by a tenth of the docs), see DENSE.
  if (
    isDense(part.touched, docCount) &&
    !below &&
    floor > 0 &&
    !excludedAny &&
    mustMask === 0 &&
    filterMask === null
  ) {
    let above = 0;
    for (let d = 0; d < docCount; d++) {
      const score = acc[d];
      if (score >= floor && (deleted === null || deleted[d] === 0)) {
        above++;
        collect(score, d);
      }
    }
    let matched = part.touched;
    if (deleted !== null) {
      const { seen } = part.scratch;
      for (let d = 0; d < docCount; d++) matched -= seen[d] & deleted[d];
    }
    return { matched, above };
  }
  let matched = 0;
  let above = 0;
  for (let i = 0; i < part.touched; i++) {
    const d = touched[i];
    if (
      !deleted?.[d] &&
      !(excludedAny && excluded[d]) &&
      (mustMask === 0 || (must[d] & mustMask) === mustMask) &&
      (filterMask === null || filterMask[d] === 1)
    ) {
      matched++;
      const score = acc[d];
      if (score >= floor) {
        above++;
        if (!below) collect(score, d);
      } else if (below) collect(score, d);
    }
  }
  return { matched, above };
}

/** The filter mask of a segment for `plan` (null when it has no filters); see {@link buildFilter}. */
export function filterMaskOf(state: SegmentState, plan: Plan): Uint8Array | null {
  return plan.filters.length > 0 ? buildFilter(state, plan.filters) : null;
}

/**
 * BM25F of a one-term clause over two fields (title and text), without a pass over per-doc
 * scratch: the shorter list is decoded whole, the longer one streams in chunks, and the two are
 * merged by doc, so each doc's weighted tfs are summed and saturated as it goes by. The sum of two
 * values is the same in either order, so scores equal the general path's bit for bit.
 */
function combineTwo(
  state: SegmentState,
  pc: PlannedClause,
  plan: Plan,
  scratch: Scratch,
  touchedCount: number,
): { touched: number; postings: number } {
  const seg = state.segment;
  const term = pc.clause.terms[0];
  const [a, b] = pc.fields;
  const ordA = seg.lookup(a.field, term);
  const ordB = seg.lookup(b.field, term);
  const dfA = ordA < 0 ? 0 : seg.docFreq(a.field, ordA);
  const dfB = ordB < 0 ? 0 : seg.docFreq(b.field, ordB);
  if (dfA + dfB === 0) return { touched: touchedCount, postings: 0 };
  const [main, mainOrd, side, sideOrd, sideDf] =
    dfA >= dfB ? [a, ordA, b, ordB, dfB] : [b, ordB, a, ordA, dfA];
  if (sideDf > 0) decodeSide(seg, side.field, sideOrd, sideDf, plan, scratch);
  const { acc, seen, touched, must, docs, freqs, sideDocs, sideTf } = scratch;
  const norms = seg.fields[main.field].norms;
  const cache = plan.tfCaches[main.field];
  const decode = seg.startDecode(main.field, mainOrd);
  const w = pc.idf * (plan.k1 + 1);
  const invK1 = 1 / plan.k1;
  // A doc in the main field only (most of them): its score by (tf, norm byte), without a division.
  const table = scoreTable(main, w, cache, invK1);
  const bit = pc.mustBit;
  let tc = touchedCount;
  let j = 0;
  let nextSide = sideDf > 0 ? sideDocs[0] : END;
  for (let done = false; !done; ) {
    let count = seg.decodeChunk(main.field, decode, docs, freqs, CHUNK);
    if (count === 0) {
      // A doc past every other flushes the shorter field's docs left after the longer one's last.
      docs[0] = END;
      count = 1;
      done = true;
    }
    for (let i = 0; i < count; i++) {
      const d = docs[i];
      // Docs of the shorter field only, before this one (few: the branch is predictable).
      while (nextSide < d) {
        touched[tc] = nextSide;
        tc += 1 - seen[nextSide];
        seen[nextSide] = 1;
        acc[nextSide] += w - w / (1 + sideTf[j] * invK1);
        if (bit) must[nextSide] |= bit;
        nextSide = ++j < sideDf ? sideDocs[j] : END;
      }
      if (done) break;
      const f = freqs[i];
      let score: number;
      if (d === nextSide) {
        score = w - w / (1 + (f * cache[norms[d]] + sideTf[j]) * invK1);
        nextSide = ++j < sideDf ? sideDocs[j] : END;
      } else score = f < TABLE_TF ? table[(f << 8) | norms[d]] : w - w / (1 + f * cache[norms[d]] * invK1);
      // Branch-free: whether d is new is a coin toss on common terms, too costly to mispredict.
      touched[tc] = d;
      tc += 1 - seen[d];
      seen[d] = 1;
      acc[d] += score;
      if (bit) must[d] |= bit;
    }
  }
  return { touched: tc, postings: dfA + dfB };
}

/** Decodes a term's whole postings in one field into `scratch.sideDocs/sideTf` (weighted tf). */
function decodeSide(
  seg: SegmentState['segment'],
  field: number,
  ord: number,
  df: number,
  plan: Plan,
  scratch: Scratch,
): void {
  scratch.ensureSide(df);
  const { sideDocs, sideFreqs, sideTf } = scratch;
  const n = seg.decodeChunk(field, seg.startDecode(field, ord), sideDocs, sideFreqs, df);
  const norms = seg.fields[field].norms;
  const cache = plan.tfCaches[field];
  for (let k = 0; k < n; k++) sideTf[k] = sideFreqs[k] * cache[norms[sideDocs[k]]];
}

/** Sampled scores per floor estimate: enough that the floor's rank is known to within ~2%. */
const FLOOR_SAMPLE = 16_384;

/**
 * A score that about 1.1 × `keep` of the parts' touched docs reach, estimated from an evenly spaced
 * sample of them (-Infinity when fewer than 4 × `keep` are touched: no pruning worth a pass).
 */
function sampledFloor(parts: readonly ScoredSegment[], keep: number): number {
  const total = parts.reduce((sum, p) => sum + p.touched, 0);
  if (keep < 1 || total < 4 * keep) return Number.NEGATIVE_INFINITY;
  const step = Math.max(1, Math.floor(total / FLOOR_SAMPLE));
  const room = Math.ceil(total / step) + parts.length;
  const own = parts[0].scratch;
  if (own.sample.length < room) own.sample = new Float64Array(room);
  const sample = own.sample;
  let m = 0;
  for (const { scratch, touched } of parts)
    for (let i = 0; i < touched; i += step) sample[m++] = scratch.acc[scratch.touched[i]];
  const rank = Math.ceil((1.1 * keep * m) / total);
  return rank >= m ? Number.NEGATIVE_INFINITY : selectDescending(sample, m, rank);
}

/**
 * A scoring that touched more than this share of a segment's docs is dense: collecting reads its
 * scores in doc order (a scan with a cached, prefetched stride) and resetting zeroes whole arrays,
 * instead of going through the touched list, whose docs come in the order clauses first reached
 * them: scattered reads of a 4 MB accumulator, each a likely cache and TLB miss. A feedback query
 * touches ~60% of a segment.
 */
const DENSE = 1 / 8;

function isDense(touchedCount: number, docCount: number): boolean {
  return touchedCount > docCount * DENSE;
}

/** Zeroes what a scoring touched (the touched docs, and the exclusions if any). */
export function resetScratch(scratch: Scratch, touchedCount: number, excludedAny: boolean, n: number): void {
  const { acc, seen, must, touched, excluded } = scratch;
  if (excludedAny) excluded.fill(0, 0, n);
  if (isDense(touchedCount, n)) {
    if (scratch.mustUsed) must.fill(0, 0, n);
    scratch.mustUsed = false;
    acc.fill(0, 0, n);
    seen.fill(0, 0, n);
    return;
  }
  if (scratch.mustUsed) {
    for (let i = 0; i < touchedCount; i++) must[touched[i]] = 0;
    scratch.mustUsed = false;
  }
  for (let i = 0; i < touchedCount; i++) {
    const d = touched[i];
    acc[d] = 0;
    seen[d] = 0;
  }
}

/** Where a scoring of one segment resumes (see the module doc). */
export interface Resume {
  /** First clause to score. */
  from: number;
  /** Touched docs already in the scratch. */
  touched: number;
  excludedAny: boolean;
  /** Leave the accumulators as they are at the end (for a later resume). */
  keep: boolean;
}

const END = 0x7fffffff;
/** Term frequencies below this are scored from a table. */
const TABLE_TF = 8;
/** Per clause field (an object of the plan, so once per query and thread), its score table. */
const tables = new WeakMap<object, Float64Array>();

/**
 * The scores of tf = 1..7 by norm byte, `table[tf << 8 | norm] = w - w / (1 + tf · cache[norm] · scale)`
 * (the same expression as the postings loop's, so the same bits): most postings then cost a load
 * instead of a division. Built once per query and field, not once per segment.
 */
function scoreTable(key: object, w: number, cache: Float64Array, scale: number): Float64Array {
  let table = tables.get(key);
  if (!table) {
    table = new Float64Array(TABLE_TF << 8);
    for (let tf = 1; tf < TABLE_TF; tf++)
      for (let n = 0; n < 256; n++) table[(tf << 8) | n] = w - w / (1 + tf * cache[n] * scale);
    tables.set(key, table);
  }
  return table;
}

/** Postings decoded per chunk: small enough that the scratch arrays stay in cache. */
const CHUNK = 4096;

/**
 * Calls `fn(count)` with successive chunks of a term's (doc, tf) pairs, or of a phrase's (doc,
 * phrase count) pairs, in `scratch.docs/freqs`; returns the number of postings read.
 */
function eachChunk(
  state: SegmentState,
  field: number,
  terms: readonly string[],
  offsets: readonly number[],
  scratch: Scratch,
  fn: (count: number, docs: Int32Array, freqs: Int32Array) => void,
): number {
  const seg = state.segment;
  if (terms.length === 1) {
    const ord = seg.lookup(field, terms[0]);
    if (ord < 0) return 0;
    const decode = seg.startDecode(field, ord);
    let total = 0;
    for (;;) {
      const count = seg.decodeChunk(field, decode, scratch.docs, scratch.freqs, CHUNK);
      if (count === 0) return total;
      total += count;
      fn(count, scratch.docs, scratch.freqs);
    }
  }
  const count = gatherPhrase(state, field, terms, offsets, scratch);
  if (count > 0) fn(count, scratch.docs, scratch.freqs);
  return count;
}

/** Puts the (doc, phrase count) pairs of a phrase in `scratch.docs/freqs`; returns their number. */
function gatherPhrase(
  state: SegmentState,
  field: number,
  terms: readonly string[],
  offsets: readonly number[],
  scratch: Scratch,
): number {
  const seg = state.segment;
  const ords: number[] = [];
  let minDf = Number.POSITIVE_INFINITY;
  for (const t of terms) {
    const o = seg.lookup(field, t);
    if (o < 0) return 0;
    ords.push(o);
    minDf = Math.min(minDf, seg.docFreq(field, o));
  }
  scratch.ensurePostings(Math.max(minDf, CHUNK));
  const cursors = ords.map((o) => seg.cursor(field, o));
  while (scratch.positions.length < cursors.length) scratch.positions.push(new Int32Array(64));
  let found = 0;
  if (!cursors[0].next()) return 0;
  let target = cursors[0].doc;
  for (;;) {
    // Align every cursor on one doc.
    let aligned = true;
    for (const c of cursors) {
      if (!c.advance(target)) return found;
      if (c.doc > target) {
        target = c.doc;
        aligned = false;
        break;
      }
    }
    if (aligned) {
      const lists: Int32Array[] = [];
      const counts: number[] = [];
      for (let i = 0; i < cursors.length; i++) {
        if (scratch.positions[i].length < cursors[i].freq)
          scratch.positions[i] = new Int32Array(cursors[i].freq * 2);
        counts.push(cursors[i].positions(scratch.positions[i]));
        lists.push(scratch.positions[i]);
      }
      const freq = phraseFreq(lists, counts, offsets);
      if (freq > 0) {
        scratch.docs[found] = target;
        scratch.freqs[found++] = freq;
      }
      if (!cursors[0].next()) return found;
      target = cursors[0].doc;
    }
  }
}

/** Counts start positions p of list 0 such that every list i holds p + offsets[i]. */
function phraseFreq(lists: Int32Array[], counts: number[], offsets: readonly number[]): number {
  let freq = 0;
  const idx = new Int32Array(lists.length);
  outer: for (let a = 0; a < counts[0]; a++) {
    const start = lists[0][a] - offsets[0];
    for (let i = 1; i < lists.length; i++) {
      const want = start + offsets[i];
      const list = lists[i];
      while (idx[i] < counts[i] && list[idx[i]] < want) idx[i]++;
      if (idx[i] >= counts[i]) break outer;
      if (list[idx[i]] !== want) continue outer;
    }
    freq++;
  }
  return freq;
}

/** One byte per doc: 1 when the doc passes every filter group (same key = OR, keys = AND, negations). */
function buildFilter(state: SegmentState, filters: readonly Filter[]): Uint8Array {
  const seg = state.segment;
  const n = seg.docCount;
  const groups = new Map<string, Filter[]>();
  const negated: Filter[] = [];
  for (const f of filters) {
    if (f.negate) negated.push(f);
    else {
      const g = groups.get(f.key);
      if (g) g.push(f);
      else groups.set(f.key, [f]);
    }
  }
  const mask = new Uint8Array(n).fill(1);
  const tmp = new Uint8Array(n);
  const apply = (f: Filter, out: Uint8Array) => {
    if (f.kind === 'exact') seg.meta.markExact(f.key, f.value, out, 1);
    else seg.meta.markRange(f.key, f.min, f.max, f.minInclusive, f.maxInclusive, out, 1);
  };
  for (const group of groups.values()) {
    tmp.fill(0);
    for (const f of group) apply(f, tmp);
    for (let d = 0; d < n; d++) mask[d] &= tmp[d];
  }
  for (const f of negated) {
    tmp.fill(0);
    apply(f, tmp);
    for (let d = 0; d < n; d++) if (tmp[d]) mask[d] = 0;
  }
  return mask;
}
