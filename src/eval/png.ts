/**
 * @module eval/png
 * SVG charts to PNG with resvg compiled to WebAssembly (no native code, nothing downloaded at run
 * time). WebAssembly cannot see system fonts by itself, so the fonts are read from the usual font
 * folders; with no font found there is no PNG (the text would be missing), and the SVG stands.
 */

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Folders searched for TrueType/OpenType fonts. */
export const FONT_DIRS = [
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  '/System/Library/Fonts',
  'C:\\Windows\\Fonts',
];

let ready: Promise<void> | undefined;
let fonts: Uint8Array[] | undefined;

function findFonts(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(full, depth + 1);
      // Regular sans faces are enough for chart labels; bold and italic faces are skipped.
      else if (
        /sans[^/]*\.(ttf|otf)$/i.test(e.name) &&
        !/(bold|oblique|italic|light|mono|math)/i.test(e.name)
      )
        out.push(fs.readFileSync(full));
    }
  };
  for (const dir of FONT_DIRS) walk(dir, 0);
  return out;
}

/** The PNG of an SVG at `scale` × its size, or undefined when no font is available. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array | undefined> {
  fonts ??= findFonts();
  if (fonts.length === 0) return undefined;
  // Loaded on the first PNG, not at every start of the CLI.
  const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
  ready ??= initWasm(
    fs.readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')),
  );
  await ready;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  try {
    return resvg.render().asPng();
  } finally {
    resvg.free();
  }
}
