#!/bin/bash
# Interleaved A/B of folder ingestion through the real CLI: each round indexes the tree once with
# every checkout in turn (into a fresh index), under /usr/bin/time: wall, user and sys CPU, peak
# RSS, page faults. Runs alternate so that the machine's changes of speed fall on all of them.
# Usage: bench/ab-index.sh <rounds> <checkout> <checkout> [...]   (TREE=/tmp/funnel-docs-tree)
# A checkout is a folder with `npm run build` done; the tree is the one bench/ingest.mjs writes.
set -euo pipefail
rounds=$1
shift
tree=${TREE:-/tmp/funnel-docs-tree}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
  for dir in "$@"; do
    rm -rf "$out/index"
    /usr/bin/time -f "$(basename "$dir") %e s wall %U user %S sys %M KB peak %R page faults" \
      node "$dir/bin/funnel.js" index "$tree" --index "$out/index" --json >/dev/null 2>"$out/err" || true
    tail -1 "$out/err"
  done
done
