/**
 * @module cli/commands/train-cmd
 * `funnel train --data <folder> --out models/ltr.json`: trains the stage-2 ranker on the judged
 * queries of BEIR collections (human qrels or a judge's), reporting leave-one-collection-out
 * results: each collection scored by a model trained on the others only. `--qrels <file>` trains on
 * any judgments instead of each collection's qrels.tsv (a judge's from `funnel judge`, keyed by
 * query id), distilling the judge into the ranker; with one collection the report is in-sample.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { readQrels } from '../../eval/beir.js';
import type { Qrels } from '../../eval/qrels.js';
import { scoreRows } from '../../funnel/ltr-model.js';
import { validateProfile } from '../../funnel/profile.js';
import { averageModels, idealDcg10, ndcg10, type TrainingQuery, trainLinear } from '../../funnel/train.js';
import { type CollectionData, collectionData, collectionIndex } from '../../funnel/train-data.js';
import { err, json, out, UsageError } from '../io.js';

interface TrainFlags {
  data: string;
  collections?: string;
  retrieve: string;
  depth: string;
  out?: string;
  work?: string;
  json?: boolean;
  semantic?: boolean;
  qrels?: string;
}

const ENGLISH = 'cranfield,cisi,med,adi,lisa,time,cystic-fibrosis,scifact,nfcorpus';

/** Mean nDCG@10 and recall@117 of `queries` ranked by `scores(q)` (stage 1 order when null). */
function measure(data: CollectionData, scoresOf: ((q: TrainingQuery) => Float64Array) | null) {
  let ndcg = 0;
  let recall = 0;
  let judged = 0;
  for (const q of data.queries) {
    const scores = scoresOf ? scoresOf(q) : Float64Array.from(q.ids, (_, i) => -i);
    ndcg += ndcg10(q, scores, idealDcg10(q.grades));
    const relevant = [...q.grades.values()].filter((g) => g > 0).length;
    if (relevant > 0) {
      const order = [...q.ids.keys()].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 117);
      recall += order.filter((i) => (q.grades.get(q.ids[i]) ?? 0) > 0).length / relevant;
      judged++;
    }
  }
  // Judged queries missing from the candidates count as zero, as trec_eval -c does.
  const n = Math.max(1, data.qrels.size);
  return { ndcg10: ndcg / n, recall117: recall / Math.max(1, judged) };
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the stage-2 ranker on judged queries (leave-one-collection-out report)')
    .requiredOption('--data <folder>', 'folder of BEIR collections (corpus.jsonl, queries.jsonl, qrels.tsv)')
    .option('--collections <names>', 'comma-separated collections', ENGLISH)
    .option('--retrieve <model>', 'first-stage model the ranker reranks', 'bm25')
    .option('--depth <n>', 'candidates per query to train on', '200')
    .option('--semantic', 'add word-vector features (reads candidate text: for a stage of ~1000)')
    .option(
      '--qrels <file>',
      "train and evaluate on these judgments (BEIR qrels.tsv, human or from funnel judge, keyed by query id) instead of each collection's qrels.tsv",
    )
    .option('--out <file>', 'write the model trained on every collection here')
    .option('--work <dir>', 'where collection indexes are kept', path.join(os.tmpdir(), 'funnel-train'))
    .option('--json', 'print JSON')
    .action(async (flags: TrainFlags) => {
      const names = (flags.collections ?? ENGLISH).split(',').filter(Boolean);
      const depth = Number(flags.depth);
      if (!Number.isInteger(depth) || depth < 10)
        throw new UsageError(`--depth must be an integer >= 10, got ${flags.depth}`);
      const retrieve = validateProfile(
        { stages: [{ kind: 'retrieve', model: flags.retrieve, keep: depth }] },
        'train',
      ).stages[0];
      const external: Qrels | undefined = flags.qrels ? await readQrels(flags.qrels) : undefined;
      const data: CollectionData[] = [];
      for (const name of names) {
        const dir = path.join(flags.data, name);
        const needed = external
          ? ['corpus.jsonl', 'queries.jsonl']
          : ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv'];
        const lacking = needed.filter((f) => !fs.existsSync(path.join(dir, f)));
        if (lacking.length > 0)
          throw new UsageError(`${dir}: not a BEIR collection (no ${lacking.join(', no ')})`);
        const engine = await collectionIndex(dir, flags.work ?? path.join(os.tmpdir(), 'funnel-train'));
        const t0 = performance.now();
        const d = await collectionData(engine, dir, retrieve, { semantic: flags.semantic, qrels: external });
        await engine.close();
        if (external && d.queries.length === 0) {
          if (!flags.json) err(`${name}: no query judged in ${flags.qrels}; left out`);
          continue;
        }
        data.push(d);
        if (!flags.json)
          err(
            `${name}: ${d.queries.length} judged queries, features in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
          );
      }
      if (data.length === 0)
        throw new UsageError(
          `${flags.qrels}: judges no query (with a document in the index) of ${names.join(', ')}`,
        );
      // Leave-one-collection-out needs two collections; one collection with --qrels is trained and
      // scored on the same judgments (in-sample), and the report says so.
      const inSample = external !== undefined && data.length === 1;
      const evaluation = inSample ? 'in-sample' : 'leave-one-collection-out';
      const features = data[0].features;
      const folds: ReturnType<typeof trainLinear>[] = [];
      const rows = data.map((held) => {
        const train = inSample ? held.queries : data.filter((d) => d !== held).flatMap((d) => d.queries);
        const model = trainLinear(train, features);
        const score = (q: TrainingQuery) => {
          const s = new Float64Array(q.ids.length);
          scoreRows(model, features, q.values, s);
          return s;
        };
        const base = measure(held, null);
        const ltr = measure(held, score);
        folds.push(model);
        return { collection: held.name, queries: held.queries.length, stage1: base, reranked: ltr };
      });
      const mean = (f: (r: (typeof rows)[number]) => number) =>
        rows.reduce((s, r) => s + f(r), 0) / rows.length;
      const summary = {
        stage1Ndcg10: mean((r) => r.stage1.ndcg10),
        rerankedNdcg10: mean((r) => r.reranked.ndcg10),
        stage1Recall117: mean((r) => r.stage1.recall117),
        rerankedRecall117: mean((r) => r.reranked.recall117),
      };
      // The model written is the average of the held-out folds' models (bagging), over the
      // standardization of all the data; with one collection, the model trained on it.
      const fit = trainLinear(
        data.flatMap((d) => d.queries),
        features,
      );
      const all = inSample ? fit : { features: fit.features, ...averageModels(folds, fit.mean, fit.std) };
      const trainedOn = data.map((d) => d.name);
      const command = `funnel train --data ${flags.data} --collections ${trainedOn.join(',')} --retrieve ${flags.retrieve} --depth ${depth}${flags.semantic ? ' --semantic' : ''}${flags.qrels ? ` --qrels ${flags.qrels}` : ''}`;
      const model = {
        format: 1 as const,
        features: all.features,
        mean: all.mean,
        std: all.std,
        weights: all.weights,
        trainedOn,
        command,
        notes: {
          retrieve: flags.retrieve,
          depth,
          ...(flags.qrels ? { qrels: flags.qrels } : {}),
          evaluation,
          ...(inSample ? { inSample: rows } : { leaveOneCollectionOut: rows }),
          mean: summary,
        },
      };
      if (flags.out) fs.writeFileSync(flags.out, `${JSON.stringify(model, null, 2)}\n`);
      if (flags.json) return json({ evaluation, qrels: flags.qrels, rows, mean: summary, model });
      if (inSample)
        out(
          `in-sample on ${flags.qrels}: one collection, so leave-one-collection-out is not possible; the ranker is scored on the judgments it was trained on (optimistic). ${flags.retrieve} top ${depth} reranked (nDCG@10 / recall@117):`,
        );
      else
        out(
          `leave-one-collection-out${flags.qrels ? ` on ${flags.qrels}` : ''}, ${flags.retrieve} top ${depth} reranked (nDCG@10 / recall@117):`,
        );
      for (const r of rows) {
        const gain = ((r.reranked.ndcg10 / (r.stage1.ndcg10 || 1) - 1) * 100).toFixed(1);
        out(
          `  ${r.collection.padEnd(16)} ${r.stage1.ndcg10.toFixed(3)} → ${r.reranked.ndcg10.toFixed(3)} (${gain}%)   R@117 ${r.stage1.recall117.toFixed(3)} → ${r.reranked.recall117.toFixed(3)}`,
        );
      }
      out(
        `  ${'mean'.padEnd(16)} ${summary.stage1Ndcg10.toFixed(3)} → ${summary.rerankedNdcg10.toFixed(3)} (${((summary.rerankedNdcg10 / summary.stage1Ndcg10 - 1) * 100).toFixed(1)}%)`,
      );
      out(`weights: ${all.features.map((f, j) => `${f}=${all.weights[j].toFixed(3)}`).join(' ')}`);
      if (flags.out) out(`model written to ${flags.out}`);
    });
}
