/**
 * @module reader/http-errors
 * What a model endpoint's failure may say in a message: the URL without credentials, the server's
 * own error text, and never the API key (masked even where a server echoes it). Shared by the chat
 * client and the HTTP rerank stages.
 */

/** The URL as it may appear in messages: no user, no password, secret-looking query values masked. */
export function redactUrl(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  for (const key of [...copy.searchParams.keys()]) {
    if (/key|token|secret|sig|auth/i.test(key)) copy.searchParams.set(key, '***');
  }
  return copy.toString();
}

/** `text` with every occurrence of `apiKey` masked. */
export function scrubKey(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('***') : text;
}

/** `HTTP 429 Too Many Requests: <the server's message>`, cut to `maxChars`, the key masked. */
export async function describeHttpError(
  response: Response,
  apiKey: string | undefined,
  maxChars: number,
): Promise<string> {
  let detail = '';
  try {
    const text = (await response.text()).slice(0, 4 * maxChars);
    try {
      const parsed = JSON.parse(text) as {
        error?: { message?: string } | string;
        message?: string;
        detail?: string;
      };
      const found =
        typeof parsed.error === 'string'
          ? parsed.error
          : (parsed.error?.message ?? parsed.message ?? parsed.detail ?? text);
      detail = typeof found === 'string' ? found : text;
    } catch {
      detail = text;
    }
  } catch {
    // the body broke off; the status says enough
  }
  detail = scrubKey(detail.replace(/\s+/g, ' ').trim(), apiKey).slice(0, maxChars);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return detail ? `${status}: ${detail}` : status;
}
