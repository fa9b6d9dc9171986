/**
 * @module cli/io
 * The CLI's only way to print: results to stdout, progress and diagnostics to stderr, so that
 * `--json` output and TREC runs can be piped.
 */

import * as os from 'node:os';

export const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};
export const err = (s: string): void => {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
};
export const json = (value: unknown): void => out(JSON.stringify(value, null, 2));

/** Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs failed (the rest was done). */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, PARTIAL: 3 } as const;

/**
 * How a command that runs many queries opens an index: read-only, shards scored on every core.
 * (A one-shot `ask` or `search` does not: starting a search thread costs ~0.3 s, more than it
 * saves on one question.)
 */
export const BATCH_OPEN = { readOnly: true, searchThreads: os.availableParallelism() } as const;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${name}: illegal value "${value}", expected an integer in [${min}, ${max}]`);
    }
    return n;
  };
}

export class UsageError extends Error {}
