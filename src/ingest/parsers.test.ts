import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors.js';
import { binaryReason, decodeText, isProbablyBinary, SNIFF_BYTES } from './binary.js';
import { htmlToText, loadHtmlParser, parseHtml } from './html.js';
import { markdownHeadings, parseFrontMatter, parseMarkdown } from './markdown.js';
import { parseFile, parserFor } from './parse-file.js';
import { parsePdf } from './pdf.js';
import { languageOf, parsePlain } from './plain.js';
import { makePdf } from './testing/make-pdf.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('isProbablyBinary', () => {
  it('tells text from binary by content', () => {
    expect(isProbablyBinary(enc('plain ASCII text\nwith lines\n'))).toBe(false);
    expect(isProbablyBinary(enc('Unicode: é, 中文, 한국어, 😀, \t tabs and \u001b[1mANSI\u001b[0m'))).toBe(
      false,
    );
    expect(isProbablyBinary(new Uint8Array(0))).toBe(false);
    expect(isProbablyBinary(Buffer.from('café au lait, naïve résumé', 'latin1'))).toBe(false);
    expect(binaryReason(enc('text\u0000more'))).toBe('binary content: NUL bytes');
    const random = new Uint8Array(crypto.randomBytes(4096)).map((b) => (b === 0 ? 1 : b));
    expect(binaryReason(random)).toMatch(/^binary content: \d+ (invalid UTF-8 sequences|control characters)/);
    expect(isProbablyBinary(new Uint8Array(1000).fill(1))).toBe(true);
  });

  it('does not hold a character cut by the end of the sample against the file', () => {
    const text = `${'a'.repeat(SNIFF_BYTES - 1)}中文`;
    expect(isProbablyBinary(enc(text))).toBe(false);
  });

  it('decodes UTF-8, else Windows-1252, and refuses binary with the path', () => {
    expect(decodeText(enc('中文'), 'a.txt')).toEqual({ text: '中文', encoding: 'utf-8' });
    expect(decodeText(Buffer.from('caf\u00e9 at 5 \u0080 a cup', 'latin1'), 'b.txt')).toEqual({
      text: 'café at 5 € a cup',
      encoding: 'windows-1252',
    });
    expect(() => decodeText(enc('\u0000\u0001'), 'c.txt')).toThrow('c.txt: binary content: NUL bytes');
  });
});

describe('parsePlain', () => {
  it('reads text and code with type and language', async () => {
    const txt = await parsePlain(enc('Some notes.'), 'notes/todo.txt');
    expect(txt).toEqual({
      title: 'todo',
      text: 'Some notes.',
      firstLine: 1,
      meta: { type: 'text', ext: 'txt' },
    });
    const ts = await parsePlain(enc('export const x = 1;\n'), 'src/engine.ts');
    expect(ts.title).toBe('engine.ts');
    expect(ts.meta).toEqual({ type: 'code', ext: 'ts', lang: 'typescript' });
    expect(languageOf('a/b/script.PY')).toBe('python');
    expect(languageOf('Makefile')).toBe('make');
    expect(languageOf('Dockerfile')).toBe('dockerfile');
    expect(languageOf('readme.txt')).toBeUndefined();
  });

  it('skips a binary with a .txt extension, with the reason', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    const err = await parsePlain(png, 'photo.txt').catch((e) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect(err.message).toBe('photo.txt: binary content: NUL bytes');
  });
});

describe('parseMarkdown', () => {
  it('takes the title from front matter and keeps headings with offsets into the text', async () => {
    const md = [
      '---',
      'title: "Installing Funnel"',
      'date: 2024-05-01',
      'tags: [search, ingest]',
      'draft: false',
      '---',
      '# Install',
      '',
      'Run `npm install`.',
      '',
      '```sh',
      '# not a heading',
      '```',
      '',
      'Setup',
      '-----',
      '',
      '### Deep ###',
      'text',
    ].join('\n');
    const doc = await parseMarkdown(enc(md), 'docs/install.md');
    expect(doc.title).toBe('Installing Funnel');
    expect(doc.meta).toEqual({
      type: 'markdown',
      date: '2024-05-01',
      tags: ['search', 'ingest'],
      draft: false,
    });
    expect(doc.text.startsWith('# Install')).toBe(true);
    expect(doc.headings?.map((h) => [h.level, h.title])).toEqual([
      [1, 'Install'],
      [2, 'Setup'],
      [3, 'Deep'],
    ]);
    for (const h of doc.headings ?? []) expect(doc.text.slice(h.offset)).toMatch(/^#+ |^Setup\n/);
  });

  it('falls back to the first heading, then the file name', async () => {
    expect((await parseMarkdown(enc('intro\n\n## Second\n\n# First'), 'a.md')).title).toBe('First');
    expect((await parseMarkdown(enc('no headings at all'), 'dir/b-file.md')).title).toBe('b-file');
  });

  it('reads front matter lists and scalars', () => {
    expect(parseFrontMatter('a: 1\nb: yes\nlist:\n  - x\n  - "y"\nempty:\n')).toEqual({
      a: 1,
      b: 'yes',
      list: ['x', 'y'],
    });
    expect(markdownHeadings('#hashtag is not a heading\n#\n####### seven')).toEqual([]);
  });
});

describe('parseHtml', () => {
  const page = `<!doctype html>
<html lang="en"><head><title>  The  Page &amp; Title </title>
<meta name="description" content="About things">
<style>body { color: red }</style><script>var x = "<p>not text</p>";</script></head>
<body>
<header><a href="/">Home</a> | <a href="/about">About</a></header>
<nav><ul><li>Menu one</li><li>Menu two</li></ul></nav>
<main>
  <h1>Main   <em>heading</em></h1>
  <p>First paragraph with <b>bold</b> and a <a href="#">link</a>.</p>
  <div>A div block<br>with a line break</div>
  <h2>Section two</h2>
  <ul><li>Item one</li><li>Item two</li></ul>
  <pre>line 1
  line 2</pre>
  <table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>
  <div hidden>hidden text</div><div role="navigation">breadcrumbs</div>
  <aside>Related links</aside>
</main>
<footer>Copyright 2024</footer>
<script>document.write('x')</script>
</body></html>`;

  it('extracts the title, block structure and headings, dropping boilerplate', async () => {
    const doc = await parseHtml(enc(page), 'site/page.html');
    expect(doc.title).toBe('The Page & Title');
    expect(doc.meta).toEqual({ type: 'html', lang: 'en', description: 'About things' });
    expect(doc.text).toBe(
      [
        'Main heading',
        'First paragraph with bold and a link.',
        'A div block\nwith a line break',
        'Section two',
        'Item one',
        'Item two',
        'line 1\n  line 2',
        'a b\nc d',
      ].join('\n\n'),
    );
    expect(doc.headings).toEqual([
      { level: 1, title: 'Main heading', offset: 0 },
      { level: 2, title: 'Section two', offset: doc.text.indexOf('Section two') },
    ]);
    for (const word of ['Menu', 'Home', 'Copyright', 'not text', 'color', 'hidden', 'breadcrumbs', 'Related'])
      expect(doc.text).not.toContain(word);
  });

  it('survives broken markup and takes a title from og:title or h1', async () => {
    await loadHtmlParser();
    const broken = htmlToText('<p>Unclosed <b>bold <i>italic<p>Next para<div>Block</span></div>');
    expect(broken.text).toBe('Unclosed bold italic\n\nNext para\n\nBlock');
    const og = await parseHtml(enc('<meta property="og:title" content="OG Title"><h1>H</h1>'), 'x.html');
    expect(og.title).toBe('OG Title');
    const h1 = await parseHtml(enc('<body><h1>Only <span>H1</span></h1><p>x</p>'), 'y.html');
    expect(h1.title).toBe('Only H1');
    const bare = await parseHtml(enc('<p>x</p>'), 'dir/bare.htm');
    expect(bare.title).toBe('bare');
  });
});

describe('parseFile', () => {
  it('chooses a parser by extension', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-ingest-'));
    const files: Record<string, Uint8Array> = {
      'a.md': enc('# Title A\n\ntext'),
      'b.html': enc('<title>Title B</title><p>text</p>'),
      'c.pdf': makePdf({ pages: [['Title C text']], title: 'Title C' }),
      'd.eml': enc('Subject: Title D\nFrom: d@example.org\n\ntext'),
      'e.py': enc('print("hi")'),
      'f.txt': enc('plain'),
    };
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    const types: string[] = [];
    for (const name of Object.keys(files)) {
      const file = path.join(dir, name);
      const doc = await parseFile(fs.readFileSync(file), file);
      types.push(`${doc.meta.type}:${doc.title}`);
    }
    expect(types).toEqual([
      'markdown:Title A',
      'html:Title B',
      'pdf:Title C',
      'mail:Title D',
      'code:e.py',
      'text:f',
    ]);
    expect(parserFor('x.PDF')).toBe(parsePdf);
    fs.rmSync(dir, { recursive: true });
  });
});
