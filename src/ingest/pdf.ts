/**
 * @module ingest/pdf
 * PDF through unpdf (a serverless build of Mozilla's PDF.js, no worker, no native code): the text
 * of each page, pages joined by a blank line, with the offset where each page starts; the title
 * from the document information (else the file name); author, page count and creation date in
 * `meta`. A corrupt, truncated or password-protected PDF is a BadInputError. A scanned PDF without
 * a text layer gives empty pages (no OCR).
 */

import { BadInputError } from '../errors.js';
import { baseTitle, type ParsedDocument, type ParsedPage } from './parsed.js';

/** pdf.js's "errors only" verbosity: library code prints nothing. */
const VERBOSITY_ERRORS = 0;

export async function parsePdf(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0)
    throw new BadInputError(file, 'not a PDF: no %PDF- header');
  const { getDocumentProxy, extractText } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given, and refuses a Buffer: hand it a
    // plain Uint8Array copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: VERBOSITY_ERRORS });
    const { text: pageTexts } = await extractText(pdf, { mergePages: false });
    let info: Record<string, unknown> = {};
    try {
      info = ((await pdf.getMetadata()).info ?? {}) as Record<string, unknown>;
    } catch {
      // Unreadable document information is not worth losing the text for.
    }
    const pages: ParsedPage[] = [];
    let text = '';
    pageTexts.forEach((pageText, i) => {
      if (i > 0) text += '\n\n';
      pages.push({ page: i + 1, offset: text.length });
      text += pageText.replace(/\s+$/, '');
    });
    const meta: ParsedDocument['meta'] = { type: 'pdf', pages: pageTexts.length };
    const author = stringInfo(info.Author);
    if (author !== undefined) meta.author = author;
    const created = pdfDate(stringInfo(info.CreationDate));
    if (created !== undefined) meta.date = created;
    return { title: stringInfo(info.Title) ?? baseTitle(file), text, meta, pages };
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    const e = err as Error;
    if (e?.name === 'PasswordException')
      throw new BadInputError(file, 'encrypted PDF: a password is required');
    throw new BadInputError(file, `corrupt PDF: ${e?.message ?? String(err)}`);
  } finally {
    await pdf?.loadingTask.destroy().catch(() => undefined);
  }
}

function stringInfo(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
}

/** A PDF date (`D:YYYYMMDDHHmmSS+HH'mm'`) as an ISO string, or `undefined`. */
export function pdfDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', tz] = m;
  let zone = 'Z';
  if (tz !== undefined && tz !== 'Z')
    zone = `${tz.slice(0, 3)}:${tz.slice(3).replace(/'/g, '').padEnd(2, '0')}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
