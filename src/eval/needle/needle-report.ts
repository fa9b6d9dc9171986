/**
 * @module eval/needle/needle-report
 * Needle results as tables and charts: a summary per haystack size, profile, kind and K (means over
 * depths and the spread between depths), a row per depth, latency and work per stage, the
 * haystacks, and charts of needle recall against haystack size (Funnel and each context window),
 * recall at each funnel width, and latency per stage; all in one HTML page.
 */

import { barChartSvg, lineChartSvg, type Point } from '../charts.js';
import { htmlReport, type ReportSection } from '../html-report.js';
import type { Cell, Table } from '../table.js';
import type { NeedleKind } from './facts.js';
import type { HaystackInfo } from './haystack.js';
import { type ConfigResult, NEEDLE_WIDTHS } from './needle-bench.js';

/** One haystack size and what was run on it. */
export interface NeedleRun {
  corpus: string;
  fill?: string;
  seed: number;
  haystack: HaystackInfo;
  results: ConfigResult[];
}

/** Kinds whose needles share words with their question (the targets apply to these). */
export const OVERLAPPING: readonly NeedleKind[] = ['single', 'multi-key', 'distractor', 'aggregate'];

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

/** Tokens as 1e5, 1.2e6, ... */
export function formatTokens(n: number): string {
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return `${Math.abs(m - Math.round(m)) < 0.05 ? Math.round(m) : m.toFixed(1)}e${e}`;
}

/** A window size as people say it: 128k, 1M, 2M. */
export function formatWindow(n: number): string {
  return n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : `${+(n / 1e3).toFixed(0)}k`;
}

/** Share of answers holding every expected value (recomputed from the answers for older results). */
function hasValue(r: ConfigResult): number {
  if (r.answerHasValue !== undefined) return r.answerHasValue;
  const ok = r.answers.filter((a) => a.expected.every((e) => a.answer.includes(e))).length;
  return r.answers.length ? ok / r.answers.length : 0;
}

interface Group {
  run: NeedleRun;
  profile: string;
  kind: NeedleKind;
  k: number;
  rows: ConfigResult[];
}

function groups(runs: readonly NeedleRun[]): Group[] {
  const out = new Map<string, Group>();
  for (const run of runs) {
    for (const r of run.results) {
      const key = `${run.haystack.tokens}|${r.profile}|${r.kind}|${r.k}`;
      let g = out.get(key);
      if (!g) {
        g = { run, profile: r.profile, kind: r.kind, k: r.k, rows: [] };
        out.set(key, g);
      }
      g.rows.push(r);
    }
  }
  return [...out.values()];
}

/** One row per haystack, profile, kind and K: means over depths and the spread between them. */
export function summaryTable(runs: readonly NeedleRun[]): Table {
  const rows: Cell[][] = groups(runs).map((g) => {
    const finals = g.rows.map((r) => r.recallFinal);
    const spread = g.rows.find((r) => r.depth === 'spread') ?? g.rows[0];
    return [
      formatTokens(g.run.haystack.tokens),
      g.profile,
      g.kind,
      g.k,
      mean(finals),
      mean(g.rows.map((r) => r.recall10)),
      mean(g.rows.map((r) => r.allFound)),
      mean(g.rows.map((r) => r.accuracy)),
      mean(g.rows.map(hasValue)),
      Math.max(...finals) - Math.min(...finals),
      ...spread.windows.map((w) => w.best),
    ];
  });
  const windows = runs[0]?.results[0]?.windows.map((w) => `${formatWindow(w.window)} window`) ?? [];
  return {
    caption:
      'needle recall into the final ranking (≤117 passages) and the top 10, questions with every needle found, answer accuracy (every expected value and no distractor value) and answers holding the expected values, all as means over depths; depth spread = max − min recall over depths; windows: best recall of one window-sized slice for spread needles',
    head: [
      'tokens',
      'profile',
      'kind',
      'K',
      'recall@117',
      'recall@10',
      'all found',
      'accuracy',
      'has value',
      'depth spread',
      ...windows,
    ],
    rows,
    digits: [0, 0, 0, 0, 3, 3, 3, 3, 3, 3, ...windows.map(() => 3)],
  };
}

/** One row per configuration (depth included). */
export function depthTable(runs: readonly NeedleRun[]): Table {
  const rows: Cell[][] = runs.flatMap((run) =>
    run.results.map((r) => [
      formatTokens(run.haystack.tokens),
      r.profile,
      r.kind,
      r.k,
      r.depth,
      r.recallFinal,
      r.recall10,
      r.allFound,
      r.accuracy,
      ...NEEDLE_WIDTHS.map((w) => r.stages[0]?.recall[w] ?? null),
    ]),
  );
  return {
    caption: 'per depth; stage 1 columns: needle recall of the first stage at each width',
    head: [
      'tokens',
      'profile',
      'kind',
      'K',
      'depth',
      'recall@117',
      'recall@10',
      'all found',
      'accuracy',
      ...NEEDLE_WIDTHS.map((w) => `stage 1 @${w}`),
    ],
    rows,
  };
}

/** Latency (p50/p95 over every question) and mean work per stage, per haystack and profile. */
export function stageTable(runs: readonly NeedleRun[]): Table {
  const rows: Cell[][] = [];
  for (const run of runs) {
    const byProfile = new Map<string, ConfigResult[]>();
    for (const r of run.results) byProfile.set(r.profile, [...(byProfile.get(r.profile) ?? []), r]);
    for (const [profile, rs] of byProfile) {
      rs[0].stages.forEach((s, i) => {
        const work = Object.keys(s.work)
          .map((k) => `${k}=${Math.round(mean(rs.map((r) => r.stages[i].work[k] ?? 0)))}`)
          .join(' ');
        rows.push([
          formatTokens(run.haystack.tokens),
          profile,
          s.stage,
          mean(rs.map((r) => r.stages[i].latencyMs.p50)),
          mean(rs.map((r) => r.stages[i].latencyMs.p95)),
          work,
        ]);
      });
    }
  }
  return {
    caption: 'per stage: latency (means of the configurations’ p50 and p95) and mean work per question',
    head: ['tokens', 'profile', 'stage', 'p50 ms', 'p95 ms', 'work per question'],
    rows,
    digits: [0, 0, 0, 1, 1, 0],
  };
}

export function haystackTable(runs: readonly NeedleRun[]): Table {
  return {
    caption: 'haystacks (tokens: runs of letters, digits and _; a CJK character is one)',
    head: ['tokens', 'documents', 'index s', 'peak RSS MB', 'sources'],
    rows: runs.map((r) => [
      r.haystack.tokens,
      r.haystack.docs,
      r.haystack.indexMs / 1000,
      r.haystack.peakRssBytes / 2 ** 20,
      r.haystack.parts
        .map((p) => `${p.source}${p.round > 1 ? ` (round ${p.round})` : ''}: ${p.tokens} tokens`)
        .join('; '),
    ]),
    digits: [0, 0, 1, 0, 0],
  };
}

/** The three charts of the report. */
export async function needleCharts(runs: readonly NeedleRun[]): Promise<string[]> {
  const sorted = [...runs].sort((a, b) => a.haystack.tokens - b.haystack.tokens);
  const points: Point[] = [];
  const dashed: string[] = [];
  for (const run of sorted) {
    const x = run.haystack.tokens;
    const profiles = [...new Set(run.results.map((r) => r.profile))];
    for (const p of profiles) {
      const over = run.results.filter((r) => r.profile === p && OVERLAPPING.includes(r.kind));
      if (over.length) points.push({ x, y: mean(over.map((r) => r.recallFinal)), series: `Funnel ${p}` });
      const none = run.results.filter((r) => r.profile === p && r.kind === 'no-overlap');
      if (none.length)
        points.push({ x, y: mean(none.map((r) => r.recallFinal)), series: `Funnel ${p}, no-overlap` });
    }
    // A window holds min(1, W/N) of the haystack: its needle recall for needles spread over it
    // (the best slice for one needle is trivially 1; the table gives the best slice per K).
    for (const w of run.results[0]?.windows ?? []) {
      const series = `${formatWindow(w.window)}-token window`;
      if (!dashed.includes(series)) dashed.push(series);
      points.push({ x, y: w.share, series });
    }
  }
  const recall = await lineChartSvg({
    title: 'needle recall into the final 117 vs haystack size',
    xTitle: 'haystack tokens',
    yTitle: 'needle recall',
    xLog: true,
    yDomain: [0, 1],
    points,
    dashed,
  });
  const largest = sorted[sorted.length - 1];
  const first = largest.results[0].profile;
  const widthPoints: Point[] = [];
  const kinds = [...new Set(largest.results.map((r) => r.kind))];
  for (const kind of kinds) {
    const rs = largest.results.filter((r) => r.kind === kind && r.profile === first);
    rs[0].stages.forEach((s, i) => {
      for (const w of NEEDLE_WIDTHS) {
        if (s.recall[w] === undefined) continue;
        widthPoints.push({
          x: w,
          y: mean(rs.map((r) => r.stages[i].recall[w] ?? 0)),
          series: `${kind}, ${s.stage}`,
        });
      }
    });
  }
  const widths = await lineChartSvg({
    title: `needle recall at each funnel width (${formatTokens(largest.haystack.tokens)} tokens, ${first})`,
    xTitle: 'width (passages kept)',
    yTitle: 'needle recall',
    xLog: true,
    yDomain: [0, 1],
    points: widthPoints,
  });
  const bars = sorted.flatMap((run) => {
    const rs = run.results.filter((r) => r.profile === first);
    return rs[0].stages.map((s, i) => ({
      category: s.stage,
      series: `${formatTokens(run.haystack.tokens)} tokens`,
      value: mean(rs.map((r) => r.stages[i].latencyMs.p50)),
    }));
  });
  const latency = await barChartSvg({
    title: `latency per stage, p50 (${first})`,
    categoryTitle: 'stage',
    valueTitle: 'ms',
    bars,
  });
  return [recall, widths, latency];
}

/** The whole HTML report, with the charts of `needleCharts`. */
export function needleReportHtml(runs: readonly NeedleRun[], charts: readonly string[]): string {
  const sections: ReportSection[] = [
    { heading: 'Charts', charts: [...charts] },
    { heading: 'Summary', tables: [summaryTable(runs)] },
    { heading: 'Per depth', tables: [depthTable(runs)] },
    { heading: 'Stages', tables: [stageTable(runs)] },
    { heading: 'Haystacks', tables: [haystackTable(runs)] },
  ];
  return htmlReport(
    'Funnel needle benchmark',
    [
      `Seed ${runs[0]?.seed}. Needles are hidden in real text (${runs[0]?.corpus}${runs[0]?.fill ? `, then ${runs[0].fill}` : ''}); one configuration's needles at a time.`,
      'Needle recall: of the needles the questions need, the share whose document reaches the final ranking (at most 117 passages), or its top 10. Window baseline: the share of needles one contiguous slice of a 128k, 1M or 2M token window could hold, placed as well as possible (an upper bound; tokens here are words, and a model tokenizer counts more, so the windows hold less than shown). See docs/EVALUATION.md.',
    ],
    sections,
  );
}
