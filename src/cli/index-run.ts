/**
 * @module cli/index-run
 * What `funnel index` of a corpus file and of a folder share: the index opened for a bulk load, a
 * progress bar on a TTY, commits with a line each (held back while the bar draws), and the end:
 * the bar stopped, the held lines printed, the index's stats read and the index closed (without
 * committing anything more when the work failed).
 */

import cliProgress from 'cli-progress';
import { Engine, type IndexStats } from '../engine.js';
import { err, formatBytes } from './io.js';

export interface IndexRunFlags {
  index: string;
  shards?: number;
  language?: string;
  json?: boolean;
  progress: boolean;
}

export class IndexRun {
  readonly started = performance.now();
  private readonly held: string[] = [];
  private commits = 0;

  private constructor(
    readonly engine: Engine,
    readonly bar: cliProgress.SingleBar | null,
    private readonly json: boolean,
  ) {}

  /** Opens `flags.index` for a bulk load; `barFormat` is the cli-progress format of its bar. */
  static async open(flags: IndexRunFlags, barFormat: string): Promise<IndexRun> {
    const engine = await Engine.open(flags.index, {
      shards: flags.shards,
      language: flags.language,
      bulk: true,
    });
    const tty = process.stderr.isTTY && flags.progress && !flags.json;
    const bar = tty
      ? new cliProgress.SingleBar({ format: barFormat, hideCursor: true }, cliProgress.Presets.shades_classic)
      : null;
    return new IndexRun(engine, bar, Boolean(flags.json));
  }

  /** Seconds since the run started. */
  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /**
   * Commits; `count` says what the index holds so far ("1200 docs"). A commit in the middle of the
   * run (`last` false) is a checkpoint: what the builder threads have built so far (see
   * `Engine.commit`).
   */
  async commit(count: string, last: boolean): Promise<void> {
    const r = await this.engine.commit({ checkpoint: !last });
    this.commits++;
    const held = last ? count : `${count} read, ${this.engine.stats().docs} in the index`;
    const line = `commit ${this.commits}: ${held}, ${r.segmentsWritten} segments, ${formatBytes(r.bytesWritten)} written in ${r.ms.toFixed(0)} ms`;
    if (this.bar) this.held.push(line);
    else if (!this.json) err(line);
  }

  /** Runs `work`, then ends the run: the seconds it took and the index's stats; the index is closed. */
  async finish(work: () => Promise<void>): Promise<{ secs: number; stats: IndexStats }> {
    try {
      await work();
    } catch (e) {
      await this.engine.close({ commit: false });
      throw e;
    } finally {
      this.bar?.stop();
      for (const line of this.held) err(line);
    }
    const secs = this.seconds;
    const stats = this.engine.stats();
    await this.engine.close({ commit: false });
    return { secs, stats };
  }
}

/** The index's size in a run's JSON summary. */
export function indexFields(stats: IndexStats): { indexDocs: number; segments: number; diskBytes: number } {
  return { indexDocs: stats.docs, segments: stats.segments, diskBytes: stats.diskBytes };
}

/** The summary's last line: what the index holds now (`noun`: documents, passages). */
export function indexLine(dir: string, stats: IndexStats, noun: string): string {
  return `index ${dir}: ${stats.docs} ${noun}, ${stats.segments} segments, ${formatBytes(stats.diskBytes)} on disk`;
}
