/**
 * @module ingest/plain
 * Plain text and source code. The text is the file's text as is; `meta.type` is `text` or `code`,
 * `meta.lang` the programming language guessed from the extension (or file name, for `Makefile`
 * and the like).
 */

import * as path from 'node:path';
import { decodeText } from './binary.js';
import { baseTitle, decodeWarnings, extensionOf, type ParsedDocument } from './parsed.js';

/** Extension (or whole file name) → language. */
export const CODE_LANGUAGES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  pyi: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  scala: 'scala',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  cs: 'csharp',
  fs: 'fsharp',
  php: 'php',
  pl: 'perl',
  pm: 'perl',
  lua: 'lua',
  r: 'r',
  jl: 'julia',
  hs: 'haskell',
  ml: 'ocaml',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  clj: 'clojure',
  el: 'elisp',
  lisp: 'lisp',
  scm: 'scheme',
  dart: 'dart',
  zig: 'zig',
  nim: 'nim',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  fish: 'shell',
  ps1: 'powershell',
  sql: 'sql',
  css: 'css',
  scss: 'scss',
  less: 'less',
  vue: 'vue',
  svelte: 'svelte',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'ini',
  xml: 'xml',
  proto: 'protobuf',
  graphql: 'graphql',
  tex: 'latex',
  makefile: 'make',
  mk: 'make',
  dockerfile: 'dockerfile',
  cmake: 'cmake',
};

/** Extensions of prose read as plain text. */
export const PLAIN_TEXT_EXTENSIONS = new Set(['txt', 'text', 'rst', 'adoc', 'org', 'log', 'csv', 'tsv', '']);

/** The language of a source file from its extension or name, or `undefined`. */
export function languageOf(file: string): string | undefined {
  const ext = extensionOf(file);
  if (ext !== '' && Object.hasOwn(CODE_LANGUAGES, ext)) return CODE_LANGUAGES[ext];
  const name = path.basename(file).toLowerCase();
  if (Object.hasOwn(CODE_LANGUAGES, name)) return CODE_LANGUAGES[name];
  return undefined;
}

/** Plain text or source code; throws BadInputError for binary content. */
export async function parsePlain(bytes: Uint8Array, file: string): Promise<ParsedDocument> {
  const { text, encoding, replaced } = decodeText(bytes, file);
  const lang = languageOf(file);
  const meta: ParsedDocument['meta'] = { type: lang === undefined ? 'text' : 'code', ext: extensionOf(file) };
  if (lang !== undefined) meta.lang = lang;
  if (encoding !== 'utf-8') meta.encoding = encoding;
  return { title: titleOf(file, lang), text, meta, firstLine: 1, warnings: decodeWarnings(replaced) };
}

function titleOf(file: string, lang: string | undefined): string {
  // Code is found by its file name (`engine.ts`); prose by its name without the extension.
  return lang === undefined ? baseTitle(file) : path.basename(file);
}
