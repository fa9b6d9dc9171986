// Orama 3 with its defaults (BM25, english tokenizer, no stemming, threshold 1 = OR semantics).
import fs from 'node:fs';
import path from 'node:path';
import { create, insert, load, save, search } from '@orama/orama';
import { diskBytes, main } from '../lib/common.mjs';

const schema = { title: 'string', text: 'string' };

main(() => {
  let db;
  let file;
  return {
    name: 'orama',
    version: '3.1.18',
    config:
      'Orama defaults: schema title+text (string), BM25, threshold 1 (OR); save = save() + JSON per part',
    open(dir) {
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, 'index.json');
      db = create({ schema });
    },
    add(doc) {
      insert(db, doc);
    },
    search(q, k) {
      const r = search(db, { term: q, limit: k });
      return { ids: r.hits.map((h) => h.id), total: r.count };
    },
    persist() {
      // one file per part of save(): a single JSON string of a large index exceeds V8's string limit
      const raw = save(db);
      const parts = Object.keys(raw);
      for (const key of parts) {
        let json;
        try {
          json = JSON.stringify(raw[key]);
        } catch (e) {
          throw new Error(`JSON of save().${key} exceeds V8's string limit (${e.message})`);
        }
        fs.writeFileSync(`${file}.${key}`, json);
      }
      fs.writeFileSync(file, JSON.stringify(parts));
      return parts.reduce((n, key) => n + diskBytes(`${file}.${key}`), diskBytes(file));
    },
    reload() {
      db = null;
      db = create({ schema });
      const raw = {};
      for (const key of JSON.parse(fs.readFileSync(file, 'utf8'))) {
        raw[key] = JSON.parse(fs.readFileSync(`${file}.${key}`, 'utf8'));
      }
      load(db, raw);
    },
  };
});
