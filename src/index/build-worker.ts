/**
 * @module index/build-worker
 * Worker-thread entry: builds a segment from a batch of documents (analysis, inversion, stored
 * columns) and sends its arrays back without copying (transferred). Used by bulk loads so that
 * indexing uses every core; see segment-builder.
 */

import { parentPort } from 'node:worker_threads';
import { type AnalyzerOptions, createAnalyzer } from '../analysis/index.js';
import type { DocumentInput } from '../types.js';
import { segmentArrays, toParts } from './segment-transfer.js';
import { SegmentWriter } from './segment-writer.js';

interface BuildRequest {
  id: number;
  analyzer: AnalyzerOptions;
  docs: DocumentInput[];
}

let writer: SegmentWriter | null = null;
let writerKey = '';

parentPort?.on('message', (req: BuildRequest) => {
  try {
    const key = JSON.stringify(req.analyzer);
    if (!writer || key !== writerKey) {
      writer = new SegmentWriter(createAnalyzer(req.analyzer));
      writerKey = key;
    }
    for (const doc of req.docs) writer.add(doc);
    const parts = toParts(writer.freeze());
    parentPort?.postMessage({ id: req.id, parts }, segmentArrays(parts));
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: (err as Error).stack ?? String(err) });
  }
});
