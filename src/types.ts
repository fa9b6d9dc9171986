/**
 * @module types
 * The domain vocabulary, defined once. Every other module uses these names and no synonyms:
 * a "document" is what a user adds, a "hit" is a scored document, a "term" is an analyzed token.
 */

/** Dense document number inside one segment, in `[0, segment.docCount)`. */
export type DocId = number;
/** A relevance score; larger is better. */
export type Score = number;
/** An analyzed token as stored in the term dictionary. */
export type Term = string;

/** A metadata value: exact-match strings, numbers, or dates (stored as epoch milliseconds). */
export type MetaValue = string | number | boolean;

/** What a user adds to an index. `id` is the external, unique, stable key. */
export interface DocumentInput {
  id: string;
  title?: string;
  text: string;
  /** Stored, filterable by exact value (`key:value`) and, for numbers and ISO dates, by range. */
  meta?: Record<string, MetaValue | MetaValue[]>;
}

/** A stored document as returned by the document store. */
export interface StoredDocument {
  id: string;
  title: string;
  text: string;
  meta: Record<string, MetaValue | MetaValue[]>;
}

/** One ranked result. `features` carries every stage's score by stage name. */
export interface Hit {
  id: string;
  score: Score;
  title: string;
  /** Text around the best match, with matches wrapped in `markers` (default `[` and `]`). */
  snippet?: string;
  meta?: Record<string, MetaValue | MetaValue[]>;
  features?: Record<string, number>;
}
