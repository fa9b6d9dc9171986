#!/usr/bin/env node
// Cuts the documents of a corpus.jsonl (such as ../shared/tools/synth-corpus.mjs output) into
// passages of about --words words and writes the first --count of them: the "1 M passages" index of
// the funnel latency target. Usage:
//   node bench/make-passages.mjs --from synth-1G.jsonl --out passages-1M.jsonl [--count 1000000] [--words 200]
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    out: { type: 'string' },
    count: { type: 'string', default: '1000000' },
    words: { type: 'string', default: '200' },
  },
});
if (!args.from || !args.out)
  throw new Error('usage: make-passages.mjs --from <corpus.jsonl> --out <passages.jsonl>');
const count = Number(args.count);
const size = Number(args.words);
const out = fs.createWriteStream(args.out);
const lines = readline.createInterface({ input: fs.createReadStream(args.from), crlfDelay: Infinity });
let n = 0;
for await (const line of lines) {
  const doc = JSON.parse(line);
  const words = String(doc.text ?? '')
    .split(/\s+/)
    .filter(Boolean);
  for (let i = 0, p = 0; i < words.length && n < count; i += size, p++) {
    const passage = {
      _id: `${doc._id}#${p}`,
      title: doc.title ?? '',
      text: words.slice(i, i + size).join(' '),
    };
    n++;
    if (!out.write(`${JSON.stringify(passage)}\n`)) await new Promise((r) => out.once('drain', r));
  }
  if (n >= count) break;
}
lines.close();
await new Promise((r) => out.end(r));
console.log(`${n} passages of about ${size} words → ${args.out}`);
