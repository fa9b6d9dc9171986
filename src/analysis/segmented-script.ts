/**
 * @module analysis/segmented-script
 * Owns runs of Thai, Lao, Khmer and Myanmar letters: scripts written without spaces, whose words ICU
 * finds with its dictionaries. Each word-like segment becomes one word at its own position, through
 * the same normalization and stop words as any word, without stemming. Marks are never stripped.
 */

import { ASTRAL, CLASS_MASK, classAt, KHMER, LAO, MARK, MYANMAR } from './char-class.js';
import { normalizeWord } from './normalize.js';
import { SEGMENT_PIECE, wordSegmenter } from './segmenter.js';
import type { TokenSink } from './token-sink.js';

function localeOf(cls: number): string {
  if (cls === LAO) return 'lo';
  if (cls === KHMER) return 'km';
  if (cls === MYANMAR) return 'my';
  return 'th';
}

/** Analyzes the run of class `cls` that starts at `text[start]`; returns the index just past it. */
export function addSegmentedRun(sink: TokenSink, text: string, start: number, cls: number): number {
  const n = text.length;
  const segmenter = wordSegmenter(localeOf(cls));
  let j = start;
  let pieceStart = start;
  while (true) {
    let k = 0;
    if (j < n && text.charCodeAt(j) >= 0x80) k = classAt(text, j);
    const kc = k & CLASS_MASK;
    const inRun = kc === cls || (kc === MARK && j > start);
    // Cut the run into pieces of about SEGMENT_PIECE units, never right before a mark.
    if (!inRun || (j - pieceStart >= SEGMENT_PIECE && kc !== MARK)) {
      for (const s of segmenter.segment(text.slice(pieceStart, j))) {
        if (s.isWordLike !== true) continue;
        const a = pieceStart + s.index;
        sink.addWord(normalizeWord(s.segment), a, a + s.segment.length, false);
      }
      pieceStart = j;
      if (!inRun) return j;
    }
    j += k & ASTRAL ? 2 : 1;
  }
}
