/**
 * @module ingest/walk
 * Which files of a folder tree are indexed. Git's rules: every `.gitignore` (and Funnel's own
 * `.funnelignore`, same syntax) applies to its folder and below, a deeper file overrides a shallower
 * one, `!pattern` re-includes, and nothing inside an ignored folder comes back (the folder is not
 * walked). `.git` is never walked; hidden entries (a name starting with `.`) and `node_modules` are
 * skipped unless asked for. Symbolic links are followed when they stay inside the root: real paths
 * of walked folders are tracked, so a link loop (or a second way into a folder already walked) is
 * skipped; a link that leads out of the root, or nowhere, is skipped with its reason.
 *
 * Reads the file system (readdir, realpath, the ignore files); prints nothing, never throws for one
 * entry: what cannot be walked is reported in `skipped`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Ignore files read in every folder, in this order (a later one overrides an earlier one). */
export const IGNORE_FILES = ['.gitignore', '.funnelignore'] as const;

export interface WalkOptions {
  /** Walk hidden files and folders too (default false). `.git` is never walked. */
  hidden?: boolean;
  /** Absolute paths never walked (the index folder, when it lies inside the root). */
  exclude?: readonly string[];
}

/** A file to index: its path relative to the root (with `/`), and the path to open. */
export interface WalkEntry {
  rel: string;
  full: string;
}

/** An entry that was not walked, and why (`symlink escapes the root: ...`). */
export interface WalkSkip {
  rel: string;
  reason: string;
}

export interface WalkResult {
  files: WalkEntry[];
  skipped: WalkSkip[];
}

/** The ignore rules of one tree, read lazily folder by folder and cached. */
export class IgnoreRules {
  private readonly cache = new Map<string, Ignore | null>();
  private readonly chains = new Map<string, { base: string; rules: Ignore }[]>();
  private readonly hidden: boolean;

  constructor(
    readonly root: string,
    options: WalkOptions = {},
  ) {
    this.hidden = options.hidden ?? false;
  }

  /** Forget the cached rules (an ignore file changed). */
  clear(): void {
    this.cache.clear();
    this.chains.clear();
  }

  /** True when the entry `name` of folder `dir` (both relative, `''` = the root) is not walked. */
  ignoresEntry(dir: string, name: string, isDir: boolean): boolean {
    if (name === '.git') return true;
    if (!this.hidden && (name.startsWith('.') || name === 'node_modules')) return true;
    const chain = this.chainOf(dir);
    if (chain.length === 0) return false;
    const rel = `${dir === '' ? name : `${dir}/${name}`}${isDir ? '/' : ''}`;
    let ignored = false;
    for (const { base, rules } of chain) {
      const r = rules.test(base === '' ? rel : rel.slice(base.length + 1));
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }

  /**
   * The rules that apply to the entries of folder `dir`: those of the folders from the root down
   * to `dir` that have ignore files, outermost first, each with its folder. Kept per folder, so
   * that an entry costs no path strings when (as usually) no folder above it has rules.
   */
  private chainOf(dir: string): { base: string; rules: Ignore }[] {
    const cached = this.chains.get(dir);
    if (cached !== undefined) return cached;
    const parent =
      dir === '' ? [] : this.chainOf(dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '');
    const own = this.rulesOf(dir);
    const chain = own ? [...parent, { base: dir, rules: own }] : parent;
    this.chains.set(dir, chain);
    return chain;
  }

  /** True when `rel` (a file, or a folder when `isDir`) or one of its folders is not walked. */
  ignoresPath(rel: string, isDir = false): boolean {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = i < parts.length - 1 || isDir;
      if (this.ignoresEntry(parts.slice(0, i).join('/'), parts[i], dir)) return true;
    }
    return false;
  }

  private rulesOf(dir: string): Ignore | null {
    const cached = this.cache.get(dir);
    if (cached !== undefined) return cached;
    let rules: Ignore | null = null;
    for (const name of IGNORE_FILES) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(this.root, dir, name), 'utf8');
      } catch {
        continue; // none here (or unreadable: as if none)
      }
      rules ??= ignore();
      rules.add(text);
    }
    this.cache.set(dir, rules);
    return rules;
  }
}

/**
 * `path.join(base, rel)` for any `rel` made of names read from folders joined by `/` (no `.`,
 * `..` or empty parts), so only `base` needs normalizing: `path.join` does it again for every file
 * (~10 µs a call here: seconds on the main thread for a tree of 78 k files).
 */
export function joinUnder(base: string): (rel: string) => string {
  if (path.sep !== '/') return (rel) => path.join(base, rel);
  const prefix = path.join(base, 'x').slice(0, -1);
  return (rel) => (rel === '' ? path.join(base, rel) : prefix + rel);
}

const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The files of `root` to index, in a stable order (depth first, names sorted), and the entries
 * skipped with their reasons. `under` (relative to the root) walks one folder of the tree only.
 * `onFile` is told of each file as soon as it is certain to be in the result, so that a caller can
 * start on it while the walk goes on: every file met under its own path (a file also reached
 * through a symlink is indexed there); files reached only through symlinks are known at the end.
 */
export async function walkFolder(
  root: string,
  rules: IgnoreRules,
  options: WalkOptions = {},
  under = '',
  onFile?: (entry: WalkEntry) => void,
): Promise<WalkResult> {
  const files: WalkEntry[] = [];
  const skipped: WalkSkip[] = [];
  const rootReal = await fs.promises.realpath(root);
  const exclude = new Set(
    (options.exclude ?? []).map((p) => {
      try {
        return fs.realpathSync(p);
      } catch {
        return path.resolve(p);
      }
    }),
  );
  const visited = new Set<string>();
  // The real path of each file, for files reached through symlinks (see oncePerFile): a symlink's
  // target; a plain file's, by its folder's real path and its name, only asked for if there is one.
  const reals: FileReal[] = [];
  const inside = (real: string) => {
    const r = path.relative(rootReal, real);
    return r === '' || (!r.startsWith(`..${path.sep}`) && r !== '..' && !path.isAbsolute(r));
  };
  const relOf = (real: string) => path.relative(rootReal, real).split(path.sep).join('/');
  const fullOf = joinUnder(root);

  const walk = async (dir: string, real: string): Promise<void> => {
    if (visited.has(real)) {
      skipped.push({ rel: dir, reason: `folder already walked (as ${relOf(real) || '.'}): a symlink loop` });
      return;
    }
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(root, dir), { withFileTypes: true });
    } catch (err) {
      skipped.push({
        rel: dir || '.',
        reason: `cannot list folder: ${(err as NodeJS.ErrnoException).code ?? err}`,
      });
      return;
    }
    entries.sort(byName);
    const realOf = joinUnder(real);
    for (const e of entries) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      const full = fullOf(rel);
      if (e.isSymbolicLink()) {
        let target: string;
        let st: fs.Stats;
        try {
          target = await fs.promises.realpath(full);
          st = await fs.promises.stat(target);
        } catch {
          if (!rules.ignoresEntry(dir, e.name, false))
            skipped.push({ rel, reason: 'broken symlink (its target does not exist)' });
          continue;
        }
        if (rules.ignoresEntry(dir, e.name, st.isDirectory())) continue;
        if (!inside(target)) {
          skipped.push({ rel, reason: `symlink escapes the root (to ${target})` });
          continue;
        }
        if (exclude.has(target)) continue;
        if (st.isDirectory()) await walk(rel, target);
        else if (st.isFile()) {
          files.push({ rel, full });
          reals.push({ link: target, dirOf: null, name: '' });
        }
        continue;
      }
      if (rules.ignoresEntry(dir, e.name, e.isDirectory())) continue;
      if (e.isDirectory()) {
        const childReal = realOf(e.name);
        if (!exclude.has(childReal)) await walk(rel, childReal);
      } else if (e.isFile()) {
        const entry = { rel, full };
        files.push(entry);
        reals.push({ link: null, dirOf: realOf, name: e.name });
        // Every folder is listed once (`visited`), so a file that is not a symlink is met once:
        // it is certain to be in the result (see oncePerFile).
        onFile?.(entry);
      }
    }
  };
  const start = under === '' ? rootReal : await fs.promises.realpath(path.join(root, under));
  if (!inside(start)) skipped.push({ rel: under, reason: `folder escapes the root (to ${start})` });
  else await walk(under, start);
  return { files: oncePerFile(files, reals, skipped), skipped };
}

/** How to tell a walked file's real path: a symlink's target, or a folder's real path and a name. */
interface FileReal {
  link: string | null;
  dirOf: ((name: string) => string) | null;
  name: string;
}

/**
 * One entry per real file: a file reached also through a symlink (or two) is indexed once, under
 * its own path when the walk met it, and each other path is reported as skipped. Without a symlink
 * to a file, every file is met once (folders are listed once) and the walk is the result.
 */
function oncePerFile(files: WalkEntry[], reals: readonly FileReal[], skipped: WalkSkip[]): WalkEntry[] {
  if (reals.every((r) => r.link === null)) return files;
  const paths = reals.map((r) => r.link ?? r.dirOf!(r.name));
  const keep = new Map<string, number>();
  paths.forEach((real, i) => {
    const kept = keep.get(real);
    if (kept === undefined || (reals[kept].link !== null && reals[i].link === null)) keep.set(real, i);
  });
  const out: WalkEntry[] = [];
  files.forEach((f, i) => {
    const kept = keep.get(paths[i])!;
    if (kept === i) out.push(f);
    else
      skipped.push({
        rel: f.rel,
        reason: `the same file as ${files[kept].rel} (a symlink): indexed once, there`,
      });
  });
  return out;
}
