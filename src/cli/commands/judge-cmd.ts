/**
 * @module cli/commands/judge-cmd
 * `funnel judge --index <dir> --queries <queries.jsonl> --out <qrels.tsv> [--depth 20]`: the top
 * `depth` candidates of the funnel for each query, graded 0-3 by a chat model (FUNNEL_LLM_BASE_URL /
 * FUNNEL_LLM_MODEL / FUNNEL_LLM_API_KEY, or --base-url / --model; or a local GGUF model run in this
 * process, --gguf), written as BEIR qrels for
 * `funnel train --qrels`. A line per query on stderr, a summary; exit 3 when some pairs stayed
 * ungraded (they are left out of the qrels: unjudged, not irrelevant), 1 when none could be graded
 * (then nothing is written, so an earlier file at --out survives a model server that is down).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { InvalidArgumentError } from '../../errors.js';
import { readQueries } from '../../eval/beir.js';
import { type JudgePair, judgePairs, qrelsText } from '../../funnel/judge.js';
import { toPassages } from '../../funnel/passages.js';
import { runFunnel } from '../../funnel/runner.js';
import type { ChatClient } from '../../reader/chat-types.js';
import { LlamaCppClient } from '../../reader/llama-cpp-client.js';
import { OpenAIClient } from '../../reader/openai-client.js';
import { EXIT, err, json, out, parseIntOption, UsageError } from '../io.js';
import { pickProfile } from '../profiles.js';

interface JudgeFlags {
  index: string;
  queries: string;
  out: string;
  depth: number;
  profile: string;
  config?: string;
  baseUrl?: string;
  model?: string;
  gguf?: string;
  batch: number;
  concurrency: number;
  json?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Failures listed one per line before the summary. */
const SHOWN_FAILURES = 20;

/** The judge: its chat client, where it runs (for messages) and what frees it. */
interface Judge {
  client: ChatClient;
  endpoint: string;
  close: () => Promise<void>;
}

function judgeClient(flags: JudgeFlags): Judge {
  if (flags.gguf !== undefined) {
    if (flags.baseUrl !== undefined || flags.model !== undefined)
      throw new UsageError('--gguf runs a local model: give it without --base-url and --model');
    const client = new LlamaCppClient({ modelPath: flags.gguf });
    return { client, endpoint: `local ${path.resolve(flags.gguf)}`, close: () => client.close() };
  }
  const baseUrl = flags.baseUrl ?? process.env.FUNNEL_LLM_BASE_URL;
  const model = flags.model ?? process.env.FUNNEL_LLM_MODEL;
  const missing = [
    ...(baseUrl ? [] : ['no base URL (FUNNEL_LLM_BASE_URL or --base-url)']),
    ...(model ? [] : ['no model name (FUNNEL_LLM_MODEL or --model)']),
  ];
  if (missing.length > 0)
    throw new UsageError(
      `no judge model configured: ${missing.join(', ')}. Point it at any OpenAI-compatible server, e.g. FUNNEL_LLM_BASE_URL=http://127.0.0.1:8080/v1 FUNNEL_LLM_MODEL=qwen2.5-7b-instruct (FUNNEL_LLM_API_KEY when the server wants one)`,
    );
  try {
    const client = new OpenAIClient({ baseUrl, model });
    return { client, endpoint: client.endpoint, close: async () => {} };
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(e.message);
    throw e;
  }
}

export function register(program: Command): void {
  program
    .command('judge')
    .description('grade the funnel’s top candidates per query with a chat model (0-3) and write BEIR qrels')
    .requiredOption('-i, --index <dir>', 'index directory')
    .requiredOption('-q, --queries <file>', 'queries.jsonl: {"_id": ..., "text": ...} per line')
    .requiredOption('-o, --out <file>', 'qrels.tsv to write (query-id, corpus-id, score)')
    .option('--depth <n>', 'candidates per query to grade', parseIntOption('--depth', 1, 1000), 20)
    .option('-p, --profile <name>', 'funnel profile that ranks the candidates', 'default')
    .option('--config <file>', 'config file with more profiles (default: $FUNNEL_CONFIG)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default: $FUNNEL_LLM_BASE_URL)')
    .option('--model <name>', 'judge model (default: $FUNNEL_LLM_MODEL)')
    .option(
      '--gguf <file>',
      'a local GGUF chat model to judge with, run in this process (needs node-llama-cpp)',
    )
    .option('--batch <n>', 'passages per request', parseIntOption('--batch', 1, 100), 8)
    .option('--concurrency <n>', 'requests in flight', parseIntOption('--concurrency', 1, 64), 1)
    .option('--json', 'print the summary as JSON')
    .action(async (flags: JudgeFlags) => {
      const judge = judgeClient(flags);
      const { client, endpoint } = judge;
      const profile = pickProfile(flags.profile, flags.config);
      const outDir = path.dirname(path.resolve(flags.out));
      if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory())
        throw new UsageError(`--out ${flags.out}: no such directory ${outDir}`);
      const queries = await readQueries(flags.queries);

      // Candidates first (fast, local), then the model.
      const engine = await Engine.open(flags.index, { readOnly: true });
      const pairs: JudgePair[] = [];
      const pending = new Map<string, { pairs: number; graded: number; failed: number }>();
      const total = queries.size;
      let done = 0;
      try {
        for (const [qid, text] of queries) {
          const hits = (await runFunnel(engine, profile, text, { noRead: true })).hits.slice(0, flags.depth);
          const terms = new Set(
            engine
              .parse(text)
              .clauses.filter((c) => c.occur !== 'mustNot')
              .flatMap((c) => c.terms),
          );
          const passages = toPassages(engine, hits, terms, flags.depth);
          for (const p of passages)
            pairs.push({ qid, query: text, docId: p.docId, title: p.title, passage: p.text });
          if (passages.length > 0) pending.set(qid, { pairs: passages.length, graded: 0, failed: 0 });
          else err(`[${++done}/${total}] ${qid}: no candidates`);
        }
      } finally {
        await engine.close();
      }
      if (pairs.length > 0)
        err(`judging ${pairs.length} pairs of ${pending.size} queries with ${client.model} at ${endpoint}`);

      const started = performance.now();
      const result = await judgePairs(client, pairs, {
        batch: flags.batch,
        concurrency: flags.concurrency,
        onBatch: (b) => {
          const q = pending.get(b.qid);
          if (!q) return;
          q.graded += b.graded.length;
          q.failed += b.failed.length;
          if (q.graded + q.failed < q.pairs) return;
          const failed =
            q.failed > 0 ? `, ${q.failed} failed (${b.failed[0]?.reason ?? 'see the summary'})` : '';
          err(`[${++done}/${total}] ${b.qid}: ${plural(q.pairs, 'pair')}, ${q.graded} graded${failed}`);
        },
      }).finally(() => judge.close());
      const seconds = (performance.now() - started) / 1000;

      // Nothing graded (the model server is down, or never answers in the format): an error, and an
      // earlier qrels file at --out is left as it was.
      const nothing = pairs.length > 0 && result.judgments.length === 0;
      if (!nothing) {
        const tmp = `${flags.out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, qrelsText(result.judgments));
        fs.renameSync(tmp, flags.out);
      }

      const histogram = {
        0: result.histogram[0],
        1: result.histogram[1],
        2: result.histogram[2],
        3: result.histogram[3],
      };
      if (result.failed.length > 0) process.exitCode = nothing ? EXIT.ERROR : EXIT.PARTIAL;
      if (flags.json) {
        return json({
          model: client.model,
          endpoint,
          profile: profile.name,
          depth: flags.depth,
          queries: total,
          pairs: pairs.length,
          graded: result.judgments.length,
          failed: result.failed.length,
          histogram,
          requests: result.requests,
          retries: result.retries,
          seconds,
          out: nothing ? null : flags.out,
          failures: result.failed,
        });
      }
      for (const f of result.failed.slice(0, SHOWN_FAILURES))
        err(`  ungraded ${f.qid} ${f.docId}: ${f.reason}`);
      if (result.failed.length > SHOWN_FAILURES)
        err(`  ... and ${result.failed.length - SHOWN_FAILURES} more ungraded (--json lists them all)`);
      out(
        `judged ${total} quer${total === 1 ? 'y' : 'ies'} with ${client.model}: ${plural(pairs.length, 'pair')}, ${result.judgments.length} graded, ${result.failed.length} failed; ${plural(result.requests, 'request')} (${result.retries} retried) in ${seconds.toFixed(1)} s`,
      );
      out(`grades: 0: ${histogram[0]}  1: ${histogram[1]}  2: ${histogram[2]}  3: ${histogram[3]}`);
      out(nothing ? `nothing graded: ${flags.out} not written` : `qrels written to ${flags.out}`);
    });
}
