/**
 * @module reader/reply-format
 * Reads the LLM reader's reply format: answer text with `[n]` markers, then a line
 * `CITATIONS: [{"passage": n, "quote": "..."}]`. Tolerates what models do to it: markdown around the
 * marker, the array on the next line, a ```json fence, a missing marker before a final fenced array.
 * Also the streaming side: a filter that passes the answer text on and holds the citations block back.
 */

/** One `{passage, quote}` entry as the model wrote it. */
export interface CitedQuote {
  passage: number;
  quote: string;
}

/** The reply split into the answer and its citation entries. */
export interface ParsedReply {
  answer: string;
  cited: CitedQuote[];
  /** Entries that could not be read, with reasons. */
  malformed: { entry: string; reason: string }[];
}

/** The marker line start: optional markdown (`**`, `#`, `>`), the word, optional markdown, a colon. */
const MARKER = /(?:^|\n)[ \t>*_#]*CITATIONS[ \t*_]*:[*_]*/i;
/** The same, global: fresh per call, because a global RegExp carries `lastIndex` state. */
const markers = () => new RegExp(MARKER.source, 'gi');
/** A final fenced JSON array, for replies that forgot the marker. */
const FENCED_ARRAY = /\n?```(?:json)?[ \t]*\n(\[[\s\S]*\])\s*```\s*$/i;

function entries(json: string, malformed: ParsedReply['malformed']): CitedQuote[] {
  const from = json.indexOf('[');
  const to = json.lastIndexOf(']');
  if (from < 0 || to < from) {
    if (json.trim() !== '')
      malformed.push({ entry: json.trim().slice(0, 200), reason: 'citations are not a JSON array' });
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.slice(from, to + 1));
  } catch {
    malformed.push({ entry: json.slice(from, to + 1).slice(0, 200), reason: 'citations are not valid JSON' });
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: CitedQuote[] = [];
  for (const item of parsed) {
    const entry = item as { passage?: unknown; quote?: unknown };
    const n =
      typeof entry?.passage === 'string' ? Number(entry.passage.replace(/[[\]\s]/g, '')) : entry?.passage;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || typeof entry.quote !== 'string') {
      malformed.push({
        entry: JSON.stringify(item).slice(0, 200),
        reason: 'expected {"passage": number, "quote": string}',
      });
      continue;
    }
    out.push({ passage: n, quote: entry.quote });
  }
  return out;
}

/** Splits a reply into its answer and citation entries. */
export function parseReply(reply: string): ParsedReply {
  const malformed: ParsedReply['malformed'] = [];
  let last: RegExpExecArray | undefined;
  for (const match of reply.matchAll(markers())) last = match;
  if (last !== undefined) {
    const rest = reply.slice(last.index + last[0].length);
    return { answer: reply.slice(0, last.index).trim(), cited: entries(rest, malformed), malformed };
  }
  const fenced = FENCED_ARRAY.exec(reply);
  if (fenced !== null) {
    const cited = entries(fenced[1], malformed);
    if (cited.length > 0) return { answer: reply.slice(0, fenced.index).trim(), cited, malformed };
  }
  return { answer: reply.trim(), cited: [], malformed };
}

/**
 * Rewrites `[n]` and `[n, m]` markers to keep only passages in `keep`, written as `[n][m]`; a marker
 * left with none is removed with the space before it.
 */
export function keepMarkers(answer: string, keep: ReadonlySet<number>): string {
  return answer.replace(/(\s?)\[(\d+(?:\s*,\s*\d+)*)\]/g, (_, space: string, list: string) => {
    const kept = list
      .split(',')
      .map(Number)
      .filter((n) => keep.has(n));
    return kept.length === 0 ? '' : space + kept.map((n) => `[${n}]`).join('');
  });
}

/** A line that could still grow into the marker: "", "CIT", "**Citations", ... */
const PARTIAL_MARKER = /^[ \t>*_#]*(?:C(?:I(?:T(?:A(?:T(?:I(?:O(?:N(?:S[ \t*_]*)?)?)?)?)?)?)?)?)?$/i;

/**
 * Passes streamed text on to `onText` until the citations marker, holding back the last line while
 * it could still turn out to be the marker. Call `end()` when the stream is over.
 */
export class CitationsFilter {
  private text = '';
  private sent = 0;
  private stopped = false;

  constructor(private readonly onText: ((delta: string) => void) | undefined) {}

  /** Takes the next delta. */
  readonly push = (delta: string): void => {
    if (this.stopped || this.onText === undefined) return;
    this.text += delta;
    const marker = MARKER.exec(this.text);
    if (marker !== null) {
      this.send(marker.index);
      this.stopped = true;
      return;
    }
    const lineStart = this.text.lastIndexOf('\n') + 1;
    const hold = PARTIAL_MARKER.test(this.text.slice(lineStart))
      ? Math.max(lineStart - 1, 0)
      : this.text.length;
    this.send(hold);
  };

  /** Sends what was held back, unless it was the marker. */
  end(): void {
    if (!this.stopped) this.send(this.text.length);
    this.stopped = true;
  }

  private send(upTo: number): void {
    if (upTo > this.sent) {
      this.onText?.(this.text.slice(this.sent, upTo));
      this.sent = upTo;
    }
  }
}
