import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { fileOfId } from './folder.js';
import { FolderSync } from './sync.js';
import { makePdf } from './testing/make-pdf.js';
import { tempDir as makeTempDir, write, writeDamaged } from './testing/tree.js';

const open: Engine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

const tempDir = () => makeTempDir('funnel-sync-');

async function engineFor(dir: string): Promise<Engine> {
  const e = await Engine.open(dir, { shards: 1 });
  open.push(e);
  return e;
}

const find = (e: Engine, q: string) => e.search(q).hits.map((h) => fileOfId(h.id));
const reasons = (issues: { path: string; reason: string }[], root: string) =>
  Object.fromEntries(issues.map((i) => [path.relative(root, i.path), i.reason]));

describe('FolderSync on a tree of damaged files', () => {
  it('reports each bad file with its path and reason, indexes the rest, loses nothing indexed', async () => {
    const root = tempDir();
    const idx = path.join(tempDir(), 'idx');
    write(root, 'good.md', '# Rivers\n\nThe otter swims in the river.\n');
    write(root, 'grows.txt', 'The heron waits by the pond.\n');
    write(root, 'vanishes.txt', 'The kingfisher dives.\n');
    const engine = await engineFor(idx);
    let damaged = false;
    const sync = new FolderSync(engine, root, null, {
      // On the second run a file disappears after the walk listed it, before it is read.
      beforeFile: (rel) => {
        if (damaged && rel === 'broken.pdf') fs.rmSync(path.join(root, 'vanishes.txt'));
      },
    });
    const first = await sync.syncAll();
    expect(first.indexed).toBe(3);
    expect(find(engine, 'heron')).toEqual(['grows.txt']);

    // Now damage the tree.
    const big = path.join(root, 'grows.txt');
    fs.truncateSync(big, 2 * 1024 ** 3); // 2 GB, sparse: no disk used, must never be read
    writeDamaged(root);
    const outside = tempDir();
    write(outside, 'secret.txt', 'the password is swordfish');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'escape.txt'));
    write(root, 'ok.html', '<title>Bees</title><p>The bumblebee hums.</p>');
    write(root, 'pdf/good.pdf', makePdf({ pages: [['The lynx hunts at night.']] }));

    const rss = process.memoryUsage().rss;
    damaged = true;
    const r = await sync.syncAll();
    expect(process.memoryUsage().rss - rss).toBeLessThan(512 * 1024 ** 2);
    const skipped = reasons(r.skipped, root);
    const failed = reasons(r.failed, root);
    expect(skipped['grows.txt']).toBe(
      'too large: 2147483648 bytes, the limit is 268435456 (--max-file-size)',
    );
    expect(skipped['photo.txt']).toBe('binary content: NUL bytes');
    expect(skipped['escape.txt']).toBe(
      `symlink escapes the root (to ${fs.realpathSync(path.join(outside, 'secret.txt'))})`,
    );
    expect(failed['vanishes.txt']).toBe('vanished during the run (no such file)');
    expect(failed['broken.pdf']).toMatch(/PDF/);
    expect(failed['bad.eml']).toMatch(/^malformed mail/);
    expect(reasons(r.warnings, root)).toEqual({
      'mixed.txt': 'invalid UTF-8: 2 bad byte sequences replaced by U+FFFD',
    });
    // Everything else is indexed.
    expect(find(engine, 'beaver')).toEqual(['mixed.txt']);
    expect(find(engine, 'walrus')).toEqual(['latin1.txt']);
    expect(engine.search('walrus').hits[0].meta?.encoding).toBe('windows-1252');
    expect(find(engine, 'bumblebee')).toEqual(['ok.html']);
    expect(find(engine, 'lynx')).toEqual(['pdf/good.pdf']);
    expect(find(engine, 'swordfish')).toEqual([]);
    // Nothing already indexed is lost: the file now too large keeps its passages, and so does
    // the one that vanished mid-run (the next run, which no longer sees it, removes them).
    expect(find(engine, 'heron')).toEqual(['grows.txt']);
    expect(find(engine, 'kingfisher')).toEqual(['vanishes.txt']);
    expect(find(engine, 'otter')).toEqual(['good.md']);
    expect(r.unchanged).toBe(1); // good.md, not read again
    damaged = false;
    const again = await sync.syncAll();
    expect(again.removed).toBe(1);
    expect(find(engine, 'kingfisher')).toEqual([]);
    expect(find(engine, 'heron')).toEqual(['grows.txt']);
  }, 120_000);
});

describe('FolderSync and unreadable files', () => {
  // As root (CI, containers), chmod 000 does not stop reads: the case cannot be built there.
  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot)(
    'reports an unreadable file and keeps its passages (skipped when running as root)',
    async () => {
      const root = tempDir();
      const engine = await engineFor(path.join(tempDir(), 'idx'));
      write(root, 'locked.txt', 'The badger sleeps.\n');
      const sync = new FolderSync(engine, root, null);
      await sync.syncAll();
      write(root, 'locked.txt', 'The badger wakes up.\n');
      fs.chmodSync(path.join(root, 'locked.txt'), 0o000);
      const r = await sync.syncAll();
      expect(reasons(r.failed, root)).toEqual({ 'locked.txt': 'unreadable: permission denied' });
      expect(find(engine, 'badger')).toEqual(['locked.txt']);
    },
  );
});

describe('FolderSync keeping in sync', () => {
  it('reads a file whose mtime changed, and a same content hash leaves it unchanged', async () => {
    const root = tempDir();
    const idx = path.join(tempDir(), 'idx');
    write(root, 'a.txt', 'The walrus naps on the ice.\n');
    write(root, 'b.txt', 'The puffin fishes.\n');
    let engine = await engineFor(idx);
    let sync = FolderSync.forIndex(engine, root, idx);
    expect((await sync.syncAll()).indexed).toBe(2);
    await engine.commit();
    sync.save();
    const ids = engine.ids().sort();
    // Touch a.txt: new mtime, same bytes.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'a.txt'), later, later);
    await engine.close();
    open.pop();
    engine = await engineFor(idx);
    sync = FolderSync.forIndex(engine, root, idx);
    const r = await sync.syncAll();
    expect(r).toMatchObject({ indexed: 0, unchanged: 2, touched: 1, passages: 0 });
    expect(engine.ids().sort()).toEqual(ids);
    await engine.commit();
    sync.save();
    // The new mtime was recorded: the next run does not even read it.
    const sync2 = FolderSync.forIndex(engine, root, idx);
    expect(await sync2.syncAll()).toMatchObject({ indexed: 0, unchanged: 2, touched: 0 });
    // An edit with the same size is caught by the hash.
    write(root, 'b.txt', 'The pelican fishes.\n'.slice(0, 19).padEnd(19, '!'));
    fs.utimesSync(path.join(root, 'b.txt'), later, later);
    const r3 = await sync2.syncAll();
    expect(r3).toMatchObject({ indexed: 1, unchanged: 1 });
    expect(find(engine, 'pelican')).toEqual(['b.txt']);
    expect(find(engine, 'puffin')).toEqual([]);
  });

  it('syncs named paths: add, edit, delete, and a now-ignored file', async () => {
    const root = tempDir();
    const engine = await engineFor(path.join(tempDir(), 'idx'));
    write(root, 'a.txt', 'The marmot whistles.\n');
    const sync = new FolderSync(engine, root, null);
    await sync.syncAll();
    write(root, 'new.md', '# Owls\n\nThe owl hoots.\n');
    write(root, 'a.txt', 'The lemming runs.\n');
    let r = await sync.syncPaths(['new.md', path.join(root, 'a.txt')]);
    expect(r).toMatchObject({ indexed: 2 });
    expect(find(engine, 'owl')).toEqual(['new.md']);
    expect(find(engine, 'marmot')).toEqual([]);
    fs.renameSync(path.join(root, 'new.md'), path.join(root, 'moved.md'));
    r = await sync.syncPaths(['new.md', 'moved.md']);
    expect(r).toMatchObject({ indexed: 1, removed: 1 });
    expect(find(engine, 'owl')).toEqual(['moved.md']);
    write(root, '.funnelignore', 'moved.md\n');
    sync.rules.clear();
    r = await sync.syncAll();
    expect(r.removed).toBe(1);
    expect(find(engine, 'owl')).toEqual([]);
  });

  it('gives passages of text, code and Markdown their line numbers', async () => {
    const root = tempDir();
    const engine = await engineFor(path.join(tempDir(), 'idx'));
    const para = (word: string) => `${`${word} `.repeat(150).trim()}.`;
    write(
      root,
      'notes.md',
      `---\ntitle: Notes\n---\n# One\n\n${para('alpha')}\n\n# Two\n\n${para('bravo')}\n`,
    );
    write(root, 'main.py', `import os\n\n\ndef f():\n    return "charlie"\n`);
    await new FolderSync(engine, root, null).syncAll();
    const meta = (q: string) => engine.search(q).hits[0].meta ?? {};
    expect(meta('alpha')).toMatchObject({ path: 'notes.md', line: 4, 'line-end': 6 });
    expect(meta('bravo')).toMatchObject({ line: 8, 'line-end': 10 });
    expect(meta('charlie')).toMatchObject({ path: 'main.py', line: 1, 'line-end': 5 });
  });
});

describe('fileOfId', () => {
  it('finds the file of a passage id even when the path holds a #', () => {
    expect(fileOfId('notes/a.txt#0123456789ab')).toBe('notes/a.txt');
    expect(fileOfId('notes/C#/b.md#0123456789ab~2')).toBe('notes/C#/b.md');
    expect(fileOfId('mail/box.mbox#m3#abcdefabcdef')).toBe('mail/box.mbox');
    expect(fileOfId('mail/box.mbox#m3')).toBe('mail/box.mbox');
    expect(fileOfId('plain-id')).toBe('plain-id');
  });

  it('deletes the passages of an edited or removed file whose path holds a #', async () => {
    const root = tempDir();
    const engine = await engineFor(path.join(tempDir(), 'idx'));
    write(root, 'C#/notes.txt', 'The ocelot prowls.\n');
    const sync = new FolderSync(engine, root, null);
    await sync.syncAll();
    expect(find(engine, 'ocelot')).toEqual(['C#/notes.txt']);
    write(root, 'C#/notes.txt', 'The lynx prowls.\n');
    await sync.syncAll();
    expect(find(engine, 'ocelot')).toEqual([]);
    expect(find(engine, 'lynx')).toEqual(['C#/notes.txt']);
    fs.rmSync(path.join(root, 'C#/notes.txt'));
    await sync.syncAll();
    expect(find(engine, 'lynx')).toEqual([]);
  });
});
