import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { tempDir } from './helpers.js';

/**
 * An index written by format version 1 (segments + deletes + a WAL with uncommitted-to-segment
 * operations) must keep opening: a format change that breaks it needs a new version and a reader
 * for the old one.
 */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'index-v1');

describe('format version 1 fixture', () => {
  it('opens, replays its WAL and searches', async () => {
    const copy = path.join(tempDir(), 'index');
    fs.cpSync(FIXTURE, copy, { recursive: true });
    const e = await Engine.open(copy, { readOnly: true });
    expect(e.stats().docs).toBe(3);
    expect(e.openReport.replayedOps).toBe(2);
    expect(e.search('danube').hits.map((h) => h.id)).toEqual(['a']);
    expect(e.search('mountains').total).toBe(0);
    expect(e.search('长江').hits.map((h) => h.id)).toEqual(['c']);
    expect(e.search('write-ahead').hits.map((h) => h.id)).toEqual(['d']);
    expect(e.search('river year:2001').hits.map((h) => h.id)).toEqual(['a']);
    expect(e.get('a')?.meta).toEqual({ year: 2001, lang: 'en' });
    await e.close();
  });
});
