import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IgnoreRules, joinUnder, walkFolder } from './walk.js';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-walk-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function walk(root: string, hidden = false) {
  const r = await walkFolder(root, new IgnoreRules(root, { hidden }), { hidden });
  return { files: r.files.map((f) => f.rel), skipped: r.skipped };
}

describe('walkFolder', () => {
  it('follows .gitignore and .funnelignore as git does, nested, with negation', async () => {
    const root = tree({
      '.gitignore': '*.log\nbuild/\n/top-only.txt\n',
      '.funnelignore': 'secret/\n',
      'a.md': 'a',
      'debug.log': 'x',
      'top-only.txt': 'x',
      'build/out.txt': 'x',
      'secret/key.txt': 'x',
      'src/top-only.txt': 'kept: the rule is anchored to the root',
      'src/.gitignore': '!keep.log\ngen/\n',
      'src/keep.log': 'kept: re-included deeper',
      'src/other.log': 'x',
      'src/gen/x.ts': 'x',
      'src/main.ts': 'x',
      'docs/build': 'a file named build is not the build/ folder',
    });
    const r = await walk(root);
    expect(r.files).toEqual(['a.md', 'docs/build', 'src/keep.log', 'src/main.ts', 'src/top-only.txt']);
    expect(r.skipped).toEqual([]);
  });

  it('skips hidden entries, node_modules and .git unless --hidden (and .git always)', async () => {
    const root = tree({
      '.notes/n.md': 'x',
      '.env': 'x',
      'node_modules/p/index.js': 'x',
      '.git/config': 'x',
      'a.txt': 'x',
    });
    expect((await walk(root)).files).toEqual(['a.txt']);
    expect((await walk(root, true)).files).toEqual([
      '.env',
      '.notes/n.md',
      'a.txt',
      'node_modules/p/index.js',
    ]);
  });

  it('follows symlinks inside the root without loops, and reports one that escapes', async () => {
    const outside = tree({ 'private.txt': 'x' });
    const root = tree({ 'a/one.txt': 'x', 'b/two.txt': 'x', '.hidden/h.txt': 'x' });
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a', 'loop')); // a/loop → a
    fs.symlinkSync(outside, path.join(root, 'out')); // escapes
    fs.symlinkSync(path.join(outside, 'private.txt'), path.join(root, 'b', 'leak.txt')); // escapes
    fs.symlinkSync(path.join(root, 'b', 'two.txt'), path.join(root, 'link.txt')); // inside: the same file
    fs.symlinkSync(path.join(root, '.hidden', 'h.txt'), path.join(root, 'vis.txt')); // inside, not walked else
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'broken'));
    const r = await walk(root);
    expect(r.files).toEqual(['a/one.txt', 'b/two.txt', 'vis.txt']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.rel, s.reason]));
    expect(reasons['a/loop']).toMatch(/symlink loop/);
    expect(reasons.out).toBe(`symlink escapes the root (to ${fs.realpathSync(outside)})`);
    expect(reasons['b/leak.txt']).toMatch(/^symlink escapes the root/);
    expect(reasons.broken).toMatch(/broken symlink/);
    // A file met twice is indexed once, under its own path.
    expect(reasons['link.txt']).toMatch(/^the same file as b\/two.txt/);
  });

  it('tells of files as it finds them: only those certain to be kept, the rest at the end', async () => {
    const root = tree({ 'a/one.txt': 'x', 'c/three.txt': 'x', 'z/four.txt': 'x', '.hidden/h.txt': 'x' });
    fs.symlinkSync(path.join(root, '.hidden', 'h.txt'), path.join(root, 'vis.txt')); // known at the end
    // z/four.txt is met first through a link folder (b → z): kept as b/four.txt. A link to a file
    // (a/link.txt → c/three.txt) is met before the file's own path, which is the one kept.
    fs.symlinkSync(path.join(root, 'z'), path.join(root, 'b'));
    fs.symlinkSync(path.join(root, 'c', 'three.txt'), path.join(root, 'a', 'link.txt'));
    fs.symlinkSync(path.join(root, 'a', 'one.txt'), path.join(root, 'only-link.txt'));
    const early: string[] = [];
    const r = await walkFolder(root, new IgnoreRules(root), {}, '', (e) => early.push(e.rel));
    const files = r.files.map((f) => f.rel);
    expect(files).toEqual(['a/one.txt', 'b/four.txt', 'c/three.txt', 'vis.txt']);
    expect(early).toEqual(['a/one.txt', 'b/four.txt', 'c/three.txt']);
    const skipped = r.skipped.map((s) => s.rel).sort();
    // z/ is the second way into a folder already walked (as b/): not walked again.
    expect(skipped).toEqual(['a/link.txt', 'only-link.txt', 'z']);
  });

  it('leaves out excluded folders (the index inside the tree)', async () => {
    const root = tree({ 'a.txt': 'x', 'idx/MANIFEST': 'x' });
    const r = await walkFolder(root, new IgnoreRules(root), { exclude: [path.join(root, 'idx')] });
    expect(r.files.map((f) => f.rel)).toEqual(['a.txt']);
  });

  it('tells whether a path is ignored, folders included (for the watcher)', () => {
    const root = tree({ '.gitignore': 'build/\n*.tmp\n', 'src/.gitignore': 'gen/\n' });
    const rules = new IgnoreRules(root);
    expect(rules.ignoresPath('build/a.txt')).toBe(true);
    expect(rules.ignoresPath('build', true)).toBe(true);
    expect(rules.ignoresPath('build')).toBe(false);
    expect(rules.ignoresPath('src/gen/a.ts')).toBe(true);
    expect(rules.ignoresPath('src/x.tmp')).toBe(true);
    expect(rules.ignoresPath('src/x.ts')).toBe(false);
    expect(rules.ignoresPath('.git/HEAD')).toBe(true);
  });
});

describe('joinUnder', () => {
  it('joins a walked relative path to any base as path.join does', () => {
    const bases = [
      '.',
      './',
      '/',
      '/tmp/x',
      '/tmp/x/',
      '../a',
      'a//b/',
      './docs',
      '..',
      'a/./b',
      '/tmp/x/../y',
    ];
    for (const base of bases)
      for (const rel of ['a', 'a/b c', '.hidden/x.txt', 'd/e#1.md', ''])
        expect(joinUnder(base)(rel)).toBe(path.join(base, rel));
  });
});
