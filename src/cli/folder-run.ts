/**
 * @module cli/folder-run
 * `funnel index <folder>` (and the first pass of `funnel watch`): syncs a folder into an index
 * through `ingest/sync`, with a progress bar on a TTY (files, bytes, passages, rate), a line per
 * commit, and a summary: indexed, unchanged, removed, skipped and failed with their reasons, or
 * the same as JSON. Exit 3 when some inputs failed.
 */

import { Engine } from '../engine.js';
import type { FileIssue } from '../ingest/folder.js';
import { FolderSync, type SyncOptions, type SyncReport } from '../ingest/sync.js';
import { IndexRun, indexFields, indexLine } from './index-run.js';
import { EXIT, formatBytes, json, out, UsageError } from './io.js';

export interface FolderFlags {
  index: string;
  shards?: number;
  language?: string;
  commitEvery: number;
  json?: boolean;
  progress: boolean;
  hidden?: boolean;
  maxFileSize?: number;
}

/** The sync options the folder flags ask for. */
export function syncOptions(flags: FolderFlags): SyncOptions {
  return { hidden: flags.hidden, maxFileBytes: flags.maxFileSize };
}

/** `--max-file-size 256M`: bytes, or a number with K, M, G or T (powers of 1024). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: illegal value "${value}", expected bytes or e.g. 256M, 2G`);
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k'];
  const n = Math.floor(Number(m[1]) * scale);
  if (n < 1) throw new UsageError(`--max-file-size: illegal value "${value}", must be at least 1 byte`);
  return n;
}

/** Indexes folder `root` into `flags.index` and prints what happened; returns the exit code. */
export async function indexFolder(root: string, flags: FolderFlags): Promise<number> {
  const started = performance.now();
  const { same, walked, state } = await FolderSync.upToDate(
    root,
    flags.index,
    Engine.version(flags.index),
    syncOptions(flags),
  );
  if (same) return printUnchanged(root, flags, same, (performance.now() - started) / 1000);
  const run = await IndexRun.open(
    flags,
    'indexing [{bar}] {value}/{total} files | {mb} MB | {passages} passages | {rate} MB/s | {eta_formatted}',
  );
  const { engine, bar } = run;
  let sinceCommit = 0;
  let passages = 0;
  let barStarted = false;
  let report: SyncReport | undefined;
  const sync = FolderSync.forIndex(
    engine,
    root,
    flags.index,
    {
      ...syncOptions(flags),
      afterFile: async (p) => {
        if (bar) {
          // Files read in builder threads are counted when their chunk is built: the first call
          // may come with several (or none) done.
          if (!barStarted) bar.start(p.totalFiles, 0, { mb: '0', passages: 0, rate: '0' });
          barStarted = true;
          // The total grows while the walk still finds files.
          bar.setTotal(p.totalFiles);
          bar.update(p.files, {
            mb: (p.bytes / 1e6).toFixed(1),
            passages: p.passages,
            rate: (p.bytes / 1e6 / run.seconds).toFixed(1),
          });
        }
        sinceCommit += p.passages - passages;
        passages = p.passages;
        await engine.settle();
        if (sinceCommit >= flags.commitEvery) {
          sinceCommit = 0;
          await run.commit(`${passages} passages`, false);
        }
      },
    },
    state,
  );
  const { secs, stats } = await run.finish(async () => {
    report = await sync.syncAll(walked);
    await run.commit(`${passages} passages`, true);
  });
  // Recorded once the index is closed, with its version: the next run can then tell that nothing
  // changed without opening it.
  sync.save(Engine.version(flags.index));
  if (!report) throw new Error('folder sync ended without a report');
  const summary = {
    input: root,
    index: flags.index,
    files: report.files,
    indexed: report.indexed,
    unchanged: report.unchanged,
    touched: report.touched,
    removed: report.removed,
    passages: report.passages,
    deletedPassages: report.deleted,
    bytes: report.bytes,
    seconds: Number(secs.toFixed(3)),
    mbPerSecond: Number((report.bytes / 1e6 / secs).toFixed(2)),
    skipped: report.skipped,
    failed: report.failed,
    warnings: report.warnings,
    ...indexFields(stats),
  };
  if (flags.json) json(summary);
  else {
    out(
      `indexed ${report.indexed} files (${formatBytes(report.bytes)}, ${report.passages} passages) in ${secs.toFixed(1)} s: ` +
        `${summary.mbPerSecond} MB/s; ${report.unchanged} unchanged` +
        `${report.touched ? ` (${report.touched} touched, same content)` : ''}, ${report.removed} removed, ` +
        `${report.skipped.length} skipped, ${report.failed.length} failed`,
    );
    printIssues(report);
    out(indexLine(flags.index, stats, 'passages'));
  }
  return report.failed.length > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** The summary of a run that found the folder and the index as the last run left them. */
function printUnchanged(
  root: string,
  flags: FolderFlags,
  same: { files: number; unchanged: number; skipped: FileIssue[] },
  secs: number,
): number {
  if (flags.json) {
    json({
      input: root,
      index: flags.index,
      files: same.files,
      indexed: 0,
      unchanged: same.unchanged,
      touched: 0,
      removed: 0,
      passages: 0,
      deletedPassages: 0,
      bytes: 0,
      seconds: Number(secs.toFixed(3)),
      skipped: same.skipped,
      failed: [],
      warnings: [],
      indexOpened: false,
    });
    return EXIT.OK;
  }
  out(
    `indexed 0 files in ${secs.toFixed(1)} s; ${same.unchanged} unchanged, 0 removed, ${same.skipped.length} skipped, 0 failed`,
  );
  printIssues({ skipped: same.skipped, failed: [], warnings: [] });
  out(`index ${flags.index}: up to date (as the last run left it; not opened)`);
  return EXIT.OK;
}

/** The skipped, failed and warned-about inputs, each with its path and reason. */
export function printIssues(report: Pick<SyncReport, 'skipped' | 'failed' | 'warnings'>): void {
  const list = (title: string, issues: FileIssue[]) => {
    if (issues.length === 0) return;
    out(`${title} (${issues.length}):`);
    for (const i of issues.slice(0, 50)) out(`  ${i.path}: ${i.reason}`);
    if (issues.length > 50) out(`  ... and ${issues.length - 50} more (--json lists them all)`);
  };
  list('skipped', report.skipped);
  list('failed', report.failed);
  list('indexed with warnings', report.warnings);
}
