import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  asFloat32,
  asInt8,
  asUint32,
  decodeResource,
  encodeResource,
  readFileAligned,
  writeFileAtomic,
} from './resource-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-resource-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sample(): Uint8Array {
  return encodeResource('FNLTEST', 3, [
    Uint32Array.of(1, 2, 0xffffffff),
    Int8Array.of(-128, 0, 127),
    Float32Array.of(0.5, -1.25),
    new Uint8Array(0),
  ]);
}

describe('resource file', () => {
  it('round-trips sections as aligned typed views', () => {
    const sections = decodeResource(sample(), 'FNLTEST', 3)!;
    expect(sections).toHaveLength(4);
    expect([...asUint32(sections[0])]).toEqual([1, 2, 0xffffffff]);
    expect([...asInt8(sections[1])]).toEqual([-128, 0, 127]);
    expect([...asFloat32(sections[2])]).toEqual([0.5, -1.25]);
    expect(sections[3].length).toBe(0);
    for (const s of sections) expect(s.byteOffset % 8).toBe(0);
  });

  it('rejects another magic or version', () => {
    expect(decodeResource(sample(), 'FNLOTHER', 3)).toBeUndefined();
    expect(decodeResource(sample(), 'FNLTEST', 4)).toBeUndefined();
  });

  it('detects any flipped byte and any truncation', () => {
    const good = sample();
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = good.slice();
        bad[at] ^= xor;
        expect(decodeResource(bad, 'FNLTEST', 3)).toBeUndefined();
      }),
    );
    for (let n = 0; n < good.length; n++) {
      expect(decodeResource(good.subarray(0, n), 'FNLTEST', 3)).toBeUndefined();
    }
  });

  it('writes atomically, leaving no temp file, and reads back into an aligned buffer', async () => {
    const file = path.join(dir, 'sub', 'a.bin');
    await writeFileAtomic(file, sample());
    await writeFileAtomic(file, sample());
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.bin']);
    const bytes = (await readFileAligned(file))!;
    expect(bytes.byteOffset % 8).toBe(0);
    expect(decodeResource(bytes, 'FNLTEST', 3)).toBeDefined();
    expect(await readFileAligned(path.join(dir, 'missing.bin'))).toBeUndefined();
  });
});
