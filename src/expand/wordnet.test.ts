import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadWordNet } from './wordnet.js';

const LICENSE = '  1 This software and database is being provided to you, the LICENSEE, by\n';

/** A tiny WordNet in the real file format (offsets need only match between files). */
const DICT: Record<string, string> = {
  'data.noun': `${LICENSE}00001000 06 n 03 car 0 auto 0 automobile 0 000 | a motor vehicle
00002000 06 n 02 car 1 railcar 0 000 | a wheeled vehicle
00003000 06 n 02 mouse 0 computer_mouse 0 000 | a hand-operated device
00004000 05 n 01 mouse 1 000 | a small rodent
00005000 04 n 02 run 0 tally 0 000 | a score in baseball
`,
  'data.verb': `${LICENSE}00006000 38 v 02 run 0 scarper 0 001 @ 00006000 v 0000 | move fast
00007000 38 v 02 run 1 Operate 0 000 | direct
`,
  'data.adj': `${LICENSE}00008000 00 s 02 big 0 large(a) 0 000 | above average in size
`,
  'data.adv': LICENSE,
  'index.noun': `${LICENSE}car n 2 0 2 1 00001000 00002000  
mouse n 2 0 2 0 00003000 00004000  
run n 1 1 @ 1 1 00005000  
auto n 1 0 1 0 00001000  
`,
  'index.verb': `${LICENSE}run v 2 1 @ 2 1 00006000 00007000  
`,
  'index.adj': `${LICENSE}big a 1 0 1 0 00008000  
`,
  'index.adv': LICENSE,
  'index.sense': `auto%1:06:00:: 00001000 1 0
car%1:06:00:: 00001000 1 71
car%1:06:01:: 00002000 2 2
run%1:04:00:: 00005000 1 5
run%2:38:00:: 00006000 1 30
run%2:38:01:: 00007000 2 0
`,
  'noun.exc': 'mice mouse\n',
  'verb.exc': 'ran run\n',
};

let root: string;
let dictDir: string;
const savedCache = process.env.FUNNEL_CACHE;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-wordnet-'));
  dictDir = path.join(root, 'dict');
  fs.mkdirSync(dictDir);
  for (const [name, text] of Object.entries(DICT)) fs.writeFileSync(path.join(dictDir, name), text);
  process.env.FUNNEL_CACHE = path.join(root, 'cache');
});
afterEach(() => {
  process.env.FUNNEL_CACHE = path.join(root, 'cache');
});
afterAll(() => {
  if (savedCache === undefined) delete process.env.FUNNEL_CACHE;
  else process.env.FUNNEL_CACHE = savedCache;
  fs.rmSync(root, { recursive: true, force: true });
});

describe('WordNet from a small dictionary', () => {
  it('builds the cache in $FUNNEL_CACHE once, keyed by version, then reads it', async () => {
    const first = await loadWordNet({ dictDir, sourceVersion: '9.9' });
    expect(first.report?.built).toBe(true);
    expect(first.report?.file).toBe(path.join(root, 'cache', 'wordnet-9.9.f1.bin'));
    const second = await loadWordNet({ dictDir, sourceVersion: '9.9' });
    expect(second.report?.built).toBe(false);
    expect(second.synonyms('car')).toEqual(first.synonyms('car'));
    expect(second.lemmaCount).toBe(first.lemmaCount);
  });

  it('gives synonyms across parts of speech, most tagged sense first, multiword with spaces', async () => {
    const wn = await loadWordNet({ dictDir, sourceVersion: '9.9' });
    expect(wn.synonyms('car')).toEqual(['auto', 'automobile', 'railcar']);
    expect(wn.synonyms('run')).toEqual(['scarper', 'tally', 'operate']);
    expect(wn.synonyms('Computer_Mouse')).toEqual(['mouse']);
    expect(wn.synonyms('big')).toEqual(['large']);
    expect(wn.partsOfSpeech('run')).toEqual(['noun', 'verb']);
    expect(wn.has('computer mouse')).toBe(true);
  });

  it('finds base forms from the exception lists and the rules', async () => {
    const wn = await loadWordNet({ dictDir, sourceVersion: '9.9' });
    expect(wn.baseForms('mice')).toEqual(['mouse']);
    expect(wn.baseForms('ran')).toEqual(['run']);
    expect(wn.baseForms('cars')).toEqual(['car']);
    expect(wn.baseForms('running')).toEqual(['run']);
    expect(wn.baseForms('car')).toEqual(['car']);
    expect(wn.synonyms('mice')).toEqual(['computer mouse']);
    expect(wn.synonyms('runs')).toEqual(['scarper', 'tally', 'operate']);
  });

  it('still loads when the cache folder cannot be written', async () => {
    const blocker = path.join(root, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const wn = await loadWordNet({ dictDir, cacheDir: path.join(blocker, 'cache'), sourceVersion: '9.9' });
    expect(wn.report?.writeError).toBeDefined();
    expect(wn.synonyms('car')).toEqual(['auto', 'automobile', 'railcar']);
  });

  it('returns nothing for unknown words', async () => {
    const wn = await loadWordNet({ dictDir, sourceVersion: '9.9' });
    for (const w of ['xyzzy', '', ' ', 'cars and']) {
      expect(wn.synonyms(w)).toEqual([]);
      expect(wn.baseForms(w)).toEqual([]);
      expect(wn.has(w)).toBe(false);
    }
  });

  it('rebuilds a torn or corrupted cache file', async () => {
    const cacheDir = path.join(root, 'corrupt');
    const { report } = await loadWordNet({ dictDir, cacheDir, sourceVersion: '1' });
    const file = report!.file;
    const good = fs.readFileSync(file);

    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] ^= 0x40;
    fs.writeFileSync(file, flipped);
    const afterFlip = await loadWordNet({ dictDir, cacheDir, sourceVersion: '1' });
    expect(afterFlip.report?.built).toBe(true);
    expect(afterFlip.synonyms('car')).toEqual(['auto', 'automobile', 'railcar']);
    expect(fs.readFileSync(file).equals(good)).toBe(true);

    fs.writeFileSync(file, good.subarray(0, 100));
    expect((await loadWordNet({ dictDir, cacheDir, sourceVersion: '1' })).report?.built).toBe(true);
    expect((await loadWordNet({ dictDir, cacheDir, sourceVersion: '1' })).report?.built).toBe(false);
  });
});
