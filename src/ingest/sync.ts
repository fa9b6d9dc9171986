/**
 * @module ingest/sync
 * Keeps an index in step with a folder. `syncAll()` walks the tree (`walk.ts`) and brings every
 * file up to date (`folder.ts`): a new or edited file's passages are added and its passages that
 * are gone deleted (unchanged passages keep their ids); an unchanged file is not read; the
 * passages of a file that is gone (or now ignored) are deleted. `syncPaths()` does the same for
 * some files only (what `funnel watch` saw change). After the caller has committed, `save()`
 * records what was indexed beside the index (`sync-state.ts`).
 *
 * A file that is skipped or fails keeps what it had in the index: nothing indexed is lost to a
 * bad read. Its path and reason go to the report.
 *
 * The index is reached through {@link SyncTarget} (an `Engine`): ingest decides what to add and
 * delete, the engine does it.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentInput } from '../types.js';
import {
  checkFolderFile,
  type FileIssue,
  type FileJob,
  type FileResult,
  fileOfId,
  indexFolderFile,
} from './folder.js';
import type { PassageOptions } from './passages.js';
import { type FileState, readSyncState, type SyncState, stateFile, writeSyncState } from './sync-state.js';
import {
  IGNORE_FILES,
  IgnoreRules,
  joinUnder,
  type WalkEntry,
  type WalkOptions,
  type WalkResult,
  walkFolder,
} from './walk.js';

/** What sync needs of an index. */
export interface SyncTarget {
  ids(): Iterable<string>;
  add(doc: DocumentInput): void;
  delete(id: string): boolean;
  /**
   * Optional (an `Engine` has it): reads, parses and adds a file itself, in builder threads when it
   * can, and calls `done` with what the file came to; `remove` deletes a passage added before, in
   * the same step. Without it, files are read here and their passages given to `add`.
   */
  addFile?(
    job: FileJob,
    size: number,
    done: (result: FileResult, remove: (id: string) => boolean) => void,
  ): Promise<void>;
  /** Waits until every file given to `addFile` is done. */
  filesDone?(): Promise<void>;
}

export interface SyncOptions extends WalkOptions {
  /** Larger files are skipped without being read (default 256 MiB). */
  maxFileBytes?: number;
  passages?: PassageOptions;
  /** After each file (the CLI updates its progress bar, commits every N documents). */
  afterFile?: (progress: SyncProgress) => void | Promise<void>;
  /** A file skipped or failed, or indexed with a warning, as soon as it is known. */
  onIssue?: (kind: IssueKind, issue: FileIssue) => void;
  /** Before each file is read (tests make files vanish here). */
  beforeFile?: (rel: string) => void | Promise<void>;
}

export type IssueKind = 'skipped' | 'failed' | 'warning';

export interface SyncProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  passages: number;
}

export interface SyncReport {
  /** Files found (walked, or named to `syncPaths` and present). */
  files: number;
  /** Files read and indexed. */
  indexed: number;
  /** Files not indexed again: size and mtime as last time, or (`touched`) the same content. */
  unchanged: number;
  /** Of `unchanged`: read because the mtime or size changed, but the content hash was the same. */
  touched: number;
  /** Files gone since the last run whose passages were deleted. */
  removed: number;
  passages: number;
  deleted: number;
  bytes: number;
  chars: number;
  skipped: FileIssue[];
  failed: FileIssue[];
  warnings: FileIssue[];
}

function emptyReport(): SyncReport {
  return {
    files: 0,
    indexed: 0,
    unchanged: 0,
    touched: 0,
    removed: 0,
    passages: 0,
    deleted: 0,
    bytes: 0,
    chars: 0,
    skipped: [],
    failed: [],
    warnings: [],
  };
}

export class FolderSync {
  readonly rules: IgnoreRules;
  private readonly files: Record<string, FileState>;
  private byFile: Map<string, string[]> | null = null;
  private readonly under: (rel: string) => string;

  /**
   * @param root the folder, as the user named it (paths in reports start with it)
   * @param stateFile where the state is kept, or null for none (every run reads everything)
   * @param previous the state already read from `stateFile` (see `upToDate`); read here otherwise
   */
  constructor(
    private readonly target: SyncTarget,
    readonly root: string,
    readonly stateFile: string | null,
    private readonly options: SyncOptions = {},
    previous?: SyncState | null,
  ) {
    this.rules = new IgnoreRules(root, options);
    this.under = joinUnder(root);
    if (previous === undefined) previous = stateFile ? readSyncState(stateFile, root) : null;
    this.files = { ...(previous?.files ?? {}) };
  }

  /**
   * A sync of `root` into `target`, with its state beside the index in `indexDir` (`previous`: that
   * state, when `upToDate` has just read it).
   */
  static forIndex(
    target: SyncTarget,
    root: string,
    indexDir: string,
    options: SyncOptions = {},
    previous?: SyncState | null,
  ): FolderSync {
    const exclude = [...(options.exclude ?? []), indexDir];
    return new FolderSync(target, root, stateFile(indexDir, root), { ...options, exclude }, previous);
  }

  /**
   * Walks the whole tree (or takes `walked`, the walk `upToDate` just made) and brings every file
   * up to date; deletes what is gone.
   */
  async syncAll(walked?: WalkResult): Promise<SyncReport> {
    const report = emptyReport();
    let result = walked;
    if (result) {
      const files = result.files;
      await this.syncFiles(files, () => files.length, report);
    } else {
      // Files are synced as the walk finds them: the builders need not wait for the whole walk.
      const walk = new WalkStream(this.root, this.rules, this.options);
      await this.syncFiles(walk.entries(), () => walk.found, report);
      result = await walk.result;
    }
    const issues = result.skipped.map((s) => ({ path: this.label(s.rel), reason: s.reason }));
    for (const issue of issues) this.options.onIssue?.('skipped', issue);
    report.skipped.unshift(...issues);
    const seen = new Set<string>();
    for (const e of result.files) seen.add(e.rel);
    // A skipped entry (a symlink out of the root, say) keeps what it had in the index.
    for (const s of result.skipped) seen.add(s.rel);
    for (const rel of Object.keys(this.files)) if (!seen.has(rel)) this.remove(rel, report);
    return report;
  }

  /**
   * Brings the named files (relative to the root, or absolute) up to date: present ones are read
   * as in `syncAll`, missing or ignored ones have their passages deleted.
   */
  async syncPaths(paths: readonly string[]): Promise<SyncReport> {
    const report = emptyReport();
    const rootReal = fs.realpathSync(this.root);
    const entries: WalkEntry[] = [];
    for (const p of new Set(paths.map((x) => this.relative(x)))) {
      if (p === '' || p.startsWith('../')) continue;
      const full = path.join(this.root, p);
      if (this.ignores(p) || !fs.existsSync(full)) {
        this.remove(p, report);
        continue;
      }
      let real: string;
      try {
        real = fs.realpathSync(full);
      } catch {
        this.remove(p, report); // gone since the event
        continue;
      }
      const r = path.relative(rootReal, real);
      if (r.startsWith('..') || path.isAbsolute(r)) {
        this.issue(report, 'skipped', { path: full, reason: `symlink escapes the root (to ${real})` });
        continue;
      }
      entries.push({ rel: p, full });
    }
    await this.syncFiles(entries, () => entries.length, report);
    return report;
  }

  /**
   * True when `p` (relative to the root, or absolute; a folder when `isDir`) is not synced: ignored,
   * hidden, in `.git`, outside the root or in an excluded folder (the index).
   */
  ignores(p: string, isDir = false): boolean {
    const rel = this.relative(p);
    if (rel === '') return false;
    if (rel === '..' || rel.startsWith('../')) return true;
    const abs = path.resolve(this.root, rel);
    for (const x of this.options.exclude ?? []) {
      const r = path.relative(path.resolve(x), abs);
      if (r === '' || (!r.startsWith('..') && !path.isAbsolute(r))) return true;
    }
    return this.rules.ignoresPath(rel, isDir);
  }

  /** True when `p` (relative or absolute) is an ignore file, whose change calls for `syncAll`. */
  isIgnoreFile(p: string): boolean {
    return (IGNORE_FILES as readonly string[]).includes(path.basename(p));
  }

  /**
   * Records the state durably: call it once the index has committed what was synced. With
   * `indexVersion` (the index's version once closed), a later run can see that nothing changed
   * without opening the index (`upToDate`).
   */
  save(indexVersion?: string | null): void {
    if (!this.stateFile) return;
    const state: SyncState = { root: path.resolve(this.root), files: this.files };
    if (indexVersion) state.index = indexVersion;
    writeSyncState(this.stateFile, state);
  }

  /**
   * Whether syncing `root` into the index in `indexDir` would change nothing: the index is as the
   * last run left it (`version` equals the one that run recorded), every file walked has the size
   * and mtime recorded then, and no recorded file is gone. Opens no index and reads no file, so an
   * unchanged tree of 10,000 files is checked in a few hundred milliseconds. `same` holds the
   * walk's counts and skipped entries when up to date; `walked`, the walk, for `syncAll` otherwise,
   * and `state`, the recorded state it read, for `forIndex`.
   */
  static async upToDate(
    root: string,
    indexDir: string,
    version: string | null,
    options: SyncOptions = {},
  ): Promise<{
    same: { files: number; unchanged: number; skipped: FileIssue[] } | null;
    walked?: WalkResult;
    state: SyncState | null;
  }> {
    const state = readSyncState(stateFile(indexDir, root), root);
    if (!state || !version || state.index !== version) return { same: null, state };
    const walked = await walkFolder(root, new IgnoreRules(root, options), {
      ...options,
      exclude: [...(options.exclude ?? []), indexDir],
    });
    return { same: unchangedSince(state, root, walked), walked, state };
  }

  /** The path relative to the root, with `/`. */
  relative(p: string): string {
    const abs = path.isAbsolute(p) ? p : path.join(this.root, p);
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  private label(rel: string): string {
    return this.under(rel);
  }

  private ids(): Map<string, string[]> {
    if (this.byFile) return this.byFile;
    const map = new Map<string, string[]>();
    for (const id of this.target.ids()) {
      const f = fileOfId(id);
      const list = map.get(f);
      if (list) list.push(id);
      else map.set(f, [id]);
    }
    this.byFile = map;
    return map;
  }

  private issue(report: SyncReport, kind: IssueKind, issue: FileIssue): void {
    (kind === 'skipped' ? report.skipped : kind === 'failed' ? report.failed : report.warnings).push(issue);
    this.options.onIssue?.(kind, issue);
  }

  private remove(rel: string, report: SyncReport): void {
    const ids = this.ids();
    const had = this.files[rel] !== undefined || ids.has(rel);
    for (const id of ids.get(rel) ?? []) if (this.target.delete(id)) report.deleted++;
    ids.delete(rel);
    delete this.files[rel];
    if (had) report.removed++;
  }

  /** Syncs `entries`; `total()` is how many there are (so far, while a walk still finds them). */
  private async syncFiles(
    entries: Iterable<WalkEntry> | AsyncIterable<WalkEntry>,
    total: () => number,
    report: SyncReport,
  ): Promise<void> {
    const ids = this.ids();
    const progress: SyncProgress = { files: 0, totalFiles: total(), bytes: 0, passages: 0 };
    const target = this.target;
    const threaded = target.addFile !== undefined;
    for await (const e of entries) {
      progress.totalFiles = total();
      await this.options.beforeFile?.(e.rel);
      const label = this.label(e.rel);
      const job: FileJob = {
        file: label,
        rel: e.rel,
        options: {
          maxFileBytes: this.options.maxFileBytes,
          passages: this.options.passages,
          previous: this.files[e.rel],
          indexed: ids.has(e.rel),
        },
      };
      const checked = checkFolderFile(label, job.options, threaded);
      if (checked.kind !== 'read') {
        this.record(job, checked, report, progress, (id) => target.delete(id));
      } else if (target.addFile) {
        // Read, parsed and added by the target (in a builder thread): recorded when it is done.
        await target.addFile(job, checked.size, (result, remove) =>
          this.record(job, result, report, progress, remove),
        );
      } else {
        const got = await indexFolderFile(job, (doc) => target.add(doc));
        this.record(job, got, report, progress, (id) => target.delete(id));
      }
      await this.options.afterFile?.(progress);
    }
    progress.totalFiles = total();
    if (threaded) {
      await target.filesDone?.();
      await this.options.afterFile?.(progress);
    }
  }

  /**
   * Records what file `job` came to: the report, the recorded state, and for an indexed file its
   * passages that are gone deleted (`remove`) and its new ids noted.
   */
  private record(
    job: FileJob,
    got: FileResult,
    report: SyncReport,
    progress: SyncProgress,
    remove: (id: string) => boolean,
  ): void {
    const ids = this.ids();
    const rel = job.rel;
    report.files++;
    progress.files++;
    if (got.kind === 'unchanged') {
      report.unchanged++;
      if (got.read) report.touched++;
      this.files[rel] = got.state;
    } else if (got.kind === 'skipped' || got.kind === 'failed') {
      this.issue(report, got.kind, { path: job.file, reason: got.reason });
      // A file skipped for its content is recorded, so that it is not read again unchanged.
      if (got.kind === 'skipped' && got.state) this.files[rel] = got.state;
    } else {
      const olds = ids.get(rel);
      if (olds !== undefined) {
        const keep = new Set(got.ids);
        for (const old of olds) if (!keep.has(old) && remove(old)) report.deleted++;
      }
      // Passages cut, whether or not the target took them all.
      const cut = got.state.passages ?? got.ids.length;
      if (cut > 0) ids.set(rel, got.ids);
      else ids.delete(rel);
      this.files[rel] = got.state;
      report.indexed++;
      report.chars += got.chars;
      report.passages += cut;
      report.bytes += got.bytes;
      progress.bytes += got.bytes;
      progress.passages += cut;
      for (const w of got.warnings) this.issue(report, 'warning', { path: job.file, reason: w });
      for (const p of got.problems) this.issue(report, 'failed', p);
    }
  }
}

/** A walk of the tree whose files can be taken while it goes on ({@link walkFolder}'s `onFile`). */
class WalkStream {
  /** The whole walk, once it is over. */
  readonly result: Promise<WalkResult>;
  private readonly early: WalkEntry[] = [];
  private done = false;
  private wake: (() => void) | null = null;

  constructor(root: string, rules: IgnoreRules, options: WalkOptions) {
    this.result = walkFolder(root, rules, options, '', (e) => {
      this.early.push(e);
      this.wake?.();
    });
    const end = () => {
      this.done = true;
      this.wake?.();
    };
    this.result.then(end, end);
  }

  /** Files found so far (every file once the walk is over). */
  get found(): number {
    return this.early.length;
  }

  /** Every file of the walk: those found early as they come, then those known only at the end. */
  async *entries(): AsyncGenerator<WalkEntry> {
    let i = 0;
    for (;;) {
      if (i < this.early.length) yield this.early[i++];
      else if (this.done) break;
      else {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
      }
    }
    const walked = await this.result;
    const taken = new Set(this.early);
    for (const e of walked.files) {
      if (taken.has(e)) continue;
      this.early.push(e);
      yield e;
    }
  }
}

/** The walk's counts and skipped entries when every walked file is as `state` recorded it and none is gone, else null. */
function unchangedSince(
  state: SyncState,
  root: string,
  walked: WalkResult,
): { files: number; unchanged: number; skipped: FileIssue[] } | null {
  const seen = new Set<string>();
  const skipped = walked.skipped.map((s) => ({ path: path.join(root, s.rel), reason: s.reason }));
  for (const e of walked.files) {
    const prev = state.files[e.rel];
    let st: fs.Stats;
    try {
      st = fs.statSync(e.full);
    } catch {
      return null;
    }
    if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) return null;
    if (prev.skipped !== undefined) skipped.push({ path: path.join(root, e.rel), reason: prev.skipped });
    seen.add(e.rel);
  }
  for (const s of walked.skipped) seen.add(s.rel);
  for (const rel of Object.keys(state.files)) if (!seen.has(rel)) return null;
  const files = walked.files.length;
  return { files, unchanged: files - (skipped.length - walked.skipped.length), skipped };
}
