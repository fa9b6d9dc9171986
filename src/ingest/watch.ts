/**
 * @module ingest/watch
 * Keeps an index in step with a folder as files are saved. chokidar reports changes (ignored,
 * hidden and excluded paths are not even watched); they are gathered for a short quiet time
 * (`debounceMs`, at most `maxWaitMs` while events keep coming), then the changed files are synced
 * (`FolderSync.syncPaths`: added, edited, deleted, renamed = deleted + added) and committed, and
 * the sync state saved. A change to a folder or to an ignore file syncs the whole tree instead
 * (`syncAll`), which also covers renamed folders and changed rules. One batch runs at a time;
 * changes that come in meanwhile make the next one.
 *
 * Symbolic links are not followed while watching (a change inside a linked folder is picked up by
 * the next `syncAll`, e.g. the next `funnel index`).
 */

import * as path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { FolderSync, SyncReport } from './sync.js';

export interface WatchOptions {
  /** Quiet time after the last change before a batch is synced (default 50 ms). */
  debounceMs?: number;
  /** Longest a batch waits while changes keep coming (default 250 ms). */
  maxWaitMs?: number;
  /** Makes a synced batch durable (an Engine's commit); the sync state is saved after it. */
  commit: () => Promise<unknown>;
  /** After each batch is committed. */
  onUpdate?: (update: WatchUpdate) => void;
  /** A batch or the watcher failed; watching goes on. */
  onError?: (err: Error) => void;
}

export interface WatchUpdate {
  report: SyncReport;
  /** Changed paths relative to the root (empty for a whole-tree sync). */
  paths: string[];
  full: boolean;
  /** From the first change of the batch to its commit. */
  ms: number;
}

export class FolderWatcher {
  private readonly changed = new Set<string>();
  private full = false;
  private firstAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly sync: FolderSync,
    private readonly options: WatchOptions,
    private readonly watcher: FSWatcher,
  ) {}

  /** Starts watching `sync.root`; resolves once the tree is watched. */
  static async start(sync: FolderSync, options: WatchOptions): Promise<FolderWatcher> {
    // Absolute paths in, absolute paths out: events are resolved against the root, not the cwd.
    const watcher = watch(path.resolve(sync.root), {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (p, stats) => sync.ignores(p, stats?.isDirectory() ?? false),
    });
    const self = new FolderWatcher(sync, options, watcher);
    watcher.on('all', (event, p) => self.onEvent(event, p));
    watcher.on('error', (e) => options.onError?.(e instanceof Error ? e : new Error(String(e))));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    return self;
  }

  private onEvent(event: string, p: string): void {
    if (this.closed) return;
    if (this.changed.size === 0 && !this.full) this.firstAt = performance.now();
    if (event === 'addDir' || event === 'unlinkDir' || this.sync.isIgnoreFile(p)) this.full = true;
    else this.changed.add(this.sync.relative(p));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const debounce = this.options.debounceMs ?? 50;
    const waited = performance.now() - this.firstAt;
    const delay = Math.max(0, Math.min(debounce, (this.options.maxWaitMs ?? 250) - waited));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.runBatch());
    }, delay);
  }

  private async runBatch(): Promise<void> {
    const full = this.full;
    const paths = [...this.changed];
    const started = this.firstAt;
    this.full = false;
    this.changed.clear();
    if (!full && paths.length === 0) return;
    try {
      if (full) this.sync.rules.clear();
      const report = full ? await this.sync.syncAll() : await this.sync.syncPaths(paths);
      await this.options.commit();
      this.sync.save();
      this.options.onUpdate?.({ report, paths: full ? [] : paths, full, ms: performance.now() - started });
    } catch (err) {
      this.options.onError?.(err as Error);
    }
  }

  /** Resolves when no batch is waiting or running. */
  async idle(): Promise<void> {
    while (this.timer || this.changed.size > 0 || this.full) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await this.running;
  }

  /** Stops watching; the batch being synced, if any, finishes first. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.watcher.close();
    await this.running;
  }
}
