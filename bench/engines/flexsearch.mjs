// FlexSearch 0.8: Index over title + text, tokenize "strict", resolution 9 (scored by term position),
// queries with suggest: true so that documents matching only some terms are returned (OR-like).
import fs from 'node:fs';
import path from 'node:path';
import { Index } from 'flexsearch';
import { diskBytes, main } from '../lib/common.mjs';

const options = { tokenize: 'strict', resolution: 9 };

main(() => {
  let index;
  let dir;
  let ids = [];
  return {
    name: 'flexsearch',
    version: '0.8.212',
    config:
      'FlexSearch Index: tokenize strict, resolution 9 (positional scoring, not BM25), default encoder; search suggest:true; save = export()',
    open(d) {
      dir = path.join(d, 'export');
      fs.mkdirSync(dir, { recursive: true });
      index = new Index(options);
    },
    add(doc, i) {
      ids[i] = doc.id;
      index.add(i, `${doc.title}\n${doc.text}`);
    },
    search(q, k) {
      const r = index.search(q, { limit: k, suggest: true });
      return { ids: r.map((i) => ids[i]) };
    },
    async persist() {
      const keys = [];
      await index.export((key, data) => {
        keys.push(key);
        fs.writeFileSync(path.join(dir, String(key)), data ?? '');
      });
      fs.writeFileSync(path.join(dir, '_keys.json'), JSON.stringify(keys));
      fs.writeFileSync(path.join(dir, '_ids.json'), JSON.stringify(ids));
      return diskBytes(dir);
    },
    async reload() {
      index = null;
      index = new Index(options);
      ids = JSON.parse(fs.readFileSync(path.join(dir, '_ids.json'), 'utf8'));
      for (const key of JSON.parse(fs.readFileSync(path.join(dir, '_keys.json'), 'utf8'))) {
        await index.import(key, fs.readFileSync(path.join(dir, String(key)), 'utf8'));
      }
    },
  };
});
