/**
 * @module ingest/testing/tree
 * Folder trees for ingest tests: a fresh temporary folder, a file written at a relative path (its
 * folders made on the way), and the damaged files every sync must get through.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(root: string, rel: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}

/**
 * Damaged inputs: a binary file with a text extension (`photo.txt`), invalid UTF-8 in mostly
 * UTF-8 text (`mixed.txt`), Latin-1 text (`latin1.txt`), a PDF with no pages (`broken.pdf`) and a
 * mail with no header (`bad.eml`).
 */
export function writeDamaged(root: string): void {
  write(root, 'photo.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
  write(
    root,
    'mixed.txt',
    Buffer.concat([
      Buffer.from('café au lait, naïve beaver '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' résumé\n'),
    ]),
  );
  write(root, 'latin1.txt', Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e with a walrus\n', 'latin1'));
  write(root, 'broken.pdf', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF');
  write(root, 'bad.eml', 'this is not a mail header\n\nbody\n');
}
