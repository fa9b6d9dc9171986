/**
 * @module reader/types
 * The reader's contract: stage 3 of the funnel gets the reranked passages and a question, and
 * returns an answer whose citations point at verbatim spans of the indexed documents. Types only.
 */

/** One passage handed to a reader, usually a window of a document chosen by the reranker. */
export interface Passage {
  /** 1-based number shown to the reader and used in `[n]` markers; unique within one call. */
  n: number;
  /** Document id in the index. */
  docId: string;
  /** The document's title. */
  title: string;
  /** The passage text. */
  text: string;
  /** Character (UTF-16) offset of `text` inside the document's full text. */
  offset: number;
  /** Provenance shown to users (path, page, mail subject...). */
  source?: string;
}

/** A quote that supports part of an answer, located in its document. */
export interface Citation {
  /** Number of the cited passage. */
  passage: number;
  /** Document id of the cited passage. */
  docId: string;
  /** UTF-16 offset of the quote's first character in the DOCUMENT text; -1 when it could not be located. */
  start: number;
  /** UTF-16 offset just past the quote's last character in the DOCUMENT text; -1 when not located. */
  end: number;
  /** The quoted text: `documentText.slice(start, end)` for a verified citation. */
  quote: string;
}

/** A citation that failed verification, with the reason. */
export interface DroppedCitation {
  citation: Citation;
  reason: string;
}

/** One round of reading: the first read, then one per round of search tool calls. */
export interface ReadRound {
  /** The search query (or queries, joined by ` | `) whose results were read in this round. */
  query?: string;
  /** Number of new passages read in this round. */
  passages: number;
  /** Estimated tokens of those passages. */
  tokensRead: number;
  /** Wall time of the round in milliseconds (searches plus the model call). */
  ms: number;
}

/** What a reader returns. */
export interface ReadResult {
  /** The answer; may contain `[n]` markers, each backed by at least one verified citation. */
  answer: string;
  /** Only verified citations. */
  citations: Citation[];
  /** Citations that failed verification, with reasons. */
  dropped: DroppedCitation[];
  /** One entry per round of reading. */
  rounds: ReadRound[];
  /** 'extractive' or the LLM model name. */
  model: string;
}

/** Per-call options of {@link Reader.read}. */
export interface ReadOptions {
  /** Aborts the read; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Budget of passage tokens to read, over all rounds. */
  maxTokens?: number;
  /** Receives the answer text as it is produced (the model's draft; `answer` is authoritative). */
  onText?: (delta: string) => void;
  /** Lets a reader that can call tools search for more passages. */
  search?: (query: string) => Promise<Passage[]>;
  /** Most rounds of search tool calls; default 3. */
  maxRounds?: number;
}

/** Stage 3 of the funnel: here are passages and a question, give me an answer with verified citations. */
export interface Reader {
  /** Short name, e.g. 'extractive' or 'llm'. */
  readonly name: string;
  /** Reads the passages (best first) and answers the question. */
  read(question: string, passages: Passage[], options?: ReadOptions): Promise<ReadResult>;
}

/** Looks up a document's full text by id; undefined when the document is unknown. */
export type DocumentText = (docId: string) => string | undefined;
