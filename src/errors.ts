/**
 * @module errors
 * One error base class with a code table. Messages name the subject and show the value, in the
 * "actual vs expected" form. Only the CLI maps codes to exit codes; library code only throws.
 */

export const ERROR_CODES = {
  INVALID_ARGUMENT: 'invalid argument',
  CORRUPT_INDEX: 'corrupt index file',
  FORMAT_TOO_OLD: 'index format too old',
  FORMAT_TOO_NEW: 'index format too new',
  INDEX_NOT_FOUND: 'index not found',
  INDEX_LOCKED: 'index locked by another process',
  INDEX_CLOSED: 'index closed',
  BAD_INPUT: 'bad input',
  IO: 'input/output error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error the library throws on purpose. */
export class FunnelError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunnelError';
    this.code = code;
  }
}

/** An argument outside its documented domain, e.g. `bm25: illegal k1=-1, must be >= 0`. */
export class InvalidArgumentError extends FunnelError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'InvalidArgumentError';
  }
}

/** A file that fails its magic, version, length or checksum test. Carries the file path. */
export class CorruptIndexError extends FunnelError {
  readonly resource: string;
  constructor(resource: string, message: string) {
    super('CORRUPT_INDEX', `${resource}: ${message}`);
    this.name = 'CorruptIndexError';
    this.resource = resource;
  }
}

/** A file written by another format version than this build reads. */
export class IndexFormatError extends FunnelError {
  readonly resource: string;
  constructor(resource: string, actual: number, supported: number) {
    super(
      actual < supported ? 'FORMAT_TOO_OLD' : 'FORMAT_TOO_NEW',
      `${resource}: format version mismatch: actual version=${actual} vs supported ${supported}`,
    );
    this.name = 'IndexFormatError';
    this.resource = resource;
  }
}

/** Input that cannot be indexed (a broken JSONL line, a missing file); names the input. */
export class BadInputError extends FunnelError {
  readonly source: string;
  constructor(source: string, message: string) {
    super('BAD_INPUT', `${source}: ${message}`);
    this.name = 'BadInputError';
    this.source = source;
  }
}
