import { describe, expect, it } from 'vitest';
import { countTokens } from '../../ingest/passages.js';
import { passageCuts, passageLines, scanJsonlLine } from './jsonl-scan.js';

function scan(line: string) {
  const buf = Buffer.from(line, 'utf8');
  return scanJsonlLine(buf, 0, buf.length);
}

describe('scanJsonlLine', () => {
  it('reads the id and counts title and text tokens as countTokens does', () => {
    const docs = [
      { _id: 'a', title: 'Hello world', text: 'one two\n\nthree "quoted" \\ back\tslash' },
      { _id: 'b\u00e9"x', title: '', text: '中文分词 mixed 日本語テキスト and 한국어 words' },
      { _id: 'c', text: 'nbsp\u00a0separated\u3000ideographic\u2003em, emoji 😀 x', extra: { title: 'no' } },
      { title: 'x y', _id: 'd', text: '  leading and trailing  ', tags: ['text', 'title'] },
      { _id: 'e', title: 'Path', text: 'Path::new("/foo/bar") and snake_case — “quoted”。人々 x2' },
    ];
    for (const d of docs) {
      const line = JSON.stringify(d);
      const expected = countTokens(d.title ?? '') + countTokens(d.text);
      expect(scan(line)).toMatchObject({ id: d._id, tokens: expected });
      // \u escapes of the same text count the same.
      const escaped = line.replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      expect(scan(escaped)).toMatchObject({ id: d._id, tokens: expected });
    }
  });

  it('takes a numeric id as text and leaves an id-less line without one', () => {
    expect(scan('{"_id": 42, "text": "a b"}')).toMatchObject({ id: '42', tokens: 2 });
    expect(scan('{"text": "a b c"}')).toMatchObject({ id: undefined, tokens: 3 });
  });
});

describe('passageLines', () => {
  it('cuts a long text on the bytes into valid passage lines that add up to the text', () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Sentence ${i} has "quotes", ünïcödé and 中文 words.`,
    );
    const doc = {
      _id: 'long',
      title: 'The "Title"',
      text: `${sentences.slice(0, 30).join(' ')}\n\n${sentences.slice(30).join(' ')}`,
      n: 1,
    };
    const buf = Buffer.from(JSON.stringify(doc), 'utf8');
    const scan = scanJsonlLine(buf, 0, buf.length);
    expect(scan.title).toBeDefined();
    const cuts = passageCuts(buf, scan.text![0], scan.text![1], 50);
    expect(cuts.length).toBeGreaterThan(5);
    const lines = passageLines(buf, { ...scan, id: 'long', text: scan.text! }, cuts);
    const decoded = lines.map((l) => JSON.parse(Buffer.concat(l.bytes).toString('utf8').trimEnd()));
    expect(decoded.map((d) => d._id)).toEqual(lines.map((_, i) => `long#${i}`));
    expect(decoded.every((d) => d.title === doc.title)).toBe(true);
    expect(decoded.map((d) => d.text).join('')).toBe(doc.text);
    // Passages end at sentence ends, hold 50 to 100 tokens (the last may be shorter).
    for (const d of decoded.slice(0, -1)) expect(d.text).toMatch(/[.]$/);
    for (const c of cuts.slice(0, -1)) expect(c.tokens >= 50 && c.tokens <= 100).toBe(true);
    // Tokens: the text's, plus the title's once.
    expect(lines.reduce((n, l) => n + l.tokens, 0)).toBe(scan.tokens);
    expect(lines.map((l) => l.tokens)).toEqual(
      decoded.map((d, i) => countTokens(d.text) + (i === 0 ? countTokens(doc.title) : 0)),
    );
  });

  it('cuts a text without sentence ends at twice the target', () => {
    const text = Array.from({ length: 250 }, (_, i) => `w${i}`).join(' ');
    const buf = Buffer.from(JSON.stringify({ _id: 'x', text }), 'utf8');
    const scan = scanJsonlLine(buf, 0, buf.length);
    expect(passageCuts(buf, scan.text![0], scan.text![1], 50).map((c) => c.tokens)).toEqual([100, 100, 50]);
  });
});
