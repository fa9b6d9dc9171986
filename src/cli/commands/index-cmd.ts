/**
 * @module cli/commands/index-cmd
 * `funnel index <path> --index <dir>`: a corpus.jsonl file, a BEIR folder, or a folder of files
 * (`cli/folder-run`). Progress bar on a TTY, a line per commit, a summary; exit 3 if some inputs
 * failed.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { BadInputError } from '../../errors.js';
import { readLineChunks } from '../../ingest/lines.js';
import { type FolderFlags, indexFolder, parseSize } from '../folder-run.js';
import { IndexRun, indexFields, indexLine } from '../index-run.js';
import { EXIT, err, json, out, parseIntOption } from '../io.js';

type IndexFlags = FolderFlags;

/** The options `funnel index` and `funnel watch` share. */
export function indexOptions(command: Command): Command {
  return command
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
    .option('--hidden', 'folders: index hidden files and folders too (.git never)')
    .option('--max-file-size <size>', 'folders: skip larger files (bytes, or 512K, 256M, 2G)', parseSize);
}

export function register(program: Command): void {
  indexOptions(
    program
      .command('index <path>')
      .description(
        'index a corpus.jsonl file, a BEIR folder (with corpus.jsonl) or a folder of files (Markdown, HTML, PDF, mail, text, code), kept in sync',
      ),
  ).action(async (input: string, flags: IndexFlags) => {
    process.exitCode = await runIndex(input, flags);
  });
}

/** Indexes `input` (a JSONL file, a BEIR folder or a folder of files); returns the exit code. */
export async function runIndex(input: string, flags: IndexFlags): Promise<number> {
  const source = openSource(input);
  if (source === 'folder') return indexFolder(input, flags);
  const run = await IndexRun.open(
    flags,
    'indexing [{bar}] {percentage}% | {docs} docs | {mb} MB | {rate} MB/s',
  );
  const { engine, bar } = run;
  const failures: BadInputError[] = [];
  const onError = (e: BadInputError) => {
    failures.push(e);
    if (!flags.json) err(`skipped ${e.message}`);
  };
  let docs = 0;
  let chars = 0;
  const total = source.bytes || 1;
  bar?.start(total, 0, { docs: 0, mb: '0', rate: '0' });
  const progress = () =>
    bar?.update(Math.min(total, bytes), {
      docs,
      mb: (chars / 1e6).toFixed(1),
      rate: (chars / 1e6 / run.seconds).toFixed(1),
    });
  let bytes = 0;
  let sinceCommit = 0;
  const { secs, stats } = await run.finish(async () => {
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
        await run.commit(`${docs} docs`, false);
      }
    }
    await Promise.all(jobs);
    await run.commit(`${docs} docs`, true);
  });
  const summary = {
    input,
    index: flags.index,
    added: docs,
    failed: failures.length,
    failures: failures.slice(0, 100).map((f) => f.message),
    seconds: Number(secs.toFixed(2)),
    mbPerSecond: Number((chars / 1e6 / secs).toFixed(2)),
    docsPerSecond: Math.round(docs / secs),
    ...indexFields(stats),
  };
  if (flags.json) json(summary);
  else {
    out(
      `indexed ${docs} documents (${(chars / 1e6).toFixed(1)} MB of text) in ${secs.toFixed(1)} s: ` +
        `${summary.mbPerSecond} MB/s, ${summary.docsPerSecond} docs/s`,
    );
    out(indexLine(flags.index, stats, 'documents'));
    if (failures.length) out(`${failures.length} inputs failed (see messages above)`);
  }
  return failures.length > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** A JSONL corpus file (a BEIR folder's corpus.jsonl), read in chunks. */
interface Source {
  bytes: number;
  file: string;
}

function openSource(input: string): Source | 'folder' {
  if (!fs.existsSync(input)) throw new BadInputError(input, 'no such file or directory');
  const st = fs.statSync(input);
  if (st.isFile()) return { bytes: st.size, file: input };
  const corpus = path.join(input, 'corpus.jsonl');
  if (fs.existsSync(corpus)) return { bytes: fs.statSync(corpus).size, file: corpus };
  return 'folder';
}
