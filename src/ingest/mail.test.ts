import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { BadInputError } from '../errors.js';
import { HEADER_LINE, parseEml, parseMbox, splitMbox } from './mail.js';
import { FolderSync } from './sync.js';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
const NOTMUCH = path.join(DATA, 'notmuch-mail');
const ENRON = path.join(DATA, 'enron1-ham', 'ham');
const haveData = fs.existsSync(NOTMUCH) && fs.existsSync(ENRON);

function listEml(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listEml(full));
    else if (e.name.endsWith('.eml')) out.push(full);
  }
  return out.sort();
}

const enc = (s: string) => new TextEncoder().encode(s);

describe.skipIf(!haveData)('parseEml on real mail', () => {
  it('parses every notmuch maildir message with its headers', async () => {
    const files = listEml(NOTMUCH);
    expect(files.length).toBe(263);
    let withThread = 0;
    for (const file of files) {
      const doc = await parseEml(fs.readFileSync(file), file);
      expect(doc.title.length).toBeGreaterThan(0);
      expect(doc.meta.type).toBe('mail');
      if (doc.meta.date !== undefined)
        expect(new Date(doc.meta.date as string).toISOString()).toBe(doc.meta.date);
      if (doc.meta['in-reply-to'] !== undefined || doc.meta.references !== undefined) withThread++;
    }
    expect(withThread).toBeGreaterThan(100);
  });

  it('extracts subject, addresses, date, ids and the plain body of a multipart message', async () => {
    const file = path.join(NOTMUCH, 'default/bar/new/21.eml');
    const doc = await parseEml(fs.readFileSync(file), file);
    expect(doc.title).toBe(
      '[notmuch] [PATCH] Error out if no query is supplied to search instead of going into an infinite loop',
    );
    expect(doc.meta).toMatchObject({
      from: ['alex.boterolowry@gmail.com'],
      'from-name': 'Alex Botero-Lowry',
      to: ['notmuch@notmuchmail.org'],
      date: '2009-11-18T00:23:53.000Z',
      'message-id': '<cf0c4d610911171623q3e27a0adx802e47039b57604b@mail.gmail.com>',
    });
    expect(doc.text).toMatch(/^In this case error out when no query is supplied\./);
    expect(doc.text).toContain('A Xapian exception occurred: Syntax: <expression> AND <expression>');
    // The text/html alternative is not appended a second time.
    expect(doc.text.split('In this case error out').length).toBe(2);
  });

  it('keeps the thread headers and cc', async () => {
    const file = path.join(NOTMUCH, 'lkml/cur/1382298770.001733.eml');
    const doc = await parseEml(fs.readFileSync(file), file);
    expect(doc.title).toBe('[RFC][PATCH 03/10] cifs: register CIFS for caching');
    expect(doc.meta['message-id']).toBe('<1277220189-3485-1-git-send-email-sjayaraman@suse.de>');
    expect(doc.meta['in-reply-to']).toBeDefined();
    expect(doc.meta.references).toBeDefined();
    expect((doc.meta.cc as string[]).length).toBe(4);
    expect(doc.meta.date).toBe('2010-06-22T15:23:09.000Z');
  });

  it('appends the text of a text attachment', async () => {
    const file = path.join(NOTMUCH, 'default/bar/baz/05.eml');
    const doc = await parseEml(fs.readFileSync(file), file);
    const attachments = doc.meta.attachments as string[];
    expect(attachments.some((a) => a.endsWith('.patch'))).toBe(true);
    expect(doc.text).toMatch(
      /\[attachment: 0001-Deal-with-situation-where-sysconf-_SC_GETPW_R_SIZE_M\.patch\]/,
    );
    expect(doc.text).toContain('diff --git');
  });

  it('reads every Enron message (a Subject line, then the body without a blank line)', async () => {
    const files = fs.readdirSync(ENRON).sort();
    expect(files.length).toBe(3672);
    for (const name of files) {
      const file = path.join(ENRON, name);
      const doc = await parseEml(fs.readFileSync(file), file);
      expect(doc.title).not.toBe('');
      // The body follows the Subject line directly (no blank line); nothing of it is lost.
      const lines = fs
        .readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .slice(1)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      expect(doc.text.replace(/\s+/g, ' ').trim()).toBe(lines);
    }
    const first = await parseEml(fs.readFileSync(path.join(ENRON, files[0])), files[0]);
    expect(first.title).toBe('christmas tree farm pictures');
    const second = await parseEml(fs.readFileSync(path.join(ENRON, files[1])), files[1]);
    expect(second.title).toBe('vastar resources , inc .');
    expect(second.text).toMatch(/^gary , production from the high island larger block a - 1 # 2/);
  });

  it('splits an mbox built from real messages and parses each', async () => {
    const files = listEml(path.join(NOTMUCH, 'default')).slice(0, 10);
    const parts = files.map((f) => {
      const body = fs.readFileSync(f, 'latin1').replace(/^(>*From )/gm, '>$1');
      return `From someone@example.org Mon Jan  1 00:00:00 2001\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
    });
    const mbox = Buffer.from(parts.join(''), 'latin1');
    const messages = splitMbox(mbox, 'box.mbox');
    expect(messages.length).toBe(10);
    const docs = await parseMbox(mbox, 'box.mbox');
    for (let i = 0; i < files.length; i++) {
      const single = await parseEml(fs.readFileSync(files[i]), files[i]);
      expect(docs[i].title).toBe(single.title);
      expect(docs[i].text).toBe(single.text);
      expect(docs[i].meta['message-id']).toBe(single.meta['message-id']);
    }
  });
});

describe('parseEml', () => {
  it('converts an HTML-only body with the HTML reader', async () => {
    const mail = [
      'From: Bob <BOB@Example.org>',
      'To: a@example.org, "Carol" <carol@example.org>',
      'Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?= news',
      'Date: Mon, 3 Feb 2020 10:00:00 +0100',
      'Message-ID: <m1@example.org>',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><style>p{}</style></head><body><nav>menu</nav><h1>Hello</h1><p>First &amp; best.</p><p>Second.</p></body></html>',
    ].join('\r\n');
    const doc = await parseEml(enc(mail), 'x.eml');
    expect(doc.title).toBe('こんにちは news');
    expect(doc.text).toBe('Hello\n\nFirst & best.\n\nSecond.');
    expect(doc.meta).toMatchObject({ from: ['bob@example.org'], to: ['a@example.org', 'carol@example.org'] });
    expect(doc.meta.date).toBe('2020-02-03T09:00:00.000Z');
  });

  it('refuses malformed mail naming the file', async () => {
    await expect(parseEml(enc('just some words\nand more'), 'bad.eml')).rejects.toThrow(
      /^bad\.eml: malformed mail: the first line is not a header field/,
    );
    await expect(parseEml(enc('X-Foo: bar\n\nbody'), 'nohead.eml')).rejects.toThrow(
      'nohead.eml: malformed mail: none of From, Subject, Date, Message-ID',
    );
    const err = await parseEml(new Uint8Array([0x46, 0x72, 0, 1, 2, 3]), 'bin.eml').catch((e) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect(err.message).toContain('NUL bytes');
  });
});

describe('splitMbox', () => {
  it('splits at separators after blank lines and unquotes >From', () => {
    const mbox = [
      'From a@example.org Sat Jan  3 01:05:34 1996',
      'Subject: one',
      '',
      '>From the start',
      '>>From quoted',
      'From here on, no separator (no blank line before, no time)',
      '',
      'From b@example.org Sat Jan  3 01:05:35 1996',
      'Subject: two',
      '',
      'body two',
      '',
    ].join('\n');
    const msgs = splitMbox(enc(mbox), 'm.mbox');
    expect(msgs.map((m) => m.line)).toEqual([1, 8]);
    expect(Buffer.from(msgs[0].bytes).toString()).toBe(
      'Subject: one\n\nFrom the start\n>From quoted\nFrom here on, no separator (no blank line before, no time)\n',
    );
    expect(Buffer.from(msgs[1].bytes).toString()).toBe('Subject: two\n\nbody two\n');
  });

  it('refuses a file that is not an mbox, and reports bad messages with their line', async () => {
    expect(() => splitMbox(enc('Subject: hi\n\nbody'), 'x.mbox')).toThrow('x.mbox:1: not an mbox');
    const mbox = enc(
      'From a@b Sat Jan  3 01:05:34 1996\ngarbage line\n\nFrom a@b Sat Jan  3 01:05:34 1996\nSubject: ok\n\nfine\n',
    );
    const errors: string[] = [];
    const docs = await parseMbox(mbox, 'y.mbox', (e) => errors.push(e.message));
    expect(docs.map((d) => d.title)).toEqual(['ok']);
    expect(docs[0].meta['mbox-line']).toBe(4);
    expect(errors).toEqual([
      'y.mbox:1: malformed mail: the first line is not a header field: "garbage line"',
    ]);
    await expect(parseMbox(mbox, 'y.mbox')).rejects.toBeInstanceOf(BadInputError);
  });
});

describe.skipIf(!haveData)('from: and to: on real mail', () => {
  it('match an address, a domain or a name word of the notmuch maildir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-mail-'));
    const engine = await Engine.open(dir, { shards: 1 });
    try {
      const r = await new FolderSync(engine, NOTMUCH, null).syncAll();
      expect(r.failed).toEqual([]);
      const messages = (q: string) => {
        const docs = new Set<string>();
        for (const h of engine.search(q, { k: 10_000 }).hits) docs.add(String(h.meta?.doc ?? h.meta?.path));
        return docs.size;
      };
      const perches = messages('from:joe@perches.com');
      expect(perches).toBeGreaterThan(10);
      // A domain finds the address; the name word also finds Joe's gmane.org alias.
      expect(messages('from:perches.com')).toBe(perches);
      expect(messages('from:perches')).toBeGreaterThan(perches);
      expect(messages('from:Joe')).toBeGreaterThanOrEqual(perches);
      // Two addresses, one name: both found by a name word and by the parent domain.
      // One name, two addresses (redhat.com and a gmane.org alias): a name word finds both.
      expect(messages('from:dhowells@redhat.com')).toBe(10);
      expect(messages('from:howells')).toBe(25);
      expect(messages('from:"David Howells"')).toBe(25);
      expect(messages('from:suse.de')).toBeGreaterThan(0);
      expect(messages('from:nobody-here.example')).toBe(0);
    } finally {
      await engine.close();
    }
  });
});

describe('looksLikeMail (a text file taken for a mail message)', () => {
  it('takes a file that starts with its headers, not a document that quotes header lines', async () => {
    const { looksLikeMail } = await import('./folder.js');
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(looksLikeMail(bytes('From: a@b.org\nTo: c@d.org\nSubject: hi\n\nbody\n'))).toBe(true);
    expect(
      looksLikeMail(bytes('From a@b.org Mon Jan  1 10:00:00 2024\nSubject: hi\nFrom: a@b.org\n\nbody')),
    ).toBe(true);
    expect(looksLikeMail(bytes('Return-Path: <a@b.org>\r\nFrom: a@b.org\r\nSubject: x\r\n\r\nbody'))).toBe(
      true,
    );
    // A documentation page: a title line, then an example message in its text.
    expect(
      looksLikeMail(
        bytes(
          'Active MM — The Linux Kernel documentation\n\nList: linux-kernel\nFrom: x@y.org\nSubject: hi\n',
        ),
      ),
    ).toBe(false);
    // Headers after the blank line are the body's.
    expect(looksLikeMail(bytes('Title: notes\n\nFrom: a@b.org\nSubject: hi\n'))).toBe(false);
  });
  it('tells a first line that cannot be a header field from the bytes, as the full check does', async () => {
    const { looksLikeMail } = await import('./folder.js');
    // The check before the byte pre-filter: the first 4 KiB as Latin-1, split into lines.
    const reference = (b: Uint8Array) => {
      let head = Buffer.from(b.subarray(0, 4096)).toString('latin1');
      if (head.startsWith('From ')) head = head.slice(head.indexOf('\n') + 1);
      const lines = head.split(/\r?\n/);
      if (!HEADER_LINE.test(lines[0] ?? '')) return false;
      const end = lines.indexOf('');
      const block = (end < 0 ? lines : lines.slice(0, end)).join('\n');
      return /^Subject:/im.test(block) && /^From:/im.test(block);
    };
    const piece = fc.constantFrom(
      'From ',
      'From:',
      'Subject:',
      ' x',
      'a',
      ':',
      '\n',
      '\r\n',
      '\n\n',
      'é',
      '\t',
      '-',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const b = Buffer.from(parts.join(''), 'latin1');
        expect(looksLikeMail(b)).toBe(reference(b));
      }),
      { numRuns: 3000 },
    );
  });
});
