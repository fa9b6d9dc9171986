/**
 * @module cli/commands/needle-cmd
 * `funnel needle`: the multi-needle benchmark. Builds (or reuses) a haystack of N tokens from a
 * real corpus, hides needles of each kind, K and depth, runs the questions through each profile
 * and prints the summary; `--json` prints every result, `--report` writes the HTML report, and
 * `--merge` makes one report from the JSON of earlier runs (e.g. one per haystack size).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { MAX_NEEDLES, NEEDLE_KINDS, type NeedleKind } from '../../eval/needle/facts.js';
import { buildHaystack, haystackKey } from '../../eval/needle/haystack.js';
import { type NeedleConfig, runNeedles } from '../../eval/needle/needle-bench.js';
import {
  formatTokens,
  haystackTable,
  type NeedleRun,
  needleCharts,
  needleReportHtml,
  stageTable,
  summaryTable,
} from '../../eval/needle/needle-report.js';
import { DEPTHS, type Depth } from '../../eval/needle/placement.js';
import { formatTable } from '../../eval/table.js';
import { err, json, out, UsageError } from '../io.js';
import { pickProfile } from '../profiles.js';
import { writeReport } from '../report-files.js';

interface NeedleFlags {
  corpus: string;
  fill?: string;
  tokens: string;
  needles: string;
  kinds: string;
  depths: string;
  seed: string;
  profile: string;
  config?: string;
  indexDir: string;
  json?: boolean;
  report?: string;
  png?: boolean;
  merge?: string;
  read: boolean;
  shards?: string;
  passageTokens: string;
}

const DEFAULT_CORPUS = path.join('..', 'shared', 'data', 'paul-graham-essays');

function list<T extends string>(value: string, known: readonly T[], what: string): T[] {
  if (value === 'all') return [...known];
  const items = value.split(',').map((s) => s.trim()) as T[];
  for (const item of items) {
    if (!known.includes(item))
      throw new UsageError(`--${what}: unknown "${item}", expected all or ${known.join(', ')}`);
  }
  return items;
}

function numbers(value: string, what: string, min: number, max: number): number[] {
  return value.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(
        `--${what}: illegal value "${s}", expected integers in [${min}, ${max}] (1e6 is fine)`,
      );
    return n;
  });
}

function readRuns(files: string): NeedleRun[] {
  return files.split(',').flatMap((file) => {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`--merge: cannot read ${file}: ${(e as Error).message}`);
    }
    const runs = (data as { runs?: NeedleRun[] }).runs;
    if (!Array.isArray(runs))
      throw new UsageError(`--merge: ${file} is not the --json output of funnel needle`);
    return runs;
  });
}

export function register(program: Command): void {
  program
    .command('needle')
    .description(
      'the multi-needle benchmark: hide K facts in a haystack of N tokens and measure whether the funnel finds them',
    )
    .option(
      '--corpus <path>',
      'haystack text: a folder of text files, a BEIR folder or a JSONL corpus',
      DEFAULT_CORPUS,
    )
    .option('--fill <jsonl>', 'JSONL corpus read after --corpus runs out (default: repeat --corpus)')
    .option('-t, --tokens <n,...>', 'haystack sizes in tokens, e.g. 1e5,1e6,1e7', '1e5')
    .option('-n, --needles <k,...>', `needles per configuration (1..${MAX_NEEDLES})`, '1,4,16')
    .option('--kinds <list>', `all or some of ${NEEDLE_KINDS.join(', ')}`, 'all')
    .option('--depths <list>', `all or some of ${DEPTHS.join(', ')}`, 'all')
    .option('--seed <n>', 'seed of needles and depths (runs repeat exactly)', '1')
    .option('-p, --profile <names>', 'profiles to compare, comma-separated', 'default')
    .option('--config <file>', 'config file with more profiles (default: $FUNNEL_CONFIG)')
    .option(
      '--index-dir <dir>',
      'where haystack indexes are kept and reused',
      path.join(os.tmpdir(), 'funnel-needle'),
    )
    .option('--shards <n>', 'shards of a new haystack index (default: one per core)')
    .option(
      '--passage-tokens <n>',
      'cut documents longer than 1.25 times this evenly into passages of about this many tokens; 0 keeps whole documents',
      '200',
    )
    .option('--no-read', 'skip the reader (no answer accuracy)')
    .option('--json', 'print every result as JSON')
    .option('--report <file>', 'write the HTML report with charts')
    .option('--png', 'with --report: also each chart as a PNG beside it')
    .option('--merge <files>', 'no run: one report and table from the --json output of earlier runs')
    .action(async (flags: NeedleFlags) => {
      let runs: NeedleRun[];
      if (flags.merge) runs = readRuns(flags.merge);
      else runs = await runAll(flags);
      if (flags.report) {
        const charts = await needleCharts(runs);
        await writeReport(flags.report, needleReportHtml(runs, charts), charts, flags.png ?? false);
      }
      if (flags.json) return json({ runs });
      out(formatTable(summaryTable(runs)));
      out('');
      out(formatTable(stageTable(runs)));
      out('');
      out(formatTable(haystackTable(runs)));
    });
}

async function runAll(flags: NeedleFlags): Promise<NeedleRun[]> {
  const sizes = numbers(flags.tokens, 'tokens', 1000, 1e10);
  const ks = numbers(flags.needles, 'needles', 1, MAX_NEEDLES);
  const kinds = list<NeedleKind>(flags.kinds, NEEDLE_KINDS, 'kinds');
  const depths = list<Depth>(flags.depths, DEPTHS, 'depths');
  const [seed] = numbers(flags.seed, 'seed', 0, 2 ** 31);
  const shards = flags.shards === undefined ? undefined : numbers(flags.shards, 'shards', 1, 256)[0];
  const [passageTokens] = numbers(flags.passageTokens, 'passage-tokens', 0, 100_000);
  const profiles = flags.profile.split(',').map((name) => pickProfile(name.trim(), flags.config));
  const configs: NeedleConfig[] = kinds.flatMap((kind) =>
    ks.flatMap((k) => depths.map((depth) => ({ kind, k, depth }))),
  );
  const runs: NeedleRun[] = [];
  for (const tokens of sizes) {
    const haystackOptions = { corpus: flags.corpus, fill: flags.fill, tokens, shards, passageTokens };
    const dir = path.join(flags.indexDir, `${formatTokens(tokens)}-${haystackKey(haystackOptions)}`);
    let lastReport = 0;
    const built = await buildHaystack(dir, {
      ...haystackOptions,
      onProgress: (done, docs) => {
        if (performance.now() - lastReport < 10_000) return;
        lastReport = performance.now();
        err(`haystack ${formatTokens(tokens)}: ${done} tokens, ${docs} docs`);
      },
    });
    const h = built.info;
    err(
      `haystack ${formatTokens(tokens)}: ${h.tokens} tokens in ${h.docs} documents, ${built.reused ? `reused (built in ${(h.indexMs / 1000).toFixed(1)} s)` : `built in ${(h.indexMs / 1000).toFixed(1)} s`} → ${dir}`,
    );
    const engine = await Engine.open(dir);
    try {
      const results = await runNeedles(engine, built.layout, {
        configs,
        profiles,
        seed,
        tokens: h.tokens,
        noRead: !flags.read,
        onConfig: (done, total, r) =>
          err(
            `  [${done}/${total}] ${r.profile} ${r.kind} K=${r.k} ${r.depth}: recall@117 ${r.recallFinal.toFixed(3)}, @10 ${r.recall10.toFixed(3)}, accuracy ${r.accuracy.toFixed(3)}, p50 ${r.totalMs.p50.toFixed(0)} ms`,
          ),
      });
      runs.push({ corpus: flags.corpus, fill: flags.fill, seed, haystack: h, results });
    } finally {
      await engine.close();
    }
  }
  return runs;
}
