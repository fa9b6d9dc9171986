/**
 * @module expand/wordnet-parse
 * Reads the WordNet database files (`data.*`, `index.*`, `index.sense`, and any `*.exc`) into plain
 * arrays: lemmas, synsets with their member lemmas, and for each lemma its synsets, most common
 * sense first across parts of speech. Lemmas are lower-cased, with spaces for WordNet's
 * underscores and without the adjective position markers `(a)`, `(p)`, `(ip)`.
 */

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { sortedOrder } from './string-table.js';

/** WordNet's file suffixes, in the order parts of speech are numbered here (0 = noun … 3 = adverb). */
export const POS_FILES = ['noun', 'verb', 'adj', 'adv'] as const;

/** The parsed database, every id dense from 0. */
export interface WordNetData {
  /** Lemmas, sorted by UTF-8 bytes: a lemma's id is its rank. */
  lemmas: string[];
  /** Part of speech of each synset (an index into {@link POS_FILES}). */
  synsetPos: Uint8Array;
  /** Member lemma ids of synset s: `synsetMembers[synsetStart[s] .. synsetStart[s+1]]`, in file order. */
  synsetStart: Uint32Array;
  synsetMembers: Uint32Array;
  /** Synset ids of lemma l: `lemmaSynsets[lemmaStart[l] .. lemmaStart[l+1]]`, most common first. */
  lemmaStart: Uint32Array;
  lemmaSynsets: Uint32Array;
  /** Exception lists as lines `inflected\tbase[\tbase…]`, words as lemmas (spaces, lower case). */
  exceptions: string;
}

/** A WordNet word as a lemma: `Motor_Vehicle(a)` → `motor vehicle`. */
export function lemmaOf(word: string): string {
  if (word.endsWith(')')) word = word.replace(/\([a-z]+\)$/, '');
  if (word.includes('_')) word = word.replace(/_/g, ' ');
  return word.toLowerCase();
}

/** A synset's key: its byte offset in its data file (< 2^26 for every WordNet) and its part of speech. */
function synsetKey(pos: number, offset: string): number {
  return Number(offset) * 4 + pos;
}

/** sense-key ss_type digit → part of speech; 5 (adjective satellite) lives in the adjective files. */
const SENSE_POS = [-1, 0, 1, 2, 3, 2];

interface Sense {
  synset: number;
  tagCount: number;
  rank: number;
  pos: number;
}

/** Parses the WordNet files in `dictDir`. */
export async function parseWordNet(dictDir: string): Promise<WordNetData> {
  const read = (name: string) => fs.readFile(path.join(dictDir, name), 'utf8');

  // Synsets, keyed by part of speech and byte offset as the index files name them.
  const synsetIds = new Map<number, number>();
  const synsetPos: number[] = [];
  const members: string[][] = [];
  for (let pos = 0; pos < POS_FILES.length; pos++) {
    for (const line of (await read(`data.${POS_FILES[pos]}`)).split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      // Only the head of the line: the pointers and the gloss that follow are not needed.
      const count = Number.parseInt(line.split(' ', 4)[3], 16);
      const f = line.split(' ', 4 + 2 * count);
      const words: string[] = [];
      for (let i = 0; i < count; i++) {
        const w = lemmaOf(f[4 + 2 * i]);
        if (!words.includes(w)) words.push(w);
      }
      synsetIds.set(synsetKey(pos, f[0]), members.length);
      synsetPos.push(pos);
      members.push(words);
    }
  }

  // How often each (lemma, synset) sense was tagged in the semantic concordances: synset key →
  // lemma → count, for the senses tagged at least once.
  const tagCounts = new Map<number, Map<string, number>>();
  for (const line of (await read('index.sense')).split('\n')) {
    if (line === '' || line.endsWith(' 0')) continue; // most senses were never tagged
    const [key, offset, , tags] = line.split(' ');
    const percent = key.indexOf('%');
    const pos = SENSE_POS[Number(key[percent + 1])];
    const k = synsetKey(pos, offset);
    let counts = tagCounts.get(k);
    if (!counts) {
      counts = new Map();
      tagCounts.set(k, counts);
    }
    counts.set(lemmaOf(key.slice(0, percent)), Number(tags));
  }

  // Each lemma's senses over all parts of speech.
  const senses = new Map<string, Sense[]>();
  for (let pos = 0; pos < POS_FILES.length; pos++) {
    for (const line of (await read(`index.${POS_FILES[pos]}`)).split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      const f = line.trim().split(' ');
      const lemma = lemmaOf(f[0]);
      const synsetCount = Number(f[2]);
      let list = senses.get(lemma);
      if (!list) {
        list = [];
        senses.set(lemma, list);
      }
      for (let rank = 0; rank < synsetCount; rank++) {
        const k = synsetKey(pos, f[f.length - synsetCount + rank]);
        const synset = synsetIds.get(k);
        if (synset === undefined) continue;
        list.push({ synset, tagCount: tagCounts.get(k)?.get(lemma) ?? 0, rank, pos });
      }
    }
  }
  // A member word that the index files do not list still gets its synsets, in file order.
  const unindexed = new Set<string>();
  members.forEach((words, synset) => {
    for (const w of words) {
      if (!senses.has(w)) {
        senses.set(w, []);
        unindexed.add(w);
      }
      if (unindexed.has(w))
        senses.get(w)!.push({ synset, tagCount: 0, rank: synset, pos: synsetPos[synset] });
    }
  });

  const unsorted = [...senses.keys()];
  const lemmas = Array.from(sortedOrder(unsorted), (i) => unsorted[i]);
  const lemmaIds = new Map(lemmas.map((l, i) => [l, i]));

  const synsetStart = new Uint32Array(members.length + 1);
  const flatMembers: number[] = [];
  members.forEach((words, s) => {
    for (const w of words) flatMembers.push(lemmaIds.get(w)!);
    synsetStart[s + 1] = flatMembers.length;
  });

  const lemmaStart = new Uint32Array(lemmas.length + 1);
  const flatSynsets: number[] = [];
  lemmas.forEach((lemma, l) => {
    const list = senses.get(lemma)!;
    list.sort((a, b) => b.tagCount - a.tagCount || a.rank - b.rank || a.pos - b.pos || a.synset - b.synset);
    const seen = new Set<number>();
    for (const s of list) {
      if (seen.has(s.synset)) continue;
      seen.add(s.synset);
      flatSynsets.push(s.synset);
    }
    lemmaStart[l + 1] = flatSynsets.length;
  });

  return {
    lemmas,
    synsetPos: Uint8Array.from(synsetPos),
    synsetStart,
    synsetMembers: Uint32Array.from(flatMembers),
    lemmaStart,
    lemmaSynsets: Uint32Array.from(flatSynsets),
    exceptions: await readExceptions(dictDir),
  };
}

/** The lines of every `*.exc` file in `dictDir` (WordNet 3.1's npm package ships none). */
async function readExceptions(dictDir: string): Promise<string> {
  const files = (await fs.readdir(dictDir)).filter((f) => f.endsWith('.exc')).sort();
  const lines: string[] = [];
  for (const file of files) {
    for (const line of (await fs.readFile(path.join(dictDir, file), 'utf8')).split('\n')) {
      const words = line.trim().split(/\s+/).filter(Boolean).map(lemmaOf);
      if (words.length >= 2) lines.push(words.join('\t'));
    }
  }
  return lines.join('\n');
}
