/**
 * @module ingest/testing/make-pdf
 * Writes small, valid PDF files by hand (PDF 1.4, Helvetica, one text line per string) for tests:
 * objects, a cross-reference table with exact byte offsets, and a trailer. `encrypt` adds a
 * standard security handler whose user password is not empty, so readers must ask for it.
 */

export interface PdfSpec {
  pages: string[][];
  title?: string;
  author?: string;
  encrypt?: boolean;
}

export function makePdf(spec: PdfSpec): Uint8Array {
  const objs: string[] = [];
  const n = spec.pages.length;
  const firstPage = 4;
  const kids = spec.pages.map((_, i) => `${firstPage + 2 * i} 0 R`).join(' ');
  objs.push('<< /Type /Catalog /Pages 2 0 R >>');
  objs.push(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`);
  objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  spec.pages.forEach((lines, i) => {
    const body = lines.map((l, j) => `BT /F1 12 Tf 72 ${720 - 16 * j} Td (${esc(l)}) Tj ET`).join('\n');
    objs.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${firstPage + 1 + 2 * i} 0 R >>`,
    );
    objs.push(`<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`);
  });
  let infoRef = '';
  if (spec.title !== undefined || spec.author !== undefined) {
    const fields = [
      spec.title !== undefined ? `/Title (${esc(spec.title)})` : '',
      spec.author !== undefined ? `/Author (${esc(spec.author)})` : '',
      '/CreationDate (D:20240102030405Z)',
    ];
    objs.push(`<< ${fields.join(' ')} >>`);
    infoRef = ` /Info ${objs.length} 0 R`;
  }
  let encryptRef = '';
  if (spec.encrypt) {
    const o = 'A1'.repeat(32);
    const u = 'B2'.repeat(32);
    objs.push(`<< /Filter /Standard /V 1 /R 2 /O <${o}> /U <${u}> /P -44 >>`);
    encryptRef = ` /Encrypt ${objs.length} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]`;
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((off) => `${String(off).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${infoRef}${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
