/**
 * @module cli/commands/watch-cmd
 * `funnel watch <folder> --index <dir>`: indexes the folder as `funnel index` does, then keeps the
 * index in step with it: a saved change (add, edit, delete, rename) is committed, so searchable by
 * any reader, within about a second. A line per change (with `--json`: the summary of the first
 * pass, then `{"watching": folder}` once changes are watched, then a JSON line per batch). SIGINT and
 * SIGTERM stop it cleanly: the batch in hand is finished and committed, the index closed.
 */

import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { FolderSync, type SyncReport } from '../../ingest/sync.js';
import { FolderWatcher, type WatchUpdate } from '../../ingest/watch.js';
import { type FolderFlags, indexFolder, printIssues, syncOptions } from '../folder-run.js';
import { EXIT, err, out, UsageError } from '../io.js';
import { indexOptions } from './index-cmd.js';

export function register(program: Command): void {
  indexOptions(
    program
      .command('watch <folder>')
      .description('index a folder, then keep the index in step with it as files are saved (Ctrl-C stops)'),
  ).action(async (folder: string, flags: FolderFlags) => {
    process.exitCode = await runWatch(folder, flags);
  });
}

function describe(u: WatchUpdate): string {
  const r = u.report;
  const parts: string[] = [];
  if (r.indexed) parts.push(`${r.indexed} indexed (${r.passages} passages)`);
  if (r.removed) parts.push(`${r.removed} removed`);
  if (r.unchanged) parts.push(`${r.unchanged} unchanged`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped`);
  if (r.failed.length) parts.push(`${r.failed.length} failed`);
  if (parts.length === 0) parts.push('no change');
  const what = u.full ? 'whole tree' : u.paths.slice(0, 5).join(', ') + (u.paths.length > 5 ? ', ...' : '');
  const time = new Date().toTimeString().slice(0, 8);
  return `${time} ${what}: ${parts.join(', ')} in ${u.ms.toFixed(0)} ms`;
}

function hasIssues(r: SyncReport): boolean {
  return r.skipped.length + r.failed.length + r.warnings.length > 0;
}

async function runWatch(folder: string, flags: FolderFlags): Promise<number> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new UsageError(`watch: ${folder} is not a folder`);
  const first = await indexFolder(folder, flags);
  const engine = await Engine.open(flags.index);
  const sync = FolderSync.forIndex(engine, folder, flags.index, syncOptions(flags));
  const watcher = await FolderWatcher.start(sync, {
    commit: () => engine.commit(),
    onUpdate: (u) => {
      if (flags.json) {
        out(
          JSON.stringify({
            at: new Date().toISOString(),
            paths: u.paths,
            full: u.full,
            ms: Math.round(u.ms),
            ...u.report,
          }),
        );
        return;
      }
      out(describe(u));
      if (hasIssues(u.report)) printIssues(u.report);
    },
    onError: (e) => err(`funnel watch: ${e.message}`),
  });
  if (flags.json) out(JSON.stringify({ watching: folder }));
  else err(`watching ${folder} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await watcher.close();
  await engine.close();
  if (!flags.json) err('stopped; index committed');
  return first === EXIT.PARTIAL ? EXIT.PARTIAL : EXIT.OK;
}
