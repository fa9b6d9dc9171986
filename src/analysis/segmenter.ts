/**
 * @module analysis/segmenter
 * Owns the `Intl.Segmenter` instances (one per locale, word granularity) and the piece size fed to
 * them: ICU word segmentation of one long string is very slow on Node 20, so callers cut runs into
 * pieces of at most {@link SEGMENT_PIECE} characters.
 */

/** Longest string handed to a segmenter at once, in characters. */
export const SEGMENT_PIECE = 200;

const segmenters = new Map<string, Intl.Segmenter>();

/** The shared word segmenter of a locale ('zh', 'ja', 'ko', 'th', 'lo', 'km', 'my'). */
export function wordSegmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (s === undefined) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}
