/**
 * @module cli/commands/run-cmd
 * `funnel run --index <dir> --queries <queries.jsonl> [-k 1000] --output <run.trec>`: a TREC run file
 * (`qid Q0 docid rank score tag`) for any standard evaluator.
 */

import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { readQueries } from '../../eval/beir.js';
import { err, parseIntOption } from '../io.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run every query of a queries.jsonl file and write a TREC run file')
    .requiredOption('-i, --index <dir>', 'index directory')
    .requiredOption('-q, --queries <file>', 'queries.jsonl: {"_id": ..., "text": ...} per line')
    .requiredOption('-o, --output <file>', 'TREC run file to write ("-" for stdout)')
    .option('-k, --k <n>', 'hits per query', parseIntOption('-k', 1, 1_000_000), 1000)
    .option('--tag <tag>', 'run tag (last column)', 'funnel')
    .action(async (flags: { index: string; queries: string; output: string; k: number; tag: string }) => {
      const queries = await readQueries(flags.queries);
      const engine = await Engine.open(flags.index, { readOnly: true });
      const lines: string[] = [];
      const started = performance.now();
      for (const [qid, text] of queries) {
        const res = engine.search(text, { k: flags.k, stored: false });
        res.hits.forEach((h, i) => {
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
