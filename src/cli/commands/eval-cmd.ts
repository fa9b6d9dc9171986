/**
 * @module cli/commands/eval-cmd
 * `funnel eval --dataset <BEIR folder> | --all <folder> [--profile a,b] [--json] [--report out.html]`:
 * every judged query through every stage of each profile, with trec_eval's metrics per stage and
 * latency p50/p95; `--all` evaluates each collection of a folder and adds a mean row.
 */

import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { type CollectionEval, evaluateCollection } from '../../eval/collection-eval.js';
import { checkCollection, listCollections } from '../../eval/collections.js';
import {
  collectionsTable,
  degradedNotes,
  evalCharts,
  evalReportHtml,
  stageTable,
} from '../../eval/eval-report.js';
import { formatTable } from '../../eval/table.js';
import { err, json, out, UsageError } from '../io.js';
import { pickProfile } from '../profiles.js';
import { writeReport } from '../report-files.js';

interface EvalFlags {
  dataset?: string;
  all?: string;
  profile: string;
  config?: string;
  json?: boolean;
  report?: string;
  png?: boolean;
  indexDir: string;
  read: boolean;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description(
      'evaluate funnel profiles on judged BEIR collections: nDCG@10, MAP, MRR@10, recall at 10/100/117/1000/30000 and latency, per stage',
    )
    .option('-d, --dataset <folder>', 'a BEIR collection folder (corpus.jsonl, queries.jsonl, qrels.tsv)')
    .option('--all <folder>', 'every collection under this folder, with a mean row')
    .option('-p, --profile <names>', 'profiles to compare, comma-separated', 'default,bm25')
    .option('--config <file>', 'config file with more profiles (default: $FUNNEL_CONFIG)')
    .option('--json', 'print JSON')
    .option('--report <file>', 'write an HTML report with charts')
    .option('--png', 'with --report: also each chart as a PNG beside it')
    .option(
      '--index-dir <dir>',
      'where collection indexes are cached (rebuilt when the corpus changes)',
      path.join(os.tmpdir(), 'funnel-eval'),
    )
    .option('--no-read', 'stop after the ranking stages (skip the reader)')
    .action(async (flags: EvalFlags) => {
      if ((flags.dataset === undefined) === (flags.all === undefined))
        throw new UsageError('eval: give exactly one of --dataset <folder> or --all <folder>');
      const profiles = flags.profile.split(',').map((name) => pickProfile(name.trim(), flags.config));
      const dirs = flags.all !== undefined ? listCollections(flags.all) : [flags.dataset as string];
      if (flags.dataset !== undefined) checkCollection(flags.dataset);
      const results: CollectionEval[] = [];
      for (const dir of dirs) {
        const t0 = performance.now();
        const r = await evaluateCollection(dir, profiles, { indexDir: flags.indexDir, read: flags.read });
        results.push(r);
        err(
          `${r.name}: ${r.queries} queries, ${r.docs} docs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      if (flags.report) {
        const charts = await evalCharts(results);
        await writeReport(flags.report, evalReportHtml(results, charts), charts, flags.png ?? false);
      }
      if (flags.json) return json(results.length === 1 ? results[0] : { collections: results });
      for (const p of profiles)
        out(`${p.name}: ${results[0].profiles.find((r) => r.profile === p.name)?.funnel}`);
      out('');
      if (results.length > 1) {
        out(formatTable(collectionsTable(results)));
        out('');
      }
      for (const r of results) out(`${formatTable(stageTable(r))}\n`);
      for (const r of results) for (const note of degradedNotes(r)) err(`warning: ${note}`);
    });
}
