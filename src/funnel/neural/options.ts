/**
 * @module funnel/neural/options
 * Reading a neural stage's settings: each comes from the stage's `options` in the profile, else from
 * an environment variable, else a default; a value of the wrong type is an error naming the stage
 * and the option. The endpoint shown in errors has its credentials and secret-looking query values
 * masked; the API key itself never appears in a message.
 */

import { InvalidArgumentError } from '../../errors.js';

/** Where a stage's settings come from. */
export interface OptionSource {
  /** The stage label, e.g. `2:embed`, used in error messages. */
  stage: string;
  options: Record<string, unknown>;
  env: Record<string, string | undefined>;
}

/** A string option, or the environment variable `envName`, or undefined. */
export function stringOption(src: OptionSource, name: string, envName?: string): string | undefined {
  const v = src.options[name];
  if (v !== undefined) {
    if (typeof v !== 'string' || v === '') {
      throw new InvalidArgumentError(
        `${src.stage}: illegal option ${name}=${JSON.stringify(v)}, must be a non-empty string`,
      );
    }
    return v;
  }
  const e = envName ? src.env[envName] : undefined;
  return e ? e : undefined;
}

/** A string option that must be set, naming both the option and its variable when it is not. */
export function requiredString(src: OptionSource, name: string, envName: string): string {
  const v = stringOption(src, name, envName);
  if (v === undefined) {
    throw new InvalidArgumentError(`${src.stage}: no ${name}: set options.${name} or ${envName}`);
  }
  return v;
}

/** A number option in [min, max] (an integer when `integer`), else `fallback`. */
export function numberOption(
  src: OptionSource,
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false } = {},
): number {
  const v = src.options[name];
  if (v === undefined) return fallback;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    throw new InvalidArgumentError(
      `${src.stage}: illegal option ${name}=${JSON.stringify(v)}, must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`,
    );
  }
  return v;
}

/** `{base}/{path}` as a URL, for http and https only. */
export function endpointUrl(src: OptionSource, baseUrl: string, path: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError(`${src.stage}: illegal base URL ${JSON.stringify(redactText(baseUrl))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(
      `${src.stage}: illegal base URL protocol ${url.protocol}, expected http or https`,
    );
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url;
}

export { redactUrl } from '../../reader/http-errors.js';

/** An unparsable URL as it may appear in messages: anything between `//` and `@` masked. */
function redactText(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//***@');
}
