/**
 * @module cli/commands/search-cmd
 * `funnel search "<query>" --index <dir> [-k N] [--json]`: ranked hits with id, score, title, where
 * each comes from (file:line, page, or mail subject, sender and date) and a snippet with the
 * matches marked.
 */

import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { json, out, parseIntOption } from '../io.js';
import { whereFrom } from '../provenance.js';

export function register(program: Command): void {
  program
    .command('search <query>')
    .description(
      'search an index: plain words, "phrases", +required, -excluded, field:word, key:value, key:>=N',
    )
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('-k, --k <n>', 'number of hits', parseIntOption('-k', 1, 1_000_000), 10)
    .option('--json', 'print JSON (hits, total, timing, work)')
    .option('--no-snippets', 'no snippets')
    .action(async (query: string, flags: { index: string; k: number; json?: boolean; snippets: boolean }) => {
      const engine = await Engine.open(flags.index, { readOnly: true });
      const color = process.stdout.isTTY && !flags.json;
      const markers: [string, string] = color ? ['\x1b[1;33m', '\x1b[0m'] : ['[', ']'];
      const res = engine.search(query, { k: flags.k, snippets: flags.snippets, markers });
      await engine.close();
      if (flags.json) {
        json({
          query,
          total: res.total,
          tookMs: Number(res.tookMs.toFixed(3)),
          work: res.work,
          hits: res.hits,
        });
        return;
      }
      out(`${res.total} matching documents, top ${res.hits.length} in ${res.tookMs.toFixed(1)} ms`);
      res.hits.forEach((h, i) => {
        out(`\n${i + 1}. ${h.title || '(untitled)'}  [${h.id}]  score ${h.score.toFixed(3)}`);
        out(`   ${whereFrom(h.id, h.meta ?? {}, h.title)}`);
        if (h.snippet) out(`   ${h.snippet}`);
      });
    });
}
