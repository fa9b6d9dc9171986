// Funnel (this repository), through its library API in dist/lib.js (run `npm run build` first).
// Default: Engine.open(dir) and add() per document (searchable at once). With --funnel-bulk the
// load uses bulk mode (worker threads, settle() between batches, refresh() at the end), then the
// index is reopened in normal mode for queries and freshness.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diskBytes, main } from '../lib/common.mjs';

// FUNNEL_LIB overrides the library path (e.g. to test the adapter against another build).
const lib = process.env.FUNNEL_LIB
  ? pathToFileURL(path.resolve(process.env.FUNNEL_LIB))
  : new URL('../../dist/lib.js', import.meta.url);

main(async (job) => {
  if (!fs.existsSync(lib)) throw new Error('dist/lib.js not found: run `npm run build`');
  const { Engine } = await import(lib.href);
  if (typeof Engine?.open !== 'function') throw new Error('dist/lib.js does not export Engine.open');
  const opts = job.shards ? { shards: job.shards } : {};
  const bulk = Boolean(job.funnelBulk);
  const searchOpts = { stored: false };
  let engine;
  let dir;
  return {
    name: 'funnel',
    version: JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    config:
      `Engine.open(dir, ${JSON.stringify(bulk ? { ...opts, bulk: true } : opts)}); ` +
      (bulk
        ? 'bulk load of the corpus file (addJsonl chunks; index time = wall clock incl. reading and JSON parsing), then reopened without bulk; '
        : 'add() per document; ') +
      'index time includes commit() (durable, text moved to segment files); ' +
      `merge() after load (timed separately); search(q, { k, stored: false }) (ids only, like the peers); ` +
      'reload = commit() + close(), then Engine.open() + first query',
    async open(d) {
      dir = path.join(d, 'index');
      engine = await Engine.open(dir, bulk ? { ...opts, bulk: true } : opts);
    },
    add(doc) {
      engine.add(doc);
    },
    // Bulk: the corpus file goes through addJsonl in chunks, as `funnel index corpus.jsonl` does
    // (builder threads decode the JSON; wall clock from the first byte read).
    indexFile: bulk
      ? async (file) => {
          const { readLineChunks } = await import(new URL('ingest/lines.js', lib).href);
          let docs = 0;
          const jobs = [];
          for await (const chunk of readLineChunks(file)) {
            jobs.push(engine.addJsonl(chunk.bytes, file, chunk.firstLine).then((r) => (docs += r.docs)));
            await engine.settle();
          }
          await Promise.all(jobs);
          return docs;
        }
      : undefined,
    endBatch: bulk ? () => engine.settle() : undefined,
    async endIndex() {
      // Like SQLite's COMMIT and Xapian's commit(), which their index times include: after it the
      // index is durable and document text lives in the segment files, as in steady state.
      await engine.commit();
    },
    async optimize() {
      if (typeof engine.merge === 'function') await engine.merge();
      if (bulk) {
        // queries and freshness run in normal mode, as an application would after a bulk load
        await engine.close();
        engine = await Engine.open(dir, opts);
      }
    },
    search(q, k) {
      const r = engine.search(q, { k, ...searchOpts });
      return { ids: r.hits.map((h) => h.id), total: r.total };
    },
    stats() {
      const s = engine.stats();
      return {
        docs: s.docs,
        segments: s.segments,
        shards: s.shards?.length,
        memoryBytes: s.memoryBytes,
        diskBytes: s.diskBytes,
      };
    },
    async persist() {
      await engine.commit();
      await engine.close();
      engine = null;
      return diskBytes(dir);
    },
    async reload() {
      engine = await Engine.open(dir, opts);
      return engine.openReport ? { openReport: engine.openReport } : undefined;
    },
    async close() {
      await engine?.close();
    },
  };
});
