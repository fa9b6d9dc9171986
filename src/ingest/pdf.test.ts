import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors.js';
import { parsePdf, pdfDate } from './pdf.js';
import { makePdf } from './testing/make-pdf.js';

describe('parsePdf', () => {
  const pdf = makePdf({
    pages: [
      ['The first page of the report.', 'It has two lines.'],
      ['Page two (with parentheses) talks about funnels.'],
      ['Third and last page.'],
    ],
    title: 'A Tiny Report',
    author: 'Ada Lovelace',
  });

  it('reads the text of each page with page offsets, title and metadata', async () => {
    const doc = await parsePdf(pdf, '/tmp/report.pdf');
    expect(doc.title).toBe('A Tiny Report');
    expect(doc.meta).toMatchObject({
      type: 'pdf',
      pages: 3,
      author: 'Ada Lovelace',
      date: '2024-01-02T03:04:05.000Z',
    });
    expect(doc.pages?.map((p) => p.page)).toEqual([1, 2, 3]);
    const pages = doc.pages ?? [];
    const pageText = (i: number) =>
      doc.text.slice(pages[i].offset, pages[i + 1]?.offset ?? doc.text.length).trim();
    expect(pageText(0)).toContain('The first page of the report.');
    expect(pageText(0)).toContain('It has two lines.');
    expect(pageText(1)).toBe('Page two (with parentheses) talks about funnels.');
    expect(pageText(2)).toBe('Third and last page.');
  });

  it('uses the file name without document information', async () => {
    const doc = await parsePdf(makePdf({ pages: [['hello']] }), 'docs/plain-name.pdf');
    expect(doc.title).toBe('plain-name');
    expect(doc.text).toBe('hello');
  });

  it('refuses a truncated PDF with its path', async () => {
    for (const cut of [20, 120, Math.floor(pdf.length / 3)]) {
      const err = await parsePdf(pdf.slice(0, cut), 'broken.pdf').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadInputError);
      expect((err as Error).message).toMatch(/^broken\.pdf: (corrupt PDF|not a PDF)/);
    }
  });

  it('fails only with BadInputError on any truncation or corruption', async () => {
    for (let cut = 0; cut < pdf.length; cut += 97) {
      await parsePdf(pdf.slice(0, cut), 'cut.pdf').catch((e: unknown) => {
        expect(e).toBeInstanceOf(BadInputError);
      });
    }
    const garbled = pdf.slice();
    for (let i = 200; i < garbled.length; i += 7) garbled[i] = 0x28;
    await parsePdf(garbled, 'garbled.pdf').catch((e: unknown) => expect(e).toBeInstanceOf(BadInputError));
  });

  it('refuses an encrypted PDF', async () => {
    const err = await parsePdf(makePdf({ pages: [['secret']], encrypt: true }), 'locked.pdf').catch((e) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect(err.message).toBe('locked.pdf: encrypted PDF: a password is required');
  });

  it('refuses a file that is not a PDF', async () => {
    await expect(parsePdf(new TextEncoder().encode('hello, world'), 'fake.pdf')).rejects.toThrow(
      'fake.pdf: not a PDF',
    );
  });

  it('reads PDF dates', () => {
    expect(pdfDate("D:20231231235959+01'00'")).toBe('2023-12-31T22:59:59.000Z');
    expect(pdfDate('D:2020')).toBe('2020-01-01T00:00:00.000Z');
    expect(pdfDate('yesterday')).toBeUndefined();
  });
});
