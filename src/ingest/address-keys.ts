/**
 * @module ingest/address-keys
 * The values a `from:` or `to:` filter matches for a list of mail addresses, so that a partial
 * sender finds its mail with the index's plain exact-value filters: the whole address, its local
 * part and the words of it, its domain and each parent domain of two labels or more, and the
 * display name and each word of it. All lower-cased, deduplicated.
 *
 *   "Vince J Kaminski" <vince.kaminski@ect.enron.com>
 *   → vince.kaminski@ect.enron.com, vince.kaminski, vince, kaminski, ect.enron.com, enron.com,
 *     vince j kaminski, j
 */

export interface MailAddress {
  address?: string;
  name?: string;
}

/** Words of a name or local part: runs of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

export function addressKeys(list: readonly MailAddress[]): string[] {
  const out = new Set<string>();
  const words = (s: string) => {
    for (const w of s.match(WORD) ?? []) out.add(w);
  };
  for (const a of list) {
    const address = a.address?.trim().toLowerCase();
    if (address) {
      out.add(address);
      const at = address.lastIndexOf('@');
      const local = at < 0 ? address : address.slice(0, at);
      if (local !== '') {
        out.add(local);
        words(local);
      }
      if (at >= 0) {
        const labels = address.slice(at + 1).split('.');
        for (let i = 0; i + 2 <= labels.length; i++) out.add(labels.slice(i).join('.'));
      }
    }
    const name = a.name?.replace(/\s+/g, ' ').trim().toLowerCase();
    if (name) {
      out.add(name);
      words(name);
    }
  }
  return [...out];
}
