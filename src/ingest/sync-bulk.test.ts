import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { fileOfId } from './folder.js';
import { FolderSync, type SyncReport, type SyncTarget } from './sync.js';
import { makePdf } from './testing/make-pdf.js';
import { tempDir as makeTempDir, write, writeDamaged } from './testing/tree.js';

// A bulk Engine reads, parses and cuts files in its builder (`Engine.addFile`): from TypeScript
// sources the builder runs in this thread, through the same chunk code as a worker thread (the
// CLI tests run the built worker threads).

const open: Engine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

const tempDir = () => makeTempDir('funnel-sync-bulk-');

async function engine(dir: string, bulk: boolean): Promise<Engine> {
  const e = await Engine.open(dir, { shards: 2, bulk });
  open.push(e);
  return e;
}

/** A target that reads files in the sync itself (no `addFile`), as before builder threads. */
function fileByFile(e: Engine): SyncTarget {
  return { ids: () => e.ids(), add: (d) => e.add(d), delete: (id) => e.delete(id) };
}

function documents(e: Engine) {
  return e
    .ids()
    .sort()
    .map((id) => e.get(id));
}

const byPath = (issues: { path: string; reason: string }[]) =>
  issues.map((i) => `${path.basename(i.path)}: ${i.reason}`).sort();

function summary(r: SyncReport) {
  return {
    ...r,
    skipped: byPath(r.skipped),
    failed: byPath(r.failed),
    warnings: byPath(r.warnings),
  };
}

function mixedTree(root: string): void {
  write(
    root,
    'guide.md',
    '# Guide\n\n## Boats\n\nThe kayak is red.\n\n## Trains\n\nThe night train leaves.\n',
  );
  write(root, 'page.html', '<title>Harbour</title><h1>Harbour</h1><p>Ferries dock at the pier.</p>');
  write(
    root,
    'mail/cur/1700000000.M1P1.host:2,S',
    'From: Ann <ann@example.org>\r\nTo: bob@example.org\r\nSubject: Picnic\r\nDate: Tue, 1 Aug 2023 10:00:00 +0000\r\nMessage-ID: <p1@example.org>\r\n\r\nBring the watermelon.\r\n',
  );
  write(
    root,
    'list.mbox',
    'From ann@example.org Tue Aug  1 10:00:00 2023\nFrom: Ann <ann@example.org>\nSubject: Otters\nDate: Tue, 1 Aug 2023 10:00:00 +0000\nMessage-ID: <m1@example.org>\n\nOtters hold hands.\n\n' +
      'From bob@example.org Tue Aug  1 11:00:00 2023\nnot a header at all\n\nbody\n',
  );
  write(root, 'pdf/good.pdf', makePdf({ pages: [['The lynx hunts at night.'], ['Page two: the owl.']] }));
  writeDamaged(root);
  const long = Array.from(
    { length: 60 },
    (_, i) => `Paragraph ${i} about the heron and the pond, number ${i}.`,
  );
  write(root, 'notes/long.txt', long.join('\n\n'));
  write(root, 'notes/empty.txt', '');
}

describe('FolderSync into a bulk Engine (files read in the builder)', () => {
  it('builds the same documents and report as reading file by file', async () => {
    const root = tempDir();
    mixedTree(root);
    const plain = await engine(path.join(tempDir(), 'a'), false);
    const bulk = await engine(path.join(tempDir(), 'b'), true);
    const ra = await new FolderSync(fileByFile(plain), root, null).syncAll();
    const rb = await new FolderSync(bulk, root, null).syncAll();
    await bulk.commit();
    expect(summary(rb)).toEqual(summary(ra));
    expect(rb.failed.length).toBeGreaterThanOrEqual(3); // broken.pdf, bad.eml, the bad mbox message
    expect(byPath(rb.skipped)).toEqual(['photo.txt: binary content: NUL bytes']);
    expect(byPath(rb.warnings)[0]).toMatch(/^mixed\.txt: invalid UTF-8/);
    expect(documents(bulk)).toEqual(documents(plain));
    expect(bulk.search('lynx').hits.map((h) => fileOfId(h.id))).toEqual(['pdf/good.pdf']);
  });

  it("deletes a changed file's gone passages with its new ones; failed and vanished files keep theirs", async () => {
    const root = tempDir();
    const dir = path.join(tempDir(), 'idx');
    const paragraphs = (words: string[]) => words.map((w) => `The ${w} sleeps by the water.`).join('\n\n');
    write(root, 'a.txt', paragraphs(['otter', 'heron', 'beaver']));
    write(root, 'b.txt', 'The kingfisher dives.\n');
    write(root, 'c.pdf', makePdf({ pages: [['The lynx hunts at night.']] }));
    write(root, 'd.txt', 'The badger digs.\n');
    let e = await engine(dir, true);
    const passages = { targetTokens: 5, maxTokens: 10 }; // a passage per paragraph
    let sync = FolderSync.forIndex(e, root, dir, { passages });
    expect(await sync.syncAll()).toMatchObject({ indexed: 4, failed: [] });
    await e.commit();
    sync.save();
    const before = e.ids().filter((id) => id.startsWith('a.txt#'));
    expect(before).toHaveLength(3);
    await e.close();

    // The passage of the heron changes; the other two keep their ids.
    write(root, 'a.txt', paragraphs(['otter', 'pelican', 'beaver']));
    write(root, 'c.pdf', '%PDF-1.4 truncated'); // corrupt now: its passages stay
    e = await engine(dir, true);
    sync = FolderSync.forIndex(e, root, dir, {
      passages,
      // d.txt goes after the walk listed it and before a builder reads it.
      beforeFile: (rel) => {
        if (rel === 'a.txt') fs.rmSync(path.join(root, 'd.txt'));
      },
    });
    const r = await sync.syncAll();
    await e.commit();
    sync.save();
    expect(r).toMatchObject({ indexed: 1, unchanged: 1, passages: 3, deleted: 1 });
    expect(byPath(r.failed)).toEqual([
      expect.stringMatching(/^c\.pdf: /),
      'd.txt: vanished during the run (no such file)',
    ]);
    const after = e.ids().filter((id) => id.startsWith('a.txt#'));
    expect(after.filter((id) => before.includes(id))).toHaveLength(2);
    await e.close();

    // Reopened: the commit held exactly the new passages; failed files kept theirs.
    e = await engine(dir, false);
    const find = (q: string) => e.search(q).hits.map((h) => fileOfId(h.id));
    expect(find('pelican')).toEqual(['a.txt']);
    expect(find('heron')).toEqual([]);
    expect(find('otter')).toEqual(['a.txt']);
    expect(find('lynx')).toEqual(['c.pdf']);
    expect(find('badger')).toEqual(['d.txt']);
    expect(
      e
        .ids()
        .filter((id) => id.startsWith('a.txt#'))
        .sort(),
    ).toEqual([...after].sort());
  });

  it('counts progress and passages as files finish in the builder, and re-runs unchanged', async () => {
    const root = tempDir();
    const dir = path.join(tempDir(), 'idx');
    for (let i = 0; i < 39; i++)
      write(root, `f${i}.txt`, `Note ${i}: the ${i % 2 ? 'wren' : 'robin'} sings.\n`);
    // Reached only through a symlink: the walk tells of it at its end, and it is synced then.
    write(root, '.hidden/h.txt', 'The heron waits.\n');
    fs.symlinkSync(path.join(root, '.hidden', 'h.txt'), path.join(root, 'a-link.txt'));
    const e = await engine(dir, true);
    const seen: number[] = [];
    const sync = FolderSync.forIndex(e, root, dir, { afterFile: (p) => void seen.push(p.files) });
    const r = await sync.syncAll();
    await e.commit();
    sync.save();
    expect(r).toMatchObject({ files: 40, indexed: 40, passages: 40 });
    expect(e.search('heron').hits.map((h) => fileOfId(h.id))).toEqual(['a-link.txt']);
    expect(seen.at(-1)).toBe(40);
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1])).toBe(true);
    const ids = e.ids().sort();
    expect(await sync.syncAll()).toMatchObject({ indexed: 0, unchanged: 40 });
    expect(e.ids().sort()).toEqual(ids);
  });

  it('attaches new files without looking their ids up, and a later sync of the same engine still replaces and deletes', async () => {
    const root = tempDir();
    const dir = path.join(tempDir(), 'idx');
    for (let i = 0; i < 30; i++)
      write(root, `n${i}.txt`, `Note ${i}: the ${i % 2 ? 'wren' : 'robin'} sings.\n`);
    const e = await engine(dir, true);
    const sync = FolderSync.forIndex(e, root, dir);
    expect(await sync.syncAll()).toMatchObject({ indexed: 30, passages: 30 });
    await e.commit();
    const shards = (e as unknown as { shards: { idMap: unknown }[] }).shards;
    expect(shards.map((s) => s.idMap)).toEqual([null, null]); // fresh files: no id map was built
    expect(e.ids()).toHaveLength(30);
    // The same sync again: n3 changed, n4 gone, n30 new.
    write(root, 'n3.txt', 'Note 3: the kestrel hovers.\n');
    fs.rmSync(path.join(root, 'n4.txt'));
    write(root, 'n30.txt', 'Note 30: the swift screams.\n');
    expect(await sync.syncAll()).toMatchObject({ indexed: 2, removed: 1, deleted: 2 });
    await e.commit();
    const files = e.ids().map(fileOfId).sort();
    expect(files).toHaveLength(30);
    expect(files).not.toContain('n4.txt');
    expect(e.search('kestrel').hits.map((h) => fileOfId(h.id))).toEqual(['n3.txt']);
    expect(e.search('swift').hits.map((h) => fileOfId(h.id))).toEqual(['n30.txt']);
    expect(e.search('robin').hits.map((h) => fileOfId(h.id))).not.toContain('n4.txt');
  });

  it('keeps one copy of a file added twice in one load, even when each job says it is new', async () => {
    const root = tempDir();
    write(root, 'a.txt', 'The heron waits by the pond.\n');
    const e = await engine(path.join(tempDir(), 'idx'), true);
    const job = { file: path.join(root, 'a.txt'), rel: 'a.txt', options: { indexed: false } };
    const outcomes: string[] = [];
    await e.addFile(job, 30, (r) => void outcomes.push(r.kind));
    await e.filesDone(); // attached: a later chunk
    await e.addFile({ ...job, options: { indexed: false } }, 30, (r) => void outcomes.push(r.kind));
    await e.commit();
    expect(outcomes).toEqual(['indexed', 'indexed']);
    expect(e.ids()).toHaveLength(1);
    expect(e.search('heron').hits).toHaveLength(1);
    // Twice in one chunk: the later copy supersedes the earlier inside the chunk.
    write(root, 'b.txt', 'The otter dives.\n');
    const b = { file: path.join(root, 'b.txt'), rel: 'b.txt', options: { indexed: false } };
    await e.addFile(b, 20, () => {});
    await e.addFile({ ...b, options: { indexed: false } }, 20, () => {});
    await e.filesDone();
    await e.commit();
    expect(e.ids()).toHaveLength(2);
    expect(e.search('otter').hits).toHaveLength(1);
  });
});
