/**
 * @module cli/commands/admin-cmds
 * `funnel stats`, `funnel delete <id...>`, `funnel merge`, `funnel get <id>`: index housekeeping.
 */

import type { Command } from 'commander';
import { Engine } from '../../engine.js';
import { EXIT, formatBytes, json, out } from '../io.js';

export function register(program: Command): void {
  program
    .command('stats')
    .description('documents, shards, segments, memory and disk use of an index')
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('--json', 'print JSON')
    .action(async (flags: { index: string; json?: boolean }) => {
      const engine = await Engine.open(flags.index, { readOnly: true });
      const s = engine.stats();
      const load = engine.openReport;
      await engine.close();
      if (flags.json) return json({ ...s, open: load });
      out(`index       ${s.dir}`);
      out(`documents   ${s.docs} (${s.deletedDocs} deleted, not yet merged away)`);
      out(
        `shards      ${s.shards.length}: ${s.shards.map((x) => `${x.docs} docs/${x.segments} seg`).join(', ')}`,
      );
      out(`segments    ${s.segments}`);
      const m = s.memory;
      out(
        `memory      ${formatBytes(s.memoryBytes)}: postings ${formatBytes(m.postings)}, positions ${formatBytes(m.positions)}, ` +
          `terms ${formatBytes(m.terms)}, norms ${formatBytes(m.norms)}, stored ${formatBytes(m.stored)}, deletes ${formatBytes(m.deletes)}`,
      );
      out(`disk        ${formatBytes(s.diskBytes)}`);
      out(`analyzer    ${JSON.stringify(s.settings.analyzer)}`);
      out(`bm25        k1=${s.bm25.k1} b=${s.bm25.b} weights=${JSON.stringify(s.bm25.fieldWeights)}`);
      const mbps = load.loadMs > 0 ? load.loadedBytes / 1e6 / (load.loadMs / 1000) : 0;
      out(
        `loaded      ${formatBytes(load.loadedBytes)} in ${load.loadMs.toFixed(0)} ms (${mbps.toFixed(0)} MB/s)`,
      );
      if (load.droppedWalBytes) out(`wal         dropped a torn tail of ${load.droppedWalBytes} bytes`);
    });

  program
    .command('delete <ids...>')
    .description('delete documents by id (durable when the command returns)')
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('--json', 'print JSON')
    .action(async (ids: string[], flags: { index: string; json?: boolean }) => {
      const engine = await Engine.open(flags.index);
      const deleted = ids.filter((id) => engine.delete(id));
      await engine.commit();
      await engine.close();
      const missing = ids.filter((id) => !deleted.includes(id));
      if (flags.json) json({ deleted, missing });
      else {
        out(`deleted ${deleted.length} of ${ids.length}`);
        for (const id of missing) out(`not found: ${id}`);
      }
      if (missing.length) process.exitCode = EXIT.PARTIAL;
    });

  program
    .command('merge')
    .description('merge each shard into one segment and drop deleted documents')
    .requiredOption('-i, --index <dir>', 'index directory')
    .option('--json', 'print JSON')
    .action(async (flags: { index: string; json?: boolean }) => {
      const engine = await Engine.open(flags.index);
      const r = await engine.merge();
      const s = engine.stats();
      await engine.close();
      if (flags.json) json({ ...r, segments: s.segments, docs: s.docs });
      else out(`merged into ${s.segments} segments (${s.docs} documents) in ${r.ms.toFixed(0)} ms`);
    });

  program
    .command('get <id>')
    .description('print a stored document')
    .requiredOption('-i, --index <dir>', 'index directory')
    .action(async (id: string, flags: { index: string }) => {
      const engine = await Engine.open(flags.index, { readOnly: true });
      const doc = engine.get(id);
      await engine.close();
      if (!doc) {
        out(`not found: ${id}`);
        process.exitCode = EXIT.PARTIAL;
      } else json(doc);
    });
}
