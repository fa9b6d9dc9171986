/**
 * @module ingest/mail
 * Email through mailparser: one `.eml` file (maildir messages are `.eml` files too) or an mbox
 * split into messages. The subject is the title; `meta` holds `from` (lower-cased addresses) and
 * `from-name`, `to`, `cc`, `from-any` and `to-any` (what `from:` and `to:` match: address, domain,
 * name words), `date` (ISO), `message-id`, `in-reply-to` and `references` (the thread),
 * and the file names of `attachments`. The text is the plain-text body, or the HTML body converted
 * by `htmlToText` when there is no plain-text part, followed by the text of every textual
 * attachment (text/*, JSON, XML) under an `[attachment: name]` line.
 */

import type { AddressObject, ParsedMail } from 'mailparser';
import { BadInputError } from '../errors.js';
import { addressKeys, type MailAddress } from './address-keys.js';
import { binaryReason } from './binary.js';
import { htmlToText, loadHtmlParser } from './html.js';
import { baseTitle, type ParsedDocument } from './parsed.js';

/** Textual attachments longer than this are cut (they are logs and dumps more than prose). */
const MAX_ATTACHMENT_CHARS = 1 << 20;

/** A header field line: a name of printable characters other than `:`, then `:`. */
export const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+:/;
/** An mbox separator: `From sender date`, the date with a time of day. */
const MBOX_FROM = /^From \S*.*\d{1,2}:\d{2}/;

/** One RFC 5322 message; throws BadInputError naming `file` for a malformed one. */
export async function parseEml(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  const reason = binaryReason(bytes);
  if (reason !== undefined) throw new BadInputError(file, `malformed mail: ${reason}`);
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A leading mbox `From ` line (a message saved from an mbox) is not a header.
  if (buf.subarray(0, 5).toString('latin1') === 'From ') {
    const eol = buf.indexOf(10);
    buf = eol < 0 ? Buffer.alloc(0) : buf.subarray(eol + 1);
  }
  const firstLine = buf.subarray(0, Math.min(buf.length, 1000)).toString('latin1').split(/\r?\n/)[0] ?? '';
  if (!HEADER_LINE.test(firstLine))
    throw new BadInputError(
      file,
      `malformed mail: the first line is not a header field: ${JSON.stringify(firstLine.slice(0, 60))}`,
    );
  buf = endHeadersAtFirstBodyLine(buf);
  await loadHtmlParser(); // for HTML bodies and attachments
  let mail: ParsedMail;
  try {
    // mailparser (and its encodings) loads in ~0.5 s: only when a mail is read.
    const { simpleParser } = await import('mailparser');
    mail = await simpleParser(buf, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    throw new BadInputError(file, `malformed mail: ${(err as Error).message}`);
  }
  const has = (name: string) => mail.headers.has(name);
  if (!has('from') && !has('subject') && !has('date') && !has('message-id'))
    throw new BadInputError(file, 'malformed mail: none of From, Subject, Date, Message-ID');

  const meta: ParsedDocument['meta'] = { type: 'mail' };
  const from = addresses(mail.from);
  if (from.length > 0) meta.from = from;
  const fromName = mail.from?.value.find((a) => a.name)?.name;
  if (fromName) meta['from-name'] = fromName;
  const to = addresses(mail.to);
  if (to.length > 0) meta.to = to;
  const cc = addresses(mail.cc);
  if (cc.length > 0) meta.cc = cc;
  // What from: and to: match (address, domain, name word: see address-keys); to: covers Cc.
  const fromKeys = addressKeys(people(mail.from));
  if (fromKeys.length > 0) meta['from-any'] = fromKeys;
  const toKeys = addressKeys([...people(mail.to), ...people(mail.cc)]);
  if (toKeys.length > 0) meta['to-any'] = toKeys;
  if (mail.date !== undefined && !Number.isNaN(mail.date.getTime())) meta.date = mail.date.toISOString();
  if (mail.messageId) meta['message-id'] = mail.messageId;
  if (mail.inReplyTo) meta['in-reply-to'] = mail.inReplyTo;
  const refs =
    mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  if (refs.length > 0) meta.references = refs;

  let text = bodyText(mail, buf);
  const names: string[] = [];
  for (const att of mail.attachments) {
    const name = att.filename ?? att.contentType;
    names.push(name);
    const attText = attachmentText(att.contentType, att.content);
    if (attText === undefined || attText.trim() === '') continue;
    text += `${text === '' ? '' : '\n\n'}[attachment: ${name}]\n\n${attText.trim()}`;
  }
  if (names.length > 0) meta.attachments = names;
  const title = mail.subject?.trim() || baseTitle(file);
  return { title, text, meta };
}

/**
 * Some archives (Enron's preprocessed mail) start the body right after the headers, without the
 * blank line: the first line that is neither a header field nor a folded continuation ends the
 * headers, as if a blank line stood before it.
 */
function endHeadersAtFirstBodyLine(buf: Buffer): Buffer {
  let pos = 0;
  while (pos < buf.length) {
    let eol = buf.indexOf(10, pos);
    eol = eol < 0 ? buf.length : eol + 1;
    const line = buf.subarray(pos, Math.min(eol, pos + 1000)).toString('latin1');
    if (line === '\n' || line === '\r\n') return buf;
    if (!HEADER_LINE.test(line) && !(pos > 0 && (line[0] === ' ' || line[0] === '\t'))) {
      const nl = buf[pos - 2] === 13 ? '\r\n' : '\n';
      return Buffer.concat([buf.subarray(0, pos), Buffer.from(nl), buf.subarray(pos)]);
    }
    pos = eol;
  }
  return buf;
}

function bodyText(mail: ParsedMail, raw: Buffer): string {
  const html = typeof mail.html === 'string' ? mail.html : undefined;
  // mailparser makes `text` from the HTML itself when there is no text/plain part; we prefer our
  // HTML reader there (same rules as for HTML files).
  const hasPlainPart =
    /^content-type:[ \t]*text\/plain/im.test(raw.toString('latin1')) || !mail.headers.has('content-type');
  if (html !== undefined && (!hasPlainPart || !mail.text?.trim())) return htmlToText(html).text;
  return (mail.text ?? '').replace(/\s+$/, '');
}

function attachmentText(contentType: string, content: Buffer): string | undefined {
  const type = contentType.toLowerCase();
  const textual =
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type.endsWith('+xml');
  if (!textual || binaryReason(content) !== undefined) return undefined;
  const s = content
    .toString('utf8', 0, Math.min(content.length, MAX_ATTACHMENT_CHARS * 4))
    .slice(0, MAX_ATTACHMENT_CHARS);
  return type === 'text/html' ? htmlToText(s).text : s;
}

/** Every address of a header field (groups opened), with its display name. */
function people(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (field === undefined) return [];
  const out: MailAddress[] = [];
  const visit = (list: AddressObject['value']) => {
    for (const a of list) {
      if (a.address || a.name) out.push({ address: a.address, name: a.name });
      if (a.group) visit(a.group);
    }
  };
  for (const f of Array.isArray(field) ? field : [field]) visit(f.value);
  return out;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (field === undefined) return [];
  const out: string[] = [];
  const visit = (list: AddressObject['value']) => {
    for (const a of list) {
      if (a.address) out.push(a.address.toLowerCase());
      if (a.group) visit(a.group);
    }
  };
  for (const f of Array.isArray(field) ? field : [field]) visit(f.value);
  return out;
}

/** One message of an mbox: its bytes (`>From ` unescaped) and the line of its `From ` separator. */
export interface MboxMessage {
  bytes: Uint8Array;
  line: number;
}

/**
 * Splits an mbox into messages at `From ` separator lines (at the start, or after a blank line);
 * mboxrd quoting (`>From `, `>>From `) is undone by one level. Throws BadInputError when the file
 * does not start with a separator.
 */
export function splitMbox(bytes: Uint8Array, file: string): MboxMessage[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: MboxMessage[] = [];
  let current: Buffer[] | undefined;
  let currentLine = 0;
  let prevBlank = true;
  let lineNo = 0;
  let pos = 0;
  const flush = () => {
    if (current === undefined) return;
    // Drop the blank line that precedes the next separator.
    let msg = Buffer.concat(current);
    if (msg.length > 0 && msg[msg.length - 1] === 10) {
      let end = msg.length - 1;
      if (end > 0 && msg[end - 1] === 13) end--;
      if (end > 0 && msg[end - 1] === 10) msg = msg.subarray(0, end);
    }
    out.push({ bytes: msg, line: currentLine });
  };
  while (pos < buf.length) {
    let eol = buf.indexOf(10, pos);
    eol = eol < 0 ? buf.length : eol + 1;
    lineNo++;
    const line = buf.subarray(pos, eol);
    const head = line.subarray(0, 200).toString('latin1');
    if (prevBlank && head.startsWith('From ') && MBOX_FROM.test(head)) {
      flush();
      current = [];
      currentLine = lineNo;
    } else if (current === undefined) {
      if (head.trim() !== '')
        throw new BadInputError(`${file}:${lineNo}`, 'not an mbox: expected a "From " separator line');
    } else if (/^>+From /.test(head)) current.push(line.subarray(1));
    else current.push(line);
    prevBlank = head === '\n' || head === '\r\n';
    pos = eol;
  }
  flush();
  return out;
}

/**
 * The messages of an mbox. A malformed message goes to `onError` (source `file:line`) when given,
 * else it is thrown; the other messages are returned, each with `meta['mbox-line']`.
 */
export async function parseMbox(
  bytes: Uint8Array,
  file: string,
  onError?: (err: BadInputError) => void,
): Promise<ParsedDocument[]> {
  const docs: ParsedDocument[] = [];
  for (const msg of splitMbox(bytes, file)) {
    try {
      const doc = await parseEml(msg.bytes, `${file}:${msg.line}`);
      doc.meta['mbox-line'] = msg.line;
      docs.push(doc);
    } catch (err) {
      if (!(err instanceof BadInputError) || onError === undefined) throw err;
      onError(err);
    }
  }
  return docs;
}
