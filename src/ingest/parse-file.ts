/**
 * @module ingest/parse-file
 * Picks a parser by extension: Markdown, HTML, PDF, mail (`.eml`; `.mbox` has its own entry,
 * `parseMbox`, since one file holds many messages), else plain text and code. Whatever the
 * extension, content that sniffs as binary is refused with its reason (see `binary.ts`), except
 * for PDF, which is binary by nature.
 */

import { parseHtml } from './html.js';
import { parseEml } from './mail.js';
import { parseMarkdown } from './markdown.js';
import { extensionOf, type Parser } from './parsed.js';
import { parsePdf } from './pdf.js';
import { parsePlain } from './plain.js';

export const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdown', 'mkd', 'mdx']);
export const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml']);
export const MAIL_EXTENSIONS = new Set(['eml']);
export const MBOX_EXTENSIONS = new Set(['mbox', 'mbx']);

/** The parser for `file` by its extension (plain text / code for anything not listed). */
export function parserFor(file: string): Parser {
  const ext = extensionOf(file);
  if (MARKDOWN_EXTENSIONS.has(ext)) return parseMarkdown;
  if (HTML_EXTENSIONS.has(ext)) return parseHtml;
  if (ext === 'pdf') return parsePdf;
  if (MAIL_EXTENSIONS.has(ext)) return parseEml;
  return parsePlain;
}

/** Parses one file by its extension; throws BadInputError naming `file`. */
export function parseFile(bytes: Uint8Array, file: string): ReturnType<Parser> {
  return parserFor(file)(bytes, file);
}
