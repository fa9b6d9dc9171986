import { describe, expect, it } from 'vitest';
import { countTokens } from '../../ingest/passages.js';
import { scanJsonlLine } from './jsonl-scan.js';

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
    ];
    for (const d of docs) {
      const line = JSON.stringify(d);
      const expected = countTokens(d.title ?? '') + countTokens(d.text);
      expect(scan(line)).toEqual({ id: d._id, tokens: expected });
      // \u escapes of the same text count the same.
      const escaped = line.replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      expect(scan(escaped)).toEqual({ id: d._id, tokens: expected });
    }
  });

  it('takes a numeric id as text and leaves an id-less line without one', () => {
    expect(scan('{"_id": 42, "text": "a b"}')).toEqual({ id: '42', tokens: 2 });
    expect(scan('{"text": "a b c"}')).toEqual({ id: undefined, tokens: 3 });
  });
});
