// Converts the query expansion resources (WordNet, word vectors) into the cache folder
// ($FUNNEL_CACHE, else ~/.cache/funnel) and prints what loading and querying them costs.
// Needs the compiled library: `npm run build` first. Usage: node scripts/expand/build-resources.mjs

import { cacheDir, expandQuery, loadEmbeddings, loadWordNet } from '../../dist/expand/index.js';

const WORDS = [
  'restaurant',
  'car',
  'mouse',
  'computer',
  'river',
  'doctor',
  'music',
  'election',
  'cheap',
  'run',
];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function timeEach(label, fn, rounds = 3) {
  for (const w of WORDS) fn(w); // warm up
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const w of WORDS) fn(w);
  const ms = (performance.now() - start) / (rounds * WORDS.length);
  console.log(`${label}: ${ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`} per call`);
}

console.log(`cache folder: ${cacheDir()}`);

for (const pass of ['first', 'second']) {
  const before = process.memoryUsage().arrayBuffers;
  const wordnet = await loadWordNet();
  const embeddings = await loadEmbeddings();
  const held = process.memoryUsage().arrayBuffers - before;
  for (const r of [wordnet.report, embeddings.report]) {
    console.log(
      `${pass} load: ${r.file}: ${r.built ? 'built' : 'read'} in ${r.ms.toFixed(0)} ms, ${mb(r.bytes)} on disk`,
    );
  }
  console.log(
    `${pass} load: typed arrays held: ${mb(held)} (WordNet ${mb(wordnet.memoryBytes)}, vectors ${mb(embeddings.memoryBytes)})`,
  );
  if (pass === 'second') {
    timeEach('WordNet synonyms', (w) => wordnet.synonyms(w));
    timeEach(`neighbours k=10 over ${embeddings.neighbourCandidates} words`, (w) =>
      embeddings.neighbours(w, 10),
    );
    timeEach(`neighbours k=10 over all ${embeddings.size} words`, (w) =>
      embeddings.neighbours(w, 10, Infinity),
    );
    timeEach('expandQuery, one word, both resources', (w) => expandQuery([w], { wordnet, embeddings }));
  }
}
