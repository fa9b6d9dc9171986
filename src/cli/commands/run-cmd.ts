/**
 * @module cli/commands/run-cmd
 * `funnel run --index <dir> --queries <queries.jsonl> [-k 1000] --output <run.trec>`: a TREC run file
 * (`qid Q0 docid rank score tag`) for any standard evaluator. With `--profile`, the queries go
 * through the funnel and `--stage` picks after which stage the ranking is written.
 */

import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { readQueries } from '../../eval/beir.js';
import { runFunnel } from '../../funnel/runner.js';
import { BATCH_OPEN, err, parseIntOption, UsageError } from '../io.js';
import { pickProfile } from '../profiles.js';

interface RunFlags {
  index: string;
  queries: string;
  output: string;
  k: number;
  tag: string;
  profile?: string;
  stage: string;
  config?: string;
}

const STAGES = ['retrieve', 'rerank', 'final'];

export function register(program: Command): void {
  program
    .command('run')
    .description('run every query of a queries.jsonl file and write a TREC run file')
    .requiredOption('-i, --index <dir>', 'index directory')
    .requiredOption('-q, --queries <file>', 'queries.jsonl: {"_id": ..., "text": ...} per line')
    .requiredOption('-o, --output <file>', 'TREC run file to write ("-" for stdout)')
    .option('-k, --k <n>', 'hits per query', parseIntOption('-k', 1, 1_000_000), 1000)
    .option('--tag <tag>', 'run tag (last column)', 'funnel')
    .option('-p, --profile <name>', 'run the queries through this funnel profile (without its reader)')
    .option('--stage <stage>', 'with --profile: write the ranking after retrieve, rerank or final', 'final')
    .option('--config <file>', 'config file with more profiles (default: $FUNNEL_CONFIG)')
    .action(async (flags: RunFlags) => {
      if (!STAGES.includes(flags.stage))
        throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got ${flags.stage}`);
      const profile = flags.profile ? pickProfile(flags.profile, flags.config) : undefined;
      const queries = await readQueries(flags.queries);
      const engine = await Engine.open(flags.index, BATCH_OPEN);
      const lines: string[] = [];
      const started = performance.now();
      // retrieve = the first stage only; rerank and final = every ranking stage.
      const stages = flags.stage === 'retrieve' ? 1 : undefined;
      for (const [qid, text] of queries) {
        const hits = profile
          ? (await runFunnel(engine, profile, text, { noRead: true, stages })).hits.slice(0, flags.k)
          : engine.search(text, { k: flags.k, stored: false }).hits;
        hits.forEach((h, i) => {
          lines.push(`${qid} Q0 ${h.id} ${i + 1} ${h.score.toFixed(6)} ${flags.tag}`);
        });
      }
      const ms = performance.now() - started;
      await engine.close();
      const text = lines.length ? `${lines.join('\n')}\n` : '';
      if (flags.output === '-') process.stdout.write(text);
      else fs.writeFileSync(flags.output, text);
      err(`${queries.size} queries, ${lines.length} lines in ${ms.toFixed(0)} ms → ${flags.output}`);
    });
}
