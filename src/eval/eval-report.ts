/**
 * @module eval/eval-report
 * `funnel eval` results as tables (per collection: one row per profile and stage; over a folder:
 * one row per collection and a mean row) and as an HTML report with charts.
 */

import { barChartSvg, lineChartSvg, type Point } from './charts.js';
import { type CollectionEval, meanOverCollections } from './collection-eval.js';
import { finalRanking, STAGE_CUTOFFS } from './funnel-eval.js';
import { htmlReport, type ReportSection } from './html-report.js';
import type { Cell, Table } from './table.js';

const recallHead = STAGE_CUTOFFS.map((k) => `R@${k}`);

/** One row per profile and stage: the ranking's metrics and the stage's latency. */
export function stageTable(c: CollectionEval): Table {
  const rows: Cell[][] = [];
  for (const p of c.profiles) {
    for (const s of p.stages) {
      const m = s.metrics;
      rows.push([
        p.profile,
        s.stage,
        m ? m.ndcg10 : null,
        m ? m.map : null,
        m ? m.mrr10 : null,
        ...STAGE_CUTOFFS.map((k) => (m ? m.recall[k] : null)),
        s.latencyMs.p50,
        s.latencyMs.p95,
      ]);
    }
    rows.push([
      p.profile,
      'whole funnel',
      null,
      null,
      null,
      ...STAGE_CUTOFFS.map(() => null),
      p.totalMs.p50,
      p.totalMs.p95,
    ]);
  }
  return {
    caption: `${c.name}: ${c.queries} judged queries, ${c.docs} documents`,
    head: ['profile', 'stage', 'nDCG@10', 'MAP', 'MRR@10', ...recallHead, 'p50 ms', 'p95 ms'],
    rows,
    digits: [0, 0, 3, 3, 3, ...STAGE_CUTOFFS.map(() => 3), 1, 1],
  };
}

/**
 * A line per stage that failed or ran over its budget in some queries: its rows then show the
 * previous stage's order, which a reader of the table must know.
 */
export function degradedNotes(c: CollectionEval): string[] {
  const notes: string[] = [];
  for (const p of c.profiles)
    for (const s of p.stages)
      if (s.degraded > 0)
        notes.push(
          `${c.name}: ${p.profile} ${s.stage} failed or ran over its budget in ${s.degraded} queries (its input order was passed on)${s.error ? `: ${s.error}` : ''}`,
        );
  return notes;
}

/** One row per collection and a mean row; per profile the final ranking's metrics. */
export function collectionsTable(results: readonly CollectionEval[]): Table {
  const all = [...results, meanOverCollections(results)];
  const head = ['collection'];
  for (const p of results[0].profiles) {
    head.push(
      `${p.profile} nDCG@10`,
      `${p.profile} MAP`,
      `${p.profile} R@117`,
      `${p.profile} R@1000 (1)`,
      `${p.profile} p50 ms`,
    );
  }
  const rows = all.map((c) => {
    const row: Cell[] = [c.name];
    for (const p of c.profiles) {
      const f = finalRanking(p).metrics;
      const first = p.stages[0].metrics;
      row.push(
        f?.ndcg10 ?? null,
        f?.map ?? null,
        f?.recall[117] ?? null,
        first?.recall[1000] ?? null,
        p.totalMs.p50,
      );
    }
    return row;
  });
  const digits = head.map((h) => (h.endsWith('ms') ? 1 : 3));
  return { caption: 'final ranking per profile; R@1000 (1) = recall@1000 after stage 1', head, rows, digits };
}

/** Charts: nDCG@10 per collection, recall at each funnel width per stage, latency per stage. */
export async function evalCharts(results: readonly CollectionEval[]): Promise<string[]> {
  const mean = results.length > 1 ? meanOverCollections(results) : results[0];
  const ndcg = await barChartSvg({
    title: 'nDCG@10 of the final ranking',
    categoryTitle: 'collection',
    valueTitle: 'nDCG@10',
    yDomain: [0, 1],
    bars: [...results, ...(results.length > 1 ? [mean] : [])].flatMap((c) =>
      c.profiles.map((p) => ({
        category: c.name,
        series: p.profile,
        value: finalRanking(p).metrics?.ndcg10 ?? 0,
      })),
    ),
  });
  const points: Point[] = [];
  for (const p of mean.profiles) {
    for (const s of p.stages) {
      if (!s.metrics) continue;
      for (const k of STAGE_CUTOFFS) {
        if (k > s.keep * 1.0001 && k !== STAGE_CUTOFFS[0]) continue; // past its width the ranking is cut
        points.push({ x: k, y: s.metrics.recall[k], series: `${p.profile} ${s.stage}` });
      }
    }
  }
  const widths = await lineChartSvg({
    title: `recall at each funnel width (${mean.name})`,
    xTitle: 'cutoff (documents kept)',
    yTitle: 'recall',
    xLog: true,
    yDomain: [0, 1],
    points,
  });
  const latency = await barChartSvg({
    title: `latency per stage, p50 (${mean.name})`,
    categoryTitle: 'stage',
    valueTitle: 'ms',
    bars: mean.profiles.flatMap((p) =>
      p.stages.map((s) => ({ category: `${s.kind} ${s.model}`, series: p.profile, value: s.latencyMs.p50 })),
    ),
  });
  return [ndcg, widths, latency];
}

/** The HTML report of an evaluation, with the charts of `evalCharts`. */
export function evalReportHtml(results: readonly CollectionEval[], charts: readonly string[]): string {
  const sections: ReportSection[] = [{ heading: 'Charts', charts: [...charts] }];
  if (results.length > 1) sections.push({ heading: 'All collections', tables: [collectionsTable(results)] });
  sections.push({ heading: 'Per collection and stage', tables: results.map(stageTable) });
  return htmlReport(
    'Funnel evaluation',
    [
      `Profiles: ${results[0].profiles.map((p) => `${p.profile} (${p.funnel})`).join('; ')}.`,
      'Metrics as trec_eval -c computes them (graded gains, ties by doc id, judged queries without hits count as 0); recall at each funnel width after each stage; latency is nearest-rank p50/p95 per query.',
    ],
    sections,
  );
}
