import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { FolderSync } from './sync.js';
import { FolderWatcher, type WatchUpdate } from './watch.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Polls until `check` is true (generous: the machine is shared; no timing is asserted). */
async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('FolderWatcher', () => {
  it('makes an added, edited, renamed or deleted file searchable, committed for other readers', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-watch-'));
    const idx = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-watch-idx-')), 'idx');
    fs.writeFileSync(path.join(root, 'first.txt'), 'The moose wanders.\n');
    fs.mkdirSync(path.join(root, 'build'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
    const engine = await Engine.open(idx, { shards: 1 });
    cleanup.push(() => engine.close());
    const sync = FolderSync.forIndex(engine, root, idx);
    await sync.syncAll();
    await engine.commit();
    sync.save();
    const updates: WatchUpdate[] = [];
    const errors: Error[] = [];
    const watcher = await FolderWatcher.start(sync, {
      commit: () => engine.commit(),
      onUpdate: (u) => updates.push(u),
      onError: (e) => errors.push(e),
    });
    cleanup.push(() => watcher.close());
    const found = (q: string) => engine.search(q).hits.map((h) => h.id.split('#')[0]);
    // A reader in another process sees what is committed: a fresh read-only open.
    const committed = async (q: string) => {
      const reader = await Engine.open(idx, { readOnly: true });
      try {
        return reader.search(q).hits.map((h) => h.id.split('#')[0]);
      } finally {
        await reader.close();
      }
    };

    fs.writeFileSync(path.join(root, 'notes.md'), '# Birds\n\nThe albatross glides.\n');
    await until(() => found('albatross').length > 0, 'an added file');
    await watcher.idle();
    expect(await committed('albatross')).toEqual(['notes.md']);

    fs.writeFileSync(path.join(root, 'notes.md'), '# Birds\n\nThe condor soars.\n');
    await until(() => found('condor').length > 0, 'an edit');
    expect(found('albatross')).toEqual([]);

    fs.renameSync(path.join(root, 'notes.md'), path.join(root, 'birds.md'));
    await until(() => found('condor').join() === 'birds.md', 'a rename');

    fs.rmSync(path.join(root, 'first.txt'));
    await until(() => found('moose').length === 0, 'a delete');

    // A new folder, and a file the rules ignore.
    fs.writeFileSync(path.join(root, 'build', 'out.txt'), 'The wombat digs.\n');
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'sub', 'deep.txt'), 'The narwhal dives.\n');
    await until(() => found('narwhal').length > 0, 'a file in a new folder');
    await watcher.idle();
    expect(found('wombat')).toEqual([]);
    expect(await committed('narwhal')).toEqual(['sub/deep.txt']);
    expect(errors).toEqual([]);
    expect(updates.length).toBeGreaterThan(0);
  });
});
