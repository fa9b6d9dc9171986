/**
 * @module ingest/html
 * HTML through htmlparser2 (a real, forgiving HTML parser, streamed as SAX events): the title
 * (`<title>`, else `og:title`, else the first `<h1>`), the visible text with block elements as
 * paragraphs (`\n\n`), line breaks and table rows as `\n`, and `<h1>`…`<h6>` as headings.
 * Scripts, styles, templates, SVG, forms and page chrome (`nav`, `header`, `footer`, `aside`,
 * ARIA roles navigation/banner/contentinfo, `hidden` elements) are dropped.
 */

import { decodeText } from './binary.js';
import { baseTitle, decodeWarnings, type ParsedDocument, type ParsedHeading } from './parsed.js';

/** Elements whose whole content is dropped. */
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'head',
]);
const SKIP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search']);

/** Elements that start and end a paragraph. */
const BLOCK = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'ul',
]);
/** Elements that end a line. */
const LINE = new Set(['br', 'tr']);
const CELL = new Set(['td', 'th']);

/** The text and structure of an HTML string. */
export interface HtmlText {
  title: string | undefined;
  text: string;
  headings: ParsedHeading[];
  lang: string | undefined;
  description: string | undefined;
}

let htmlparser: typeof import('htmlparser2') | undefined;

/** Loads htmlparser2 for {@link htmlToText}: when HTML is first met, not at every start (80 ms). */
export async function loadHtmlParser(): Promise<void> {
  htmlparser ??= await import('htmlparser2');
}

/** Converts an HTML string to text with paragraphs and headings (see the module comment). */
export function htmlToText(html: string): HtmlText {
  let out = '';
  /** 0 nothing, 1 space, 2 line, 3 paragraph: the separator owed before the next text. */
  let pending = 0;
  let skipDepth = 0;
  let preDepth = 0;
  const skipStack: boolean[] = [];
  let inTitle = false;
  let titleText = '';
  let ogTitle: string | undefined;
  let lang: string | undefined;
  let description: string | undefined;
  const headings: ParsedHeading[] = [];
  let heading: { level: number; offset: number } | undefined;

  const owe = (level: number) => {
    if (level > pending) pending = level;
  };
  const emit = (chunk: string) => {
    if (chunk === '') return;
    if (out.length > 0 && pending > 0) out += pending === 3 ? '\n\n' : pending === 2 ? '\n' : ' ';
    pending = 0;
    if (heading !== undefined && heading.offset < 0) heading.offset = out.length;
    out += chunk;
  };

  if (htmlparser === undefined) throw new Error('htmlToText: call loadHtmlParser() first');
  const parser = new htmlparser.Parser(
    {
      onopentag(name, attribs) {
        const role = attribs.role?.toLowerCase();
        const skip =
          SKIP.has(name) ||
          attribs.hidden !== undefined ||
          attribs['aria-hidden'] === 'true' ||
          (role !== undefined && SKIP_ROLES.has(role));
        skipStack.push(skip);
        if (name === 'html' && attribs.lang) lang = attribs.lang;
        if (name === 'meta') {
          const key = (attribs.property ?? attribs.name ?? '').toLowerCase();
          if (key === 'og:title' && attribs.content) ogTitle = attribs.content.trim();
          if (key === 'description' && attribs.content) description = attribs.content.trim();
        }
        if (name === 'title') inTitle = true;
        if (skip) skipDepth++;
        if (skipDepth > 0) return;
        if (BLOCK.has(name)) owe(3);
        else if (LINE.has(name)) owe(2);
        else if (CELL.has(name)) owe(1);
        if (name === 'pre') preDepth++;
        if (/^h[1-6]$/.test(name) && heading === undefined) {
          heading = { level: Number(name[1]), offset: -1 };
        }
      },
      ontext(data) {
        if (inTitle) {
          titleText += data;
          return;
        }
        if (skipDepth > 0) return;
        if (preDepth > 0) {
          const lines = data.split(/\r?\n/);
          lines.forEach((line, i) => {
            if (i > 0) owe(2);
            emit(line);
          });
          return;
        }
        if (/^\s/.test(data)) owe(1);
        const words = data.trim();
        if (words !== '') emit(words.replace(/\s+/g, ' '));
        if (/\s$/.test(data)) owe(1);
      },
      onclosetag(name) {
        const skip = skipStack.pop() ?? false;
        if (name === 'title') inTitle = false;
        if (skip) {
          skipDepth--;
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (/^h[1-6]$/.test(name) && heading !== undefined && Number(name[1]) === heading.level) {
          const title = heading.offset < 0 ? '' : out.slice(heading.offset).replace(/\s+/g, ' ').trim();
          if (heading.offset >= 0 && title !== '')
            headings.push({ level: heading.level, title, offset: heading.offset });
          heading = undefined;
        }
        if (BLOCK.has(name)) owe(3);
        else if (LINE.has(name)) owe(2);
        else if (CELL.has(name)) owe(1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const title = titleText.replace(/\s+/g, ' ').trim();
  return { title: title !== '' ? title : ogTitle, text: out, headings, lang, description };
}

/** An HTML file; throws BadInputError for binary content. */
export async function parseHtml(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  await loadHtmlParser();
  const { text: html, encoding, replaced } = decodeText(bytes, file);
  const parsed = htmlToText(html);
  const meta: ParsedDocument['meta'] = { type: 'html' };
  if (parsed.lang !== undefined) meta.lang = parsed.lang;
  if (parsed.description !== undefined) meta.description = parsed.description;
  if (encoding !== 'utf-8') meta.encoding = encoding;
  const title = parsed.title ?? parsed.headings.find((h) => h.level === 1)?.title ?? baseTitle(file);
  return { title, text: parsed.text, meta, headings: parsed.headings, warnings: decodeWarnings(replaced) };
}
