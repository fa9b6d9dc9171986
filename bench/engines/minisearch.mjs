// MiniSearch 7 with its defaults (fields title + text, OR combination, BM25+, no stemming, no prefix/fuzzy).
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { diskBytes, main } from '../lib/common.mjs';

const options = { fields: ['title', 'text'] };

main(() => {
  let ms;
  let file;
  return {
    name: 'minisearch',
    version: '7.2.0',
    config: 'MiniSearch defaults: fields title+text, OR, BM25+ scoring, no stemming; save = JSON.stringify',
    open(dir) {
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, 'index.json');
      ms = new MiniSearch(options);
    },
    add(doc) {
      ms.add(doc);
    },
    search(q, k) {
      const r = ms.search(q);
      return { ids: r.slice(0, k).map((h) => h.id), total: r.length };
    },
    stats() {
      return { documentCount: ms.documentCount, termCount: ms.termCount };
    },
    persist() {
      fs.writeFileSync(file, JSON.stringify(ms));
      return diskBytes(file);
    },
    reload() {
      ms = null;
      ms = MiniSearch.loadJSON(fs.readFileSync(file, 'utf8'), options);
    },
  };
});
