/**
 * @module eval/qrels
 * Relevance judgments in memory (`Qrels`) and the BEIR `qrels.tsv` reader. A grade is an integer;
 * grade >= 1 is relevant, grade <= 0 is judged non-relevant (see METRICS.md).
 */
import { BadInputError } from '../errors.js';
import { forEachLine, lineSource } from './text-lines.js';

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;

/** Judgments: query id → (doc id → grade). */
export type Qrels = Map<string, Map<string, number>>;

/**
 * Adds one judgment, refusing a second judgment of the same (query, doc) pair as trec_eval does
 * ("duplicate docs"). `grade` is the raw text; it must be an integer (`2`, `-1`, `1.0`).
 */
export function addJudgment(
  qrels: Qrels,
  qid: string,
  docId: string,
  grade: string,
  source: string,
  lineNo: number,
): void {
  if (!INTEGER.test(grade)) {
    throw new BadInputError(lineSource(source, lineNo), `relevance grade must be an integer, got "${grade}"`);
  }
  const value = Number(grade);
  let docs = qrels.get(qid);
  if (docs === undefined) {
    docs = new Map();
    qrels.set(qid, docs);
  }
  if (docs.has(docId)) {
    throw new BadInputError(
      lineSource(source, lineNo),
      `duplicate judgment for query "${qid}", doc "${docId}"`,
    );
  }
  docs.set(docId, value);
}

/**
 * Parses a BEIR qrels file: header `query-id<TAB>corpus-id<TAB>score`, then one tab-separated
 * judgment per line. Blank lines are skipped. `source` names the file in error messages.
 */
export function parseBeirQrels(text: string, source: string): Qrels {
  const qrels: Qrels = new Map();
  let sawHeader = false;
  forEachLine(text, (line, lineNo) => {
    if (line.trim() === '') return;
    const fields = line.split('\t');
    if (!sawHeader) {
      sawHeader = true;
      if (fields.length === 3 && fields[0] === 'query-id' && fields[1] === 'corpus-id') return;
      throw new BadInputError(
        lineSource(source, lineNo),
        `header must be "query-id<TAB>corpus-id<TAB>score", got "${line.slice(0, 80)}"`,
      );
    }
    if (fields.length !== 3 || fields[0] === '' || fields[1] === '') {
      throw new BadInputError(
        lineSource(source, lineNo),
        `expected 3 tab-separated fields (query-id, corpus-id, score), got ${fields.length}: "${line.slice(0, 80)}"`,
      );
    }
    addJudgment(qrels, fields[0], fields[1], fields[2], source, lineNo);
  });
  if (!sawHeader) throw new BadInputError(source, 'empty qrels file: missing header line');
  return qrels;
}
