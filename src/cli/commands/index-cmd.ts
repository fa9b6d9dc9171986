/**
 * @module cli/commands/index-cmd
 * `funnel index <path> --index <dir>`: a corpus.jsonl file, a BEIR folder, or a folder of
 * .txt/.md files. Progress bar on a TTY, a line per commit, a summary; exit 3 if some inputs failed.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { BadInputError } from '../../errors.js';
import { iterateCorpus } from '../../eval/beir.js';
import { fileOfId, readFolder } from '../../ingest/folder.js';
import { readLineChunks } from '../../ingest/lines.js';
import {
  type FileState,
  readSyncState,
  type SyncState,
  stateFile,
  unchanged,
  writeSyncState,
} from '../../ingest/sync-state.js';
import type { DocumentInput } from '../../types.js';
import { EXIT, err, formatBytes, json, out, parseIntOption } from '../io.js';

interface IndexFlags {
  index: string;
  shards?: number;
  language?: string;
  commitEvery: number;
  json?: boolean;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('index <path>')
    .description('index a corpus.jsonl file, a BEIR folder (with corpus.jsonl) or a folder of .txt/.md files')
    .requiredOption('-i, --index <dir>', 'index directory (created if missing)')
    .option(
      '--shards <n>',
      'shards of a new index (default: one per core)',
      parseIntOption('--shards', 1, 1024),
    )
    .option(
      '--language <name>',
      'analyzer language of a new index (default english; "none" disables stemming)',
    )
    .option(
      '--commit-every <docs>',
      'commit after this many documents',
      parseIntOption('--commit-every', 1, 1e9),
      100_000,
    )
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (input: string, flags: IndexFlags) => {
      process.exitCode = await runIndex(input, flags);
    });
}

async function runIndex(input: string, flags: IndexFlags): Promise<number> {
  const source = openSource(input, flags.index);
  const engine = await Engine.open(flags.index, {
    shards: flags.shards,
    language: flags.language,
    bulk: true,
  });
  const failures: BadInputError[] = [];
  const onError = (e: BadInputError) => {
    failures.push(e);
    if (!flags.json) err(`skipped ${e.message}`);
  };
  const started = performance.now();
  let docs = 0;
  let chars = 0;
  let commits = 0;
  const commitLines: string[] = [];
  const tty = process.stderr.isTTY && flags.progress && !flags.json;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format: source.bytes
            ? 'indexing [{bar}] {percentage}% | {docs} docs | {mb} MB | {rate} MB/s'
            : 'indexing {docs} docs | {mb} MB | {rate} MB/s',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const total = source.bytes || 1;
  bar?.start(total, 0, { docs: 0, mb: '0', rate: '0' });
  const commit = async () => {
    const r = await engine.commit();
    commits++;
    const line = `commit ${commits}: ${docs} docs, ${r.segmentsWritten} segments, ${formatBytes(r.bytesWritten)} written in ${r.ms.toFixed(0)} ms`;
    if (!flags.json && !bar) err(line);
    else if (bar) commitLines.push(line);
  };
  const progress = () => {
    if (!bar) return;
    const secs = (performance.now() - started) / 1000;
    bar.update(Math.min(total, source.file ? bytes : chars), {
      docs,
      mb: (chars / 1e6).toFixed(1),
      rate: (chars / 1e6 / secs).toFixed(1),
    });
  };
  let bytes = 0;
  let sinceCommit = 0;
  try {
    if (source.file) {
      // JSONL: builder threads decode whole chunks of lines; this thread only reads and hands over.
      const jobs = new Set<Promise<void>>();
      for await (const chunk of readLineChunks(source.file)) {
        bytes += chunk.bytes.length;
        const job = engine.addJsonl(chunk.bytes, source.file, chunk.firstLine).then((r) => {
          docs += r.docs;
          sinceCommit += r.docs;
          chars += r.chars;
          for (const e of r.errors) onError(e);
          progress();
        });
        jobs.add(job);
        void job.finally(() => jobs.delete(job)).catch(() => {});
        await engine.settle();
        if (sinceCommit >= flags.commitEvery) {
          await Promise.all(jobs);
          sinceCommit = 0;
          await commit();
        }
      }
      await Promise.all(jobs);
    } else {
      for await (const doc of source.docs(onError, engine)) {
        try {
          engine.add(doc);
        } catch (e) {
          onError(new BadInputError(`${input}: document ${JSON.stringify(doc.id)}`, (e as Error).message));
          continue;
        }
        docs++;
        chars += doc.text.length + (doc.title?.length ?? 0);
        if (docs % 500 === 0) progress();
        if (docs % 64 === 0) await engine.settle();
        if (docs % flags.commitEvery === 0) await commit();
      }
    }
    await commit();
    source.afterCommit?.();
  } catch (e) {
    await engine.close({ commit: false });
    throw e;
  } finally {
    bar?.stop();
    for (const line of commitLines) err(line);
  }
  const secs = (performance.now() - started) / 1000;
  const stats = engine.stats();
  await engine.close({ commit: false });
  const summary = {
    input,
    index: flags.index,
    added: docs,
    failed: failures.length,
    failures: failures.slice(0, 100).map((f) => f.message),
    seconds: Number(secs.toFixed(2)),
    mbPerSecond: Number((chars / 1e6 / secs).toFixed(2)),
    docsPerSecond: Math.round(docs / secs),
    ...(source.files ? { files: source.files } : {}),
    indexDocs: stats.docs,
    segments: stats.segments,
    diskBytes: stats.diskBytes,
  };
  if (flags.json) json(summary);
  else {
    out(
      `indexed ${docs} documents (${(chars / 1e6).toFixed(1)} MB of text) in ${secs.toFixed(1)} s: ` +
        `${summary.mbPerSecond} MB/s, ${summary.docsPerSecond} docs/s`,
    );
    out(
      `index ${flags.index}: ${stats.docs} documents, ${stats.segments} segments, ${formatBytes(stats.diskBytes)} on disk`,
    );
    if (source.files) {
      const f = source.files;
      out(
        `${f.seen} files: ${f.seen - f.unchanged} read, ${f.unchanged} unchanged, ${f.removed} removed (gone since the last run)`,
      );
    }
    if (failures.length) out(`${failures.length} inputs failed (see messages above)`);
  }
  return failures.length > 0 ? EXIT.PARTIAL : EXIT.OK;
}

interface Source {
  bytes: number;
  /** A JSONL corpus file, read in chunks; else `docs` yields the documents. */
  file?: string;
  docs(onError: (e: BadInputError) => void, engine: Engine): AsyncIterable<DocumentInput>;
  /** Called once everything read is committed (a folder records what it indexed). */
  afterCommit?(): void;
  /** Folder runs: files seen, skipped as unchanged, and removed because they are gone. */
  files?: { seen: number; unchanged: number; removed: number };
}

/**
 * A folder's files as passages, kept in sync with the index: a file whose size and mtime match the
 * last run is not read again; an edited file's passages that are gone are deleted (unchanged
 * passages keep their ids); the passages of a file that no longer exists are deleted. What was
 * indexed is recorded beside the index once the run is committed (`ingest/sync-state`).
 */
function folderSource(root: string, indexDir: string): Source {
  const file = stateFile(indexDir, root);
  const previous = readSyncState(file, root);
  const next: SyncState = { root: path.resolve(root), files: {} };
  const files = { seen: 0, unchanged: 0, removed: 0 };
  async function* docs(onError: (e: BadInputError) => void, engine: Engine): AsyncGenerator<DocumentInput> {
    const existing = new Map<string, string[]>();
    for (const id of engine.ids()) {
      const f = fileOfId(id);
      const list = existing.get(f);
      if (list) list.push(id);
      else existing.set(f, [id]);
    }
    const present = new Set<string>();
    const skip = (f: string, st: FileState) => existing.has(f) && unchanged(previous?.files[f], st);
    for await (const got of readFolder(root, { onError, skip, onFile: (f) => present.add(f) })) {
      files.seen++;
      next.files[got.file] = got.state;
      if (got.skipped) {
        files.unchanged++;
        continue;
      }
      const keep = new Set(got.docs.map((d) => d.id));
      for (const old of existing.get(got.file) ?? []) if (!keep.has(old)) engine.delete(old);
      yield* got.docs;
    }
    for (const f of Object.keys(previous?.files ?? {})) {
      if (present.has(f)) continue;
      for (const old of existing.get(f) ?? []) engine.delete(old);
      files.removed++;
    }
  }
  return { bytes: 0, docs, files, afterCommit: () => writeSyncState(file, next) };
}

function openSource(input: string, indexDir: string): Source {
  if (!fs.existsSync(input)) throw new BadInputError(input, 'no such file or directory');
  const st = fs.statSync(input);
  if (st.isFile()) {
    return { bytes: st.size, file: input, docs: (onError) => iterateCorpus(input, { onError }) };
  }
  const corpus = path.join(input, 'corpus.jsonl');
  if (fs.existsSync(corpus)) {
    return {
      bytes: fs.statSync(corpus).size,
      file: corpus,
      docs: (onError) => iterateCorpus(corpus, { onError }),
    };
  }
  return folderSource(input, indexDir);
}
