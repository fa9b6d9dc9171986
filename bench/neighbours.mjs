#!/usr/bin/env node
// Word-vector neighbour search speed: `neighbours(word, 10)` over the 100,000 most frequent words
// for 300 distinct words after a warm-up, in three rounds of 100; ms a word. Run after `npm run build`:
//   node bench/neighbours.mjs
import { loadEmbeddings } from '../dist/expand/index.js';

const embeddings = await loadEmbeddings();
const words = [];
for (let r = 7; r < 100_000 && words.length < 300; r += 331) words.push(embeddings.word(r));
embeddings.neighbours('house', 10); // the first search copies the vectors for the kernel
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  for (const w of words.slice(round * 100, round * 100 + 100)) embeddings.neighbours(w, 10);
  console.log(`round ${round + 1}: ${((performance.now() - started) / 100).toFixed(2)} ms a word`);
}
