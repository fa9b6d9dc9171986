/**
 * @module expand/json-scanner
 * A minimal pull scanner over JSON bytes, for reading a 300 MB file of numbers without building its
 * object tree or holding the file: the caller walks the structure it expects and skips the rest.
 * Numbers are parsed straight from the bytes (to within a unit in the last place, plenty for
 * quantized vectors).
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** The longest string or number token read; the window always holds this much ahead. */
const MAX_TOKEN = 1 << 16;

/** Reads more bytes into `into`; returns how many (0 at the end of the input). */
export type ByteSource = (into: Uint8Array) => number;

/**
 * Reads JSON values in order from bytes held in a window that is refilled from a
 * {@link ByteSource}: reading a 300 MB file through a reused 16 MB window is ten times faster here
 * than reading it whole, because fresh memory is slow to touch on this VM. Throws a SyntaxError
 * naming the byte offset.
 */
export class JsonScanner {
  private pos = 0;
  private readonly window: Uint8Array;
  private readonly text: Buffer;
  /** Bytes of the window that hold input; window[end] is always 0, a sentinel no token accepts. */
  private end: number;
  /** Input offset of window[0]. */
  private base = 0;
  private done: boolean;
  private readonly source?: ByteSource;

  /** A scanner over `input`: bytes in memory, or a source read through a window of `windowBytes`. */
  constructor(input: Uint8Array | { source: ByteSource; windowBytes: number }) {
    if (input instanceof Uint8Array) {
      this.window = new Uint8Array(input.length + 1);
      this.window.set(input);
      this.end = input.length;
      this.done = true;
    } else {
      this.window = new Uint8Array(Math.max(input.windowBytes, 2 * MAX_TOKEN) + 1);
      this.source = input.source;
      this.end = 0;
      this.done = false;
      this.ensure(this.window.length - 1);
    }
    this.text = Buffer.from(this.window.buffer);
  }

  /** Makes the next `n` bytes (or all that remain) readable from the window. */
  private ensure(n: number): void {
    if (this.done || this.end - this.pos >= n) return;
    this.window.copyWithin(0, this.pos, this.end);
    this.base += this.pos;
    this.end -= this.pos;
    this.pos = 0;
    while (this.end < this.window.length - 1 && !this.done) {
      const read = this.source!(this.window.subarray(this.end, this.window.length - 1));
      if (read === 0) this.done = true;
      this.end += read;
    }
    this.window[this.end] = 0;
  }

  /** Skips white space; returns the next byte (or -1 at the end) without consuming it. */
  peek(): number {
    const b = this.window;
    for (;;) {
      if (this.pos >= this.end) {
        if (this.done) return -1;
        this.ensure(MAX_TOKEN);
        continue;
      }
      const c = b[this.pos];
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return c;
      this.pos++;
    }
  }

  /** Consumes the character `c` (after white space), or throws. */
  expect(c: string): void {
    if (this.peek() !== c.charCodeAt(0)) this.fail(`expected ${JSON.stringify(c)}`);
    this.pos++;
  }

  /** Consumes `c` if it is next; returns whether it was. */
  accept(c: string): boolean {
    if (this.peek() !== c.charCodeAt(0)) return false;
    this.pos++;
    return true;
  }

  /** Reads a string (of at most 64 KiB). */
  string(): string {
    this.peek();
    this.ensure(MAX_TOKEN); // before the quote is consumed: an escaped string is parsed with its quotes
    this.expect('"');
    const b = this.window;
    const start = this.pos;
    let escaped = false;
    while (this.pos < this.end && b[this.pos] !== 34) {
      if (b[this.pos] === 92) {
        escaped = true;
        this.pos++;
      }
      this.pos++;
    }
    if (this.pos >= this.end) this.fail(this.done ? 'unterminated string' : 'string longer than 64 KiB');
    const end = this.pos++;
    return escaped
      ? (JSON.parse(this.text.toString('utf8', start - 1, end + 1)) as string)
      : this.text.toString('utf8', start, end);
  }

  /** Reads a number. */
  number(): number {
    this.peek();
    this.ensure(MAX_TOKEN);
    const b = this.window;
    // A local cursor: V8 keeps it in a register, this.pos it would store per byte.
    const start = this.pos;
    let p = start;
    let negative = false;
    if (b[p] === 45) {
      negative = true;
      p++;
    }
    let mantissa = 0;
    let scale = 0;
    let digits = 0;
    let c = b[p];
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + c - 48;
      digits++;
      c = b[++p];
    }
    if (c === 46) {
      c = b[++p];
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + c - 48;
        scale++;
        digits++;
        c = b[++p];
      }
    }
    if (c === 101 || c === 69) {
      c = b[++p];
      const sign = c === 45 ? -1 : 1;
      if (c === 45 || c === 43) c = b[++p];
      let exponent = 0;
      while (c >= 48 && c <= 57) {
        exponent = exponent * 10 + c - 48;
        c = b[++p];
      }
      scale -= sign * exponent;
    }
    this.pos = p;
    if (digits === 0) this.fail('expected a number');
    if (digits > 15 || scale > 22 || scale < -22) return Number(this.text.toString('latin1', start, p));
    const value = scale >= 0 ? mantissa / POW10[scale] : mantissa * POW10[-scale];
    return negative ? -value : value;
  }

  /** Skips one value of any kind. */
  skip(): void {
    const c = this.peek();
    if (c === 34) this.string();
    else if (c === 123 || c === 91) {
      const close = c === 123 ? '}' : ']';
      this.pos++;
      if (this.accept(close)) return;
      do {
        if (c === 123) {
          this.string();
          this.expect(':');
        }
        this.skip();
      } while (this.accept(','));
      this.expect(close);
    } else if (c === 116 || c === 102 || c === 110) {
      this.ensure(8);
      while (this.window[this.pos] >= 97 && this.window[this.pos] <= 122) this.pos++;
    } else this.number();
  }

  private fail(message: string): never {
    throw new SyntaxError(`JSON at byte ${this.base + this.pos}: ${message}`);
  }
}
