// Shared by the funnel benches (funnel-latency.mjs, ab-funnel.mjs): queries made from a corpus's
// titles, and profiles by name.
import fs from 'node:fs';

/** The lines of the first 64 MB of a JSONL corpus (the last one, perhaps cut, dropped). */
export function corpusHead(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(64 << 20);
  const head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  fs.closeSync(fd);
  return head.split('\n').slice(0, -1);
}

/**
 * Up to `count` queries: the first `words` words of the titles of every `step`-th line from
 * `offset` on (lines with a blank title skipped).
 */
export function titleQueries(lines, { count, words, step, offset = 0 }) {
  const out = [];
  for (let i = offset; i < lines.length && out.length < count; i += step) {
    const q = (JSON.parse(lines[i]).title ?? '').split(/\s+/).slice(0, words).join(' ');
    if (q.trim()) out.push(q);
  }
  return out;
}

/**
 * A profile by name, from a build's `funnel/profile.js` module: a built-in one, or `bm25-<width>`
 * (BM25 to that width, then the learned ranker to 117).
 */
export function benchProfile(profiles, name) {
  const builtIn = profiles.loadProfiles().get(name);
  if (builtIn) return builtIn;
  const width = /^bm25-(\d+)$/.exec(name);
  if (!width) throw new Error(`no profile ${name}`);
  const stages = [
    { kind: 'retrieve', model: 'bm25', keep: Number(width[1]) },
    { kind: 'rerank', model: 'ltr', keep: 117 },
  ];
  return profiles.validateProfile({ stages }, name);
}
