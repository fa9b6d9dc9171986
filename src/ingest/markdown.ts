/**
 * @module ingest/markdown
 * Markdown: the text is the Markdown source (so citations quote what the author wrote), minus a
 * leading YAML front matter block, whose simple `key: value` scalars go to `meta` (`title` becomes
 * the title). ATX (`# Title`) and setext (`Title\n=====`) headings outside fenced code blocks are
 * returned with the offset of their first line.
 */

import { decodeText } from './binary.js';
import { baseTitle, decodeWarnings, type ParsedDocument, type ParsedHeading } from './parsed.js';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export async function parseMarkdown(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  const decoded = decodeText(bytes, file);
  let { text } = decoded;
  const { encoding, replaced } = decoded;
  let firstLine = 1;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const meta: ParsedDocument['meta'] = { type: 'markdown' };
  if (encoding !== 'utf-8') meta.encoding = encoding;
  let title: string | undefined;
  const fm = FRONT_MATTER.exec(text);
  if (fm) {
    const front = parseFrontMatter(fm[1]);
    for (const [key, value] of Object.entries(front)) {
      if (key === 'title' && typeof value === 'string') title = value;
      else if (key !== 'type') meta[key] = value;
    }
    for (let i = 0; i < fm[0].length; i++) if (fm[0].charCodeAt(i) === 10) firstLine++;
    text = text.slice(fm[0].length);
  }
  const headings = markdownHeadings(text);
  title ??= (headings.find((h) => h.level === 1) ?? headings[0])?.title ?? baseTitle(file);
  return { title, text, meta, headings, firstLine, warnings: decodeWarnings(replaced) };
}

/** The headings of Markdown `text`, skipping fenced code blocks. */
export function markdownHeadings(text: string): ParsedHeading[] {
  const out: ParsedHeading[] = [];
  let fence: string | undefined;
  let offset = 0;
  let prev: { line: string; offset: number } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineOffset = offset;
    offset += raw.length + 1;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length)
        fence = undefined;
      prev = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      prev = undefined;
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) {
      const title = (atx[2] ?? '').trim();
      if (title !== '') out.push({ level: atx[1].length, title, offset: lineOffset + line.indexOf('#') });
      prev = undefined;
      continue;
    }
    const setext = /^ {0,3}(=+|-+)[ \t]*$/.exec(line);
    if (setext && prev !== undefined) {
      const start = prev.offset + (prev.line.length - prev.line.trimStart().length);
      out.push({ level: setext[1][0] === '=' ? 1 : 2, title: prev.line.trim(), offset: start });
      prev = undefined;
      continue;
    }
    const isText = line.trim() !== '' && !/^ {4}|^\t/.test(line) && !/^ {0,3}([-*_])( *\1){2,} *$/.test(line);
    // The underline makes the line above it a heading (its last line, for a multi-line paragraph).
    prev = isText ? { line, offset: lineOffset } : undefined;
  }
  return out;
}

/** The scalar `key: value` lines of a YAML front matter block (strings, numbers, booleans, lists). */
export function parseFrontMatter(block: string): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string | number | boolean | string[]> = {};
  let listKey: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey !== undefined) {
      const list = out[listKey];
      if (Array.isArray(list)) list.push(unquote(item[1].trim()));
      continue;
    }
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    listKey = undefined;
    if (!m) continue;
    const key = m[1];
    const value = m[2].trim();
    if (value === '') {
      out[key] = [];
      listKey = key;
    } else if (value.startsWith('[') && value.endsWith(']')) {
      out[key] = value
        .slice(1, -1)
        .split(',')
        .map((s) => unquote(s.trim()))
        .filter((s) => s !== '');
    } else if (value === 'true' || value === 'false') out[key] = value === 'true';
    else if (/^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
    else out[key] = unquote(value);
  }
  for (const [key, value] of Object.entries(out))
    if (Array.isArray(value) && value.length === 0) delete out[key];
  return out;
}

function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  return s;
}
