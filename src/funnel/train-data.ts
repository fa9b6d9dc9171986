/**
 * @module funnel/train-data
 * Judged queries as training and evaluation data: a BEIR collection is indexed (or reopened), each
 * judged query goes through the first stage, and its candidates get stage-2 features. Shared by
 * `funnel train` (leave-one-collection-out) and evaluation. The judgments are the collection's own
 * `qrels.tsv`, or any qrels passed in (a judge's, from `funnel judge`), keyed by query id.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine.js';
import { BadInputError } from '../errors.js';
import { readQrels, readQueries } from '../eval/beir.js';
import type { Qrels } from '../eval/qrels.js';
import { readLineChunks } from '../ingest/lines.js';
import { CandidateSet } from './candidate-set.js';
import type { StageSpec } from './profile.js';
import { semanticFeatures } from './semantic.js';
import { featureTerms, withSemantic } from './stages/rerank.js';
import { expansionResources, RetrieveStage } from './stages/retrieve.js';
import type { TrainingQuery } from './train.js';
import { newTrace } from './types.js';

export interface CollectionData {
  name: string;
  queries: TrainingQuery[];
  features: readonly string[];
  qrels: Qrels;
}

/** What the cached index was built from: the corpus path, size and modification time. */
function corpusStamp(corpus: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(corpus);
  } catch (err) {
    throw new BadInputError(corpus, `cannot read the corpus: ${(err as Error).message}`);
  }
  return JSON.stringify({ corpus: path.resolve(corpus), bytes: st.size, mtimeMs: st.mtimeMs });
}

/**
 * Opens the index of a BEIR collection in `workDir/<name>`, building it on first use, and again
 * when the corpus file changed (its path, size and mtime are recorded in `INDEXED`).
 */
export async function collectionIndex(collectionDir: string, workDir: string): Promise<Engine> {
  const name = path.basename(path.resolve(collectionDir));
  const dir = path.join(workDir, name);
  const done = path.join(dir, 'INDEXED');
  const corpus = path.join(collectionDir, 'corpus.jsonl');
  const stamp = corpusStamp(corpus);
  if (!fs.existsSync(done) || fs.readFileSync(done, 'utf8') !== stamp) {
    fs.rmSync(dir, { recursive: true, force: true });
    const e = await Engine.open(dir, { bulk: true, shards: 1 });
    const jobs: Promise<unknown>[] = [];
    for await (const c of readLineChunks(corpus)) {
      jobs.push(e.addJsonl(c.bytes, corpus, c.firstLine));
      await e.settle();
    }
    await Promise.all(jobs);
    await e.commit();
    await e.merge();
    await e.close();
    fs.writeFileSync(done, stamp);
  }
  return Engine.open(dir, { readOnly: true });
}

export interface CollectionDataOptions {
  /** Add the word-vector features. */
  semantic?: boolean;
  /**
   * Judgments to use instead of the collection's `qrels.tsv` (which then need not exist), keyed by
   * query id; they may hold other collections' queries too. Of a query of this collection only the
   * judgments of documents in its index are kept, so ids shared by two collections do not mix.
   */
  qrels?: Qrels;
}

/** Keeps the judgments of `external` that belong to this collection's queries and documents. */
function ownJudgments(engine: Engine, queries: Map<string, string>, external: Qrels): Qrels {
  const own: Qrels = new Map();
  for (const qid of queries.keys()) {
    const grades = external.get(qid);
    if (!grades) continue;
    const kept = new Map([...grades].filter(([docId]) => engine.get(docId) !== undefined));
    if (kept.size > 0) own.set(qid, kept);
  }
  return own;
}

/** Every judged query of the collection through `retrieve` (keeping `depth`), with features. */
export async function collectionData(
  engine: Engine,
  collectionDir: string,
  retrieve: StageSpec,
  options: CollectionDataOptions = {},
): Promise<CollectionData> {
  const embeddings = options.semantic ? (await expansionResources()).embeddings : undefined;
  if (options.semantic && !embeddings)
    throw new Error('semantic features need the word vectors, which could not be loaded');
  const queries = await readQueries(collectionDir);
  const qrels = options.qrels ? ownJudgments(engine, queries, options.qrels) : await readQrels(collectionDir);
  const stage = new RetrieveStage(retrieve);
  const out: TrainingQuery[] = [];
  let names: readonly string[] = [];
  for (const [qid, text] of queries) {
    const grades = qrels.get(qid);
    if (!grades) continue;
    const original = engine.parse(text);
    const trace = newTrace(`1:${retrieve.model}`, retrieve);
    const ctx = {
      engine,
      question: text,
      original,
      query: original,
      deadline: Number.POSITIVE_INFINITY,
      trace,
    };
    const candidates = await stage.run(CandidateSet.empty(), ctx);
    const refs = candidates.refs();
    const m = engine.features(refs, featureTerms(original, ctx.query), {
      fromScores: candidates.bm25Of === ctx.query,
    });
    let values = m.values;
    names = m.names;
    if (embeddings) {
      ({ names, values } = withSemantic(m.names, m.values, semanticFeatures(engine, refs, text, embeddings)));
    }
    out.push({ group: path.basename(collectionDir), qid, ids: refs.ids.toArray(), values, grades });
  }
  return { name: path.basename(collectionDir), queries: out, features: names, qrels };
}
