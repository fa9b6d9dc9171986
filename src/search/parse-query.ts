/**
 * @module search/parse-query
 * Query syntax → Query. Never throws: anything it cannot read as syntax is read as plain words.
 *
 *   plain words        OR, ranked by BM25            startup ideas
 *   "quoted phrase"    terms at consecutive positions  "paul graham"
 *   +word  -word       required / excluded            +python -snake
 *   word^0.5           boost (weight)                 cafe^0.3
 *   title:word         only in a searchable field     title:"graph theory"
 *   key:value          metadata exact (case-folded)   lang:en  from:"Ann Lee"
 *   key:>=N  key:<N    metadata range (numbers, ISO dates)   year:>=2001  date:<2020-01-01
 *   key:a..b           inclusive range                year:1999..2004
 *   after:D before:D   date metadata after / before   after:2023-01-01 before:2023-07
 *   from:x to:x        mail address, domain or name word   from:enron.com from:kaminski
 *   -key:value         excludes a metadata value
 *
 * `key:` is syntax only when `key` is a searchable field or a metadata key the index has; otherwise
 * "key:value" stays plain words (so "error: not found" or "C++:" search as text).
 */

import type { Analyzer } from '../analysis/index.js';
import { metaNumber } from '../index/meta-index.js';
import type { Clause, Filter, Occur, Query } from './query.js';

export interface ParseContext {
  analyzer: Analyzer;
  fields: readonly string[];
  /** Metadata keys present in the index. */
  metaKeys: ReadonlySet<string>;
}

/** `after:` and `before:` filter the `date` metadata (mail, PDFs, front matter) by range. */
const DATE_ALIASES: Record<string, string> = { after: '>', before: '<' };

/**
 * `from:` and `to:` match any part of an address (`from:enron.com`, `from:kaminski`) through the
 * `from-any` / `to-any` metadata that mail ingest writes (see ingest/address-keys), when the index
 * has it. A quoted name matches a whole display name (`from:"david howells"`).
 */
const ADDRESS_KEYS: Record<string, string> = { from: 'from-any', to: 'to-any' };

/** Longest query accepted; longer input is cut (a hostile query cannot cost unbounded work). */
export const MAX_QUERY_CHARS = 10_000;
/** Most clauses kept from one query. */
export const MAX_CLAUSES = 1024;

interface RawToken {
  occur: Occur;
  key: string | null;
  value: string;
  quoted: boolean;
  boost: number;
}

export function parseQuery(input: string, ctx: ParseContext): Query {
  const text = typeof input === 'string' ? input.slice(0, MAX_QUERY_CHARS) : '';
  const clauses: Clause[] = [];
  const filters: Filter[] = [];
  for (const tok of lex(text)) {
    if (clauses.length >= MAX_CLAUSES) break;
    const alias = tok.key !== null ? DATE_ALIASES[tok.key] : undefined;
    if (alias && ctx.metaKeys.has('date') && !ctx.metaKeys.has(tok.key!)) {
      // after:2023-01-01 is date:>2023-01-01; before:2023-01-01 is date:<2023-01-01.
      const filter = parseFilter('date', `${alias}${tok.value}`, tok.occur === 'mustNot');
      if (filter) {
        filters.push(filter);
        continue;
      }
    }
    const anyKey = tok.key !== null ? ADDRESS_KEYS[tok.key] : undefined;
    if (anyKey && ctx.metaKeys.has(anyKey) && tok.value.trim() !== '') {
      filters.push({ key: anyKey, kind: 'exact', value: tok.value.trim(), negate: tok.occur === 'mustNot' });
      continue;
    }
    if (tok.key !== null && ctx.metaKeys.has(tok.key) && !ctx.fields.includes(tok.key)) {
      const filter = parseFilter(tok.key, tok.value, tok.occur === 'mustNot');
      if (filter) {
        filters.push(filter);
        continue;
      }
    }
    let field: string | null = null;
    let value = tok.value;
    if (tok.key !== null) {
      if (ctx.fields.includes(tok.key)) field = tok.key;
      else value = `${tok.key} ${tok.value}`;
    }
    addClauses(clauses, value, tok, field, ctx.analyzer);
  }
  return { clauses: clauses.slice(0, MAX_CLAUSES), filters };
}

function addClauses(
  out: Clause[],
  value: string,
  tok: RawToken,
  field: string | null,
  analyzer: Analyzer,
): void {
  const analyzed = analyzer.analyze(value, 'query');
  const { terms, positions } = analyzed;
  if (terms.length === 0) return;
  const weight = tok.boost;
  if (tok.quoted || (tok.occur !== 'should' && terms.length > 1 && distinctPositions(positions) > 1)) {
    // A phrase: one clause over all terms. CJK query terms may share a position (a bigram and a
    // segmenter word); keep the shortest, the bigram, which the index holds at that position for
    // sure (segmenter words depend on the surrounding text).
    const pterms: string[] = [];
    const offsets: number[] = [];
    for (let i = 0; i < terms.length; i++) {
      const offset = positions[i] - positions[0];
      if (i > 0 && positions[i] === positions[i - 1]) {
        if (terms[i].length < pterms[pterms.length - 1].length) pterms[pterms.length - 1] = terms[i];
        continue;
      }
      pterms.push(terms[i]);
      offsets.push(offset);
    }
    if (pterms.length === 1) out.push({ terms: pterms, offsets: [0], field, occur: tok.occur, weight });
    else out.push({ terms: pterms, offsets, field, occur: tok.occur, weight });
    return;
  }
  const { starts, ends } = analyzed;
  for (let i = 0; i < terms.length; i++) {
    const surface = value.slice(starts[i], ends[i]);
    out.push({ terms: [terms[i]], offsets: [0], field, occur: tok.occur, weight, surface });
  }
}

function distinctPositions(positions: readonly number[]): number {
  return new Set(positions).size;
}

function parseFilter(key: string, raw: string, negate: boolean): Filter | null {
  const value = raw.trim();
  if (value === '') return null;
  const range = /^(>=|<=|>|<)(.+)$/.exec(value);
  if (range) {
    const n = metaNumber(range[2]);
    if (n === undefined) return null;
    const op = range[1];
    const lower = op[0] === '>';
    return {
      key,
      kind: 'range',
      min: lower ? n : Number.NEGATIVE_INFINITY,
      max: lower ? Number.POSITIVE_INFINITY : n,
      minInclusive: op === '>=',
      maxInclusive: op === '<=',
      negate,
    };
  }
  const between = /^(.+?)\.\.(.+)$/.exec(value);
  if (between) {
    const a = metaNumber(between[1]);
    const b = metaNumber(between[2]);
    if (a !== undefined && b !== undefined) {
      return { key, kind: 'range', min: a, max: b, minInclusive: true, maxInclusive: true, negate };
    }
  }
  return { key, kind: 'exact', value, negate };
}

/** Splits the input into raw tokens; unbalanced quotes become plain text. */
function* lex(text: string): Generator<RawToken> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    let occur: Occur = 'should';
    const c = text[i];
    if ((c === '+' || c === '-') && i + 1 < n && !isSpace(text.charCodeAt(i + 1))) {
      occur = c === '+' ? 'must' : 'mustNot';
      i++;
    }
    let key: string | null = null;
    const keyMatch = /^([\p{L}\p{N}_.-]{1,64}):(?=\S)/u.exec(text.slice(i, i + 66));
    if (keyMatch) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    let value: string;
    let quoted = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close > i) {
        value = text.slice(i + 1, close);
        quoted = true;
        i = close + 1;
      } else {
        // Unbalanced quote: drop it and read on as plain words.
        i++;
        continue;
      }
    } else {
      const start = i;
      while (i < n && !isSpace(text.charCodeAt(i)) && !(text[i] === '"' && i > start)) i++;
      value = text.slice(start, i);
    }
    let boost = 1;
    const boostMatch = /\^(\d+(?:\.\d+)?|\.\d+)$/.exec(value);
    if (boostMatch && !quoted) {
      boost = Math.min(100, Number(boostMatch[1]));
      value = value.slice(0, -boostMatch[0].length);
    } else if (quoted && text[i] === '^') {
      const m = /^\^(\d+(?:\.\d+)?|\.\d+)/.exec(text.slice(i));
      if (m) {
        boost = Math.min(100, Number(m[1]));
        i += m[0].length;
      }
    }
    if (!Number.isFinite(boost) || boost < 0) boost = 1;
    yield { occur, key, value, quoted, boost };
  }
}

function isSpace(code: number): boolean {
  return (
    code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 0x3000 || code === 0xa0
  );
}
