#!/usr/bin/env node
// Compiles src/expand/dot.wat (the word-vector dot product kernel) with wabt and writes its bytes,
// base64, into src/expand/dot-wasm.ts, which is committed: installing Funnel compiles nothing.
// Run after editing the .wat; a test checks that the committed bytes are this script's output.
//   node scripts/build-wasm.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import wabtInit from 'wabt';

const root = path.join(import.meta.dirname, '..');
const watFile = path.join(root, 'src/expand/dot.wat');
const tsFile = path.join(root, 'src/expand/dot-wasm.ts');

export async function compileDotWat() {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('dot.wat', fs.readFileSync(watFile, 'utf8'));
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

export function dotWasmSource(bytes) {
  const b64 = bytes.toString('base64');
  const lines = b64.match(/.{1,96}/g).map((l) => `  '${l}' +`);
  lines[lines.length - 1] = lines[lines.length - 1].replace(/ \+$/, ';');
  return [
    '/**',
    ' * @module expand/dot-wasm',
    ' * The bytes of `dot.wat`, compiled by `node scripts/build-wasm.mjs` (wabt). Generated: edit the',
    ' * .wat and run the script; a test checks that these are its output.',
    ' */',
    '',
    'export const DOT_WASM_BASE64 =',
    ...lines,
    '',
  ].join('\n');
}

/** The bytes in the committed dot-wasm.ts (its quoted base64 pieces, joined). */
export function committedBytes() {
  const text = fs.readFileSync(tsFile, 'utf8');
  const b64 = [...text.matchAll(/'([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]).join('');
  return Buffer.from(b64, 'base64');
}

if (process.argv[1] === import.meta.filename) {
  const source = dotWasmSource(await compileDotWat());
  if (process.argv.includes('--check')) {
    const same = committedBytes().equals(await compileDotWat());
    console.log(same ? 'dot-wasm.ts is up to date' : 'dot-wasm.ts differs from dot.wat: run node scripts/build-wasm.mjs');
    process.exitCode = same ? 0 : 1;
  } else {
    fs.writeFileSync(tsFile, source);
    console.log(`wrote ${path.relative(root, tsFile)}`);
  }
}
