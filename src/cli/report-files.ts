/**
 * @module cli/report-files
 * Writes an HTML report and, with `--png`, each chart as a PNG beside it (`<report>-chart-N.png`).
 */

import * as fs from 'node:fs';
import { svgToPng } from '../eval/png.js';
import { err } from './io.js';

export async function writeReport(
  file: string,
  html: string,
  charts: readonly string[],
  png: boolean,
): Promise<void> {
  fs.writeFileSync(file, html);
  err(`report → ${file}`);
  if (!png) return;
  const base = file.replace(/\.html?$/i, '');
  for (let i = 0; i < charts.length; i++) {
    const bytes = await svgToPng(charts[i]);
    if (!bytes) {
      err('no PNG: no font found for the text (the SVG charts are in the report)');
      return;
    }
    fs.writeFileSync(`${base}-chart-${i + 1}.png`, bytes);
    err(`chart → ${base}-chart-${i + 1}.png`);
  }
}
