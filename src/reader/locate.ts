/**
 * @module reader/locate
 * Finds a model's quote in a passage: verbatim first, then up to whitespace runs and typographic
 * variants (curly quotes, dashes, NBSP), which models rewrite without meaning to. The span returned is
 * always one of the passage's own, so the citation built from it quotes the passage verbatim.
 */

/** Quote marks and ellipses a model may wrap a quote in. */
const WRAPPING = /^[\s"'“”‘’«»「」『』…]+|[\s"'“”‘’«»「」『』…]+$/gu;
const LEADING_DOTS = /^\.{3}\s*/;
const TRAILING_DOTS = /\s*\.{3}$/;

/** One character as compared leniently ('' for none). */
function fold(ch: string): string {
  if (/\s/.test(ch)) return ' ';
  if (/[‘’‚‛′]/.test(ch)) return "'";
  if (/[“”„‟″]/.test(ch)) return '"';
  if (/[‐‑‒–—―−]/.test(ch)) return '-';
  return ch;
}

/** The folded text, whitespace runs collapsed, with each folded char's offset in `text`. */
function folded(text: string): { text: string; at: number[] } {
  let out = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = fold(text[i]);
    if (ch === ' ' && out.endsWith(' ')) continue;
    out += ch;
    at.push(i);
  }
  return { text: out, at };
}

/** The quote without wrapping quote marks and leading/trailing ellipses. */
export function cleanQuote(quote: string): string {
  let q = quote.trim();
  for (let before = ''; before !== q; ) {
    before = q;
    q = q.replace(WRAPPING, '').replace(LEADING_DOTS, '').replace(TRAILING_DOTS, '');
  }
  return q;
}

/** The span of `quote` in `text`: verbatim, else leniently; undefined when it is not there. */
export function locateQuote(text: string, quote: string): { start: number; end: number } | undefined {
  const exact = quote === '' ? -1 : text.indexOf(quote);
  if (exact >= 0) return { start: exact, end: exact + quote.length };
  const q = cleanQuote(quote);
  if (q === '') return undefined;
  const verbatim = text.indexOf(q);
  if (verbatim >= 0) return { start: verbatim, end: verbatim + q.length };
  const t = folded(text);
  const f = folded(q).text;
  const i = t.text.indexOf(f);
  if (i < 0) return undefined;
  return { start: t.at[i], end: t.at[i + f.length - 1] + 1 };
}
