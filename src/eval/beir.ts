/**
 * @module eval/beir
 * Reads a BEIR-format collection folder (see shared/data/README.md): `queries.jsonl`, `qrels.tsv`
 * and `corpus.jsonl`, the corpus streamed line by line so files of any size fit in memory.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BadInputError, FunnelError } from '../errors.js';
import { type CorpusDoc, parseCorpusLine, parseRecord, stringField } from '../ingest/jsonl.js';
import { readLineBatches } from '../ingest/lines.js';
import { parseBeirQrels, type Qrels } from './qrels.js';
import { forEachLine, lineSource, readText } from './text-lines.js';

export type { CorpusDoc };

export interface CorpusOptions {
  /** Called for each unusable line (bad JSON, no `_id`, ...); the line is skipped. Default: collect into `errors`. */
  onError?: (err: BadInputError) => void;
}

/** The corpus generator; `errors` holds the skipped lines' errors when no `onError` was given. */
export type CorpusIterator = AsyncGenerator<CorpusDoc, void, undefined> & {
  readonly errors: BadInputError[];
};

/** `path` itself if it is a file, else `path/name` (so callers may pass the folder or the file). */
async function beirFile(path: string, name: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? join(path, name) : path;
  } catch (err) {
    throw new BadInputError(path, `cannot read: ${(err as Error).message}`);
  }
}

/** Reads `queries.jsonl` (a folder or the file) into query id → text, in file order. Throws on any bad line. */
export async function readQueries(path: string): Promise<Map<string, string>> {
  const file = await beirFile(path, 'queries.jsonl');
  const queries = new Map<string, string>();
  forEachLine(await readText(file), (line, lineNo) => {
    if (line.trim() === '') return;
    const source = lineSource(file, lineNo);
    const { id, record } = parseRecord(line, source);
    if (queries.has(id)) throw new BadInputError(source, `duplicate query id "${id}"`);
    queries.set(id, stringField(record, 'text', source));
  });
  return queries;
}

/** Reads `qrels.tsv` (a folder or the file). */
export async function readQrels(path: string): Promise<Qrels> {
  const file = await beirFile(path, 'qrels.tsv');
  return parseBeirQrels(await readText(file), file);
}

/**
 * Streams `corpus.jsonl` (a folder or the file) one document per line. An unusable line is skipped
 * and reported to `onError` (default: pushed onto the iterator's `errors`); an error thrown by
 * `onError` ends the iteration. A missing or unreadable file throws BadInputError.
 */
export function iterateCorpus(path: string, options: CorpusOptions = {}): CorpusIterator {
  const errors: BadInputError[] = [];
  const onError = options.onError ?? ((err: BadInputError) => void errors.push(err));
  return Object.assign(streamCorpus(path, onError), { errors });
}

async function* streamCorpus(
  path: string,
  onError: (err: BadInputError) => void,
): AsyncGenerator<CorpusDoc, void, undefined> {
  const file = await beirFile(path, 'corpus.jsonl');
  let lineNo = 0;
  try {
    for await (const batch of readLineBatches(file)) {
      for (const raw of batch) {
        lineNo++;
        const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        if (line.trim() === '') continue;
        let doc: CorpusDoc;
        try {
          doc = parseCorpusLine(line, lineSource(file, lineNo));
        } catch (err) {
          if (!(err instanceof BadInputError)) throw err;
          onError(err);
          continue;
        }
        yield doc;
      }
    }
  } catch (err) {
    if (err instanceof FunnelError || !(err instanceof Error) || !('code' in err)) throw err;
    throw new BadInputError(file, `cannot read: ${err.message}`);
  }
}
