// SQLite FTS5 through better-sqlite3: a file database, one transaction for the bulk load,
// tokenizer "porter unicode61 remove_diacritics 2", ranking bm25() via ORDER BY rank LIMIT k.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { diskBytes, main } from '../lib/common.mjs';

const TOKENIZE = 'porter unicode61 remove_diacritics 2';
const orQuery = (q) =>
  q
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => `"${t.replaceAll('"', '""')}"`)
    .join(' OR ');

main(() => {
  let db;
  let file;
  let insert;
  let select;
  // rowid -> external id; rowids are assigned densely from 1 in insertion order.
  const ids = [];
  const prepare = () => {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    insert = db.prepare('INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)');
    select = db.prepare('SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?').pluck();
  };
  return {
    name: 'sqlite',
    version: `better-sqlite3 12.11.1, SQLite ${new Database(':memory:').prepare('select sqlite_version()').pluck().get()}`,
    config: `FTS5(title, text) tokenize='${TOKENIZE}', detail=full (bm25 needs term frequencies), bm25() ORDER BY rank LIMIT k; file db, WAL, synchronous=NORMAL, 64 MB page cache; bulk load in one transaction (index time includes COMMIT); 'optimize' after load (timed separately)`,
    reloadNote: 'lazy open (pages are read on demand): time = open + first query, not a full load',
    open(dir) {
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, 'fts.db');
      db = new Database(file);
      db.exec(`CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='${TOKENIZE}')`);
      prepare();
      db.exec('BEGIN');
    },
    add(doc, i) {
      ids[i] = doc.id;
      insert.run(i + 1, doc.title, doc.text);
    },
    endIndex() {
      db.exec('COMMIT');
    },
    optimize() {
      db.exec("INSERT INTO docs(docs) VALUES('optimize')");
    },
    search(q, k) {
      return { ids: select.all(orQuery(q), k).map((r) => ids[r - 1]) };
    },
    stats() {
      return { fileBytes: diskBytes(file) + diskBytes(`${file}-wal`) };
    },
    persist() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return diskBytes(file);
    },
    reload() {
      db = new Database(file);
      prepare();
    },
    close() {
      db.close();
    },
  };
});
