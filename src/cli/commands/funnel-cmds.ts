/**
 * @module cli/commands/funnel-cmds
 * The funnel from the command line: `funnel ask` (answer with citations, `--trace` per stage),
 * `funnel profiles` (the declared funnels), `funnel explain` (how each stage scored one document).
 */

import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { describeProfile, loadProfiles } from '../../funnel/profile.js';
import { type FunnelResult, runFunnel } from '../../funnel/runner.js';
import type { StageTrace } from '../../funnel/types.js';
import { fileOfId } from '../../ingest/folder.js';
import { err, json, out } from '../io.js';
import { pickProfile } from '../profiles.js';
import { whereFrom } from '../provenance.js';

interface AskFlags {
  index: string;
  profile: string;
  config?: string;
  json?: boolean;
  trace?: boolean;
  hits: string;
}

function formatTrace(trace: readonly StageTrace[]): string[] {
  return trace.map((t) => {
    const work = Object.entries(t.work)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const status = t.status === 'ok' ? '' : `  ${t.status.toUpperCase()}: ${t.error}`;
    return `  ${t.stage.padEnd(18)} ${String(t.in).padStart(6)} → ${String(t.out).padEnd(6)} ${t.ms.toFixed(1).padStart(8)} ms  ${work}${status}`;
  });
}

function hitsJson(r: FunnelResult, n: number) {
  return r.hits
    .slice(0, n)
    .map((h) => ({ id: h.id, score: h.score, scores: h.scores, features: h.features }));
}

export function register(program: Command): void {
  const profileNames = [...loadProfiles().values()]
    .map((p) => `  ${p.name}: ${describeProfile(p)}`)
    .join('\n');
  program
    .command('ask <question>')
    .description(
      `answer a question from an index, with citations, through a funnel of stages\n\nprofiles:\n${profileNames}`,
    )
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('-p, --profile <name>', 'funnel profile', 'default')
    .option('--config <file>', 'config file with more profiles (default: $FUNNEL_CONFIG)')
    .option('--json', 'print JSON (answer, citations, hits, trace)')
    .option('--trace', 'print each stage: candidates in and out, time, work')
    .option('--hits <n>', 'hits to list', '5')
    .action(async (question: string, flags: AskFlags) => {
      const profile = pickProfile(flags.profile, flags.config);
      const engine = await Engine.open(flags.index, { readOnly: true });
      const stream = !flags.json && profile.stages.some((s) => s.model === 'llm' || s.model === 'gguf');
      const r = await runFunnel(engine, profile, question, {
        onText: stream ? (d) => process.stdout.write(d) : undefined,
      });
      const n = Number(flags.hits) || 5;
      if (flags.json) {
        json({
          question,
          profile: r.profile,
          funnel: r.funnel,
          answer: r.answer,
          hits: hitsJson(r, n),
          trace: r.trace,
          ms: r.ms,
        });
        await engine.close();
        return;
      }
      const read = r.trace.find((t) => t.kind === 'read');
      if (read && read.status !== 'ok') {
        const fallback = read.notes?.fallback ? '; answered by the extractive reader' : '';
        err(`funnel: the ${read.model} reader failed: ${read.error}${fallback}`);
      }
      if (stream && read?.status === 'ok') out('');
      else out(r.answer ? r.answer.answer || '(no answer found)' : '(no reader in this profile)');
      const cited = r.answer?.citations ?? [];
      if (cited.length > 0) out('\nsources:');
      const seen = new Set<number>();
      for (const c of cited) {
        if (seen.has(c.passage)) continue;
        seen.add(c.passage);
        const doc = engine.get(c.docId);
        const span = doc ? { text: doc.text, start: c.start, end: c.end } : undefined;
        out(
          `  [${c.passage}] ${doc?.title || c.docId}  (${whereFrom(c.docId, doc?.meta ?? {}, doc?.title, span)})`,
        );
      }
      if (flags.trace) {
        out(`\n${r.funnel}  (${r.ms.toFixed(1)} ms)`);
        for (const line of formatTrace(r.trace)) out(line);
        for (const d of r.answer?.dropped ?? [])
          out(`  dropped citation [${d.citation.passage}]: ${d.reason}`);
      }
      await engine.close();
    });

  program
    .command('profiles')
    .description('list the funnel profiles (built in and from --config / $FUNNEL_CONFIG)')
    .option('--config <file>', 'config file with more profiles')
    .option('--json', 'print JSON')
    .action((flags: { config?: string; json?: boolean }) => {
      const profiles = [...loadProfiles(flags.config ?? process.env.FUNNEL_CONFIG).values()];
      if (flags.json) return json(profiles.map((p) => ({ ...p, funnel: describeProfile(p) })));
      for (const p of profiles)
        out(`${p.name.padEnd(10)} ${describeProfile(p)}\n${' '.repeat(11)}${p.description}`);
    });

  program
    .command('explain <question> <doc-id>')
    .description(
      'show how each stage of the funnel scored one document (an id, or a file path: its best passage) for a question',
    )
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('-p, --profile <name>', 'funnel profile', 'default')
    .option('--config <file>', 'config file with more profiles')
    .option('--json', 'print JSON')
    .action(async (question: string, docId: string, flags: AskFlags) => {
      const profile = pickProfile(flags.profile, flags.config);
      const engine = await Engine.open(flags.index, { readOnly: true });
      // A file path names its best passage (passage ids are `<path>#<hash>`).
      const isIt = (h: { id: string }) => h.id === docId || fileOfId(h.id) === docId;
      const ranks: { stage: string; rank: number | null; of: number }[] = [];
      let last: FunnelResult | null = null;
      const rankStages = profile.stages.filter((s) => s.kind !== 'read').length;
      for (let s = 1; s <= rankStages; s++) {
        last = await runFunnel(engine, profile, question, { stages: s, noRead: true });
        const at = last.hits.findIndex(isIt);
        ranks.push({ stage: last.trace[s - 1].stage, rank: at < 0 ? null : at + 1, of: last.hits.length });
      }
      const hit = last?.hits.find(isIt);
      await engine.close();
      if (flags.json)
        return json({
          question,
          docId,
          funnel: describeProfile(profile),
          ranks,
          scores: hit?.scores,
          features: hit?.features,
        });
      out(`${describeProfile(profile)}\n`);
      for (const r of ranks)
        out(
          `  ${r.stage.padEnd(18)} ${r.rank === null ? `not in the ${r.of} kept` : `rank ${r.rank} of ${r.of}`}`,
        );
      if (hit) {
        out('\nscores:');
        for (const [k, v] of Object.entries(hit.scores)) out(`  ${k.padEnd(18)} ${v.toFixed(4)}`);
        out('features:');
        for (const [k, v] of Object.entries(hit.features)) out(`  ${k.padEnd(18)} ${v.toFixed(4)}`);
      }
    });
}
