#!/usr/bin/python3
"""Xapian peer for the Funnel benchmark (run with Debian's /usr/bin/python3 and python3-xapian).

Same protocol as the JavaScript adapters (see lib/common.mjs): argv[1] is the job JSON file;
partial results are printed as JSON lines on stdout, progress on stderr.
Config: glass database on disk, TermGenerator with the english Snowball stemmer, STEM_ALL,
no positions (wdf is kept, so BM25 is exact), BM25Weight() defaults, OP_OR query of stemmed terms.
"""
import gc
import json
import math
import os
import resource
import sys
import time

import xapian


def now_ms():
    return time.perf_counter_ns() / 1e6


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def log(msg):
    sys.stderr.write("[xapian] " + msg + "\n")
    sys.stderr.flush()


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(s)))
    return s[rank - 1]


def summarize(values):
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": percentile(values, 100),
        "mean": sum(values) / len(values),
    }


def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def disk_bytes(p):
    total = 0
    for root, _, files in os.walk(p):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def read_batches(path, max_docs, batch_size):
    batch, nbytes, count = [], 0, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if count >= max_docs:
                break
            if not line.strip():
                continue
            o = json.loads(line)
            d = (str(o.get("_id", o.get("id"))), o.get("title") or "", o.get("text") or "")
            batch.append(d)
            nbytes += len(d[1].encode("utf-8")) + len(d[2].encode("utf-8"))
            count += 1
            if len(batch) >= batch_size:
                yield batch, nbytes
                batch, nbytes = [], 0
    if batch:
        yield batch, nbytes


class Engine:
    def __init__(self, path):
        self.path = path
        self.stem = xapian.Stem("english")
        self.tg = xapian.TermGenerator()
        self.tg.set_stemmer(self.stem)
        self.tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
        self.ids = [None]  # docid -> external id (docids start at 1)
        self.db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        self._enquire()

    def _enquire(self):
        self.enq = xapian.Enquire(self.db)
        self.enq.set_weighting_scheme(xapian.BM25Weight())

    def add(self, doc):
        x = xapian.Document()
        self.tg.set_document(x)
        self.tg.index_text_without_positions(doc[1])
        self.tg.index_text_without_positions(doc[2])
        docid = self.db.add_document(x)
        if docid >= len(self.ids):
            self.ids.extend([None] * (docid - len(self.ids) + 1))
        self.ids[docid] = doc[0]

    def search(self, q, k):
        terms = [self.stem(t.lower()) for t in q.split()]
        self.enq.set_query(xapian.Query(xapian.Query.OP_OR, terms))
        m = self.enq.get_mset(0, k)
        return [self.ids[h.docid] for h in m]


def run_queries(eng, queries, warm_queries, k, job, keep_top):
    budget = job.get("phaseBudget", 120) * 1000
    warm = min(job.get("warmup", 20), len(warm_queries))
    start = now_ms()
    # warm-up uses the other set's queries, so that no measured query was seen before
    for i in range(warm):
        if now_ms() - start > budget:
            break
        eng.search(warm_queries[len(warm_queries) - 1 - i], k)
    lat, hits, top = [], 0, []
    for q in queries:
        if now_ms() - start > budget:
            break
        t0 = now_ms()
        r = eng.search(q, k)
        lat.append(now_ms() - t0)
        hits += len(r)
        if keep_top:
            top.append(r[:10])
    out = summarize(lat)
    out["of"] = len(queries)
    if len(lat) < len(queries):
        out["partial"] = "time budget of %s s reached" % job.get("phaseBudget", 120)
    out["avgHits"] = hits / len(lat) if lat else 0
    if keep_top:
        out["top10"] = top
    return out


def main():
    job = json.load(open(sys.argv[1]))
    work = json.load(open(job["workloadFile"]))
    emit(
        {
            "engine": "xapian",
            "version": "xapian " + xapian.version_string(),
            "config": "Xapian glass db on disk, TermGenerator english stemmer STEM_ALL, no positions (wdf kept), "
            "BM25Weight() defaults, OP_OR of stemmed terms, get_mset(0, k); index time includes commit()",
        }
    )
    gc.collect()
    mem0 = rss()
    path = os.path.join(job["workDir"], "xapian.db")
    os.makedirs(job["workDir"], exist_ok=True)
    eng = Engine(path)
    max_docs = job.get("maxDocs") or float("inf")
    # Wall clock from the first byte read to commit() (reading and JSON parsing included, as for
    # every engine); engine_ms counts only the engine's own calls.
    engine_ms, docs, raw = 0.0, 0, 0
    wall_start = now_ms()
    next_log = now_ms() + 10000
    for batch, nbytes in read_batches(job["corpusFile"], max_docs, job.get("batchSize", 1000)):
        t0 = now_ms()
        for d in batch:
            eng.add(d)
        engine_ms += now_ms() - t0
        docs += len(batch)
        raw += nbytes
        if now_ms() > next_log:
            log("indexed %d docs in %.1f s" % (docs, (now_ms() - wall_start) / 1000))
            next_log = now_ms() + 10000
    t0 = now_ms()
    eng.db.commit()
    engine_ms += now_ms() - t0
    secs = (now_ms() - wall_start) / 1000
    emit(
        {
            "index": {
                "docs": docs,
                "rawBytes": raw,
                "seconds": secs,
                "timing": "wall clock from the first byte read to commit(), JSON reading and parsing included",
                "engineSeconds": engine_ms / 1000,
                "engineMbPerSec": raw / 1e6 / (engine_ms / 1000),
                "mbPerSec": raw / 1e6 / secs,
                "docsPerSec": docs / secs,
            }
        }
    )
    log("indexed %d docs, %.1f MB in %.2f s" % (docs, raw / 1e6, secs))
    gc.collect()
    emit(
        {
            "memory": {
                "rssBytes": rss() - mem0,
                "heapBytes": None,
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "engineStats": {"diskBytes": disk_bytes(path), "doccount": eng.db.get_doccount()},
            }
        }
    )

    plain = [q["text"] for q in work["queries"]]
    sets = [("plain", plain, work["expanded"]), ("expanded", work["expanded"], plain)]
    for set_name, queries, warm_queries in sets:
        for k in job["ks"]:
            key = "%s@%d" % (set_name, k)
            try:
                res = run_queries(eng, queries, warm_queries, k, job, set_name == "plain" and k == 10)
                res["key"] = key
                emit({"query": res})
            except Exception as e:  # noqa: BLE001
                emit({"query": {"key": key, "na": "error: %s" % e}})
            log("queries %s done" % key)

    # freshness: add, then search the unique token on the same WritableDatabase (sees uncommitted docs)
    lat, not_found = [], 0
    for f in work["fresh"]:
        t0 = now_ms()
        eng.add((f["id"], f["title"], f["text"]))
        found = False
        while not found and now_ms() - t0 < 5000:
            found = f["id"] in eng.search(f["token"], 10)
        if found:
            lat.append(now_ms() - t0)
        else:
            not_found += 1
    fr = summarize(lat)
    fr["notFound"] = not_found
    emit({"freshness": fr})

    # persist + reload
    t0 = now_ms()
    eng.db.commit()
    eng.db.close()
    with open(path + ".ids.json", "w") as f:
        json.dump(eng.ids, f)
    persist_s = (now_ms() - t0) / 1000
    nbytes = disk_bytes(path) + os.path.getsize(path + ".ids.json")
    eng.ids = None
    t0 = now_ms()
    eng.db = xapian.Database(path)
    with open(path + ".ids.json") as f:
        eng.ids = json.load(f)
    eng._enquire()
    open_ms = now_ms() - t0
    r = eng.search(work["queries"][0]["text"], 10)
    secs = (now_ms() - t0) / 1000
    emit(
        {
            "reload": {
                "bytes": nbytes,
                "persistSeconds": persist_s,
                "openSeconds": open_ms / 1000,
                "seconds": secs,
                "mbPerSec": nbytes / 1e6 / secs,
                "firstQueryHits": len(r),
                "note": "lazy open (blocks are read on demand): time = open + first query, not a full load",
            }
        }
    )
    eng.db.close()
    emit({"done": True})


if __name__ == "__main__":
    main()
