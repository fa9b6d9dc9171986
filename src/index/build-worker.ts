/**
 * @module index/build-worker
 * Worker-thread entry: builds a bulk-load chunk (documents, JSONL bytes it decodes itself, or files
 * it reads, parses and cuts into passages itself) into
 * one segment per shard and sends their arrays back without copying (transferred). Used by bulk
 * loads so that indexing uses every core; see segment-builder and chunk-build.
 */

import { parentPort } from 'node:worker_threads';
import { type AnalyzerOptions, createAnalyzer } from '../analysis/index.js';
import { buildAnyChunk, type ChunkInput, type SpillTarget } from './chunk-build.js';
import { segmentArrays, toParts } from './segment-transfer.js';
import { SegmentWriter } from './segment-writer.js';

interface BuildRequest {
  id: number;
  analyzer: AnalyzerOptions;
  shards: number;
  input: ChunkInput;
  spill: SpillTarget | null;
}

let writers: SegmentWriter[] = [];
let writersKey = '';

// One request at a time: the pool sends the next only after this one's reply.
parentPort?.on('message', async (req: BuildRequest) => {
  try {
    const key = `${req.shards} ${JSON.stringify(req.analyzer)}`;
    if (key !== writersKey) {
      const analyzer = createAnalyzer(req.analyzer);
      writers = Array.from({ length: req.shards }, () => new SegmentWriter(analyzer));
      writersKey = key;
    }
    const built = await buildAnyChunk(req.input, writers, req.spill);
    // Text written to a file is read from there: it need not travel back.
    const segments = built.segments.map((s) => (s ? toParts(s, { withoutTexts: Boolean(req.spill) }) : null));
    const transfer = segments.flatMap((p) => (p ? segmentArrays(p) : []));
    // The chunk's bytes are decoded: their memory goes back to the reader's pool.
    const spare = req.input.kind === 'jsonl' ? (req.input.bytes.buffer as ArrayBuffer) : undefined;
    if (spare && !transfer.includes(spare)) transfer.push(spare);
    parentPort?.postMessage({ id: req.id, built: { ...built, segments }, spare }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: (err as Error).stack ?? String(err) });
  }
});
