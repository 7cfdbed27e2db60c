#!/usr/bin/env bash
# Measures `integrations import` on N generated history records (default 1,000,000) into a fresh embedded
# PostgreSQL, twice (the second run is the idempotent re-import: every record an upsert of an existing one).
# Needs only Debian packages (PostgreSQL, python3). Usage: bench/import.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
work=$(mktemp -d /tmp/integrations-import-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

swift build -c release --product integrations >/dev/null
echo "generating $count history records..."
python3 bench/generate-history.py "$count" "$work/history.json"
echo "file: $(du -h "$work/history.json" | cut -f1)"
for run in first repeat; do
    start=$(date +%s.%N)
    DATA_DIR=$work/data EMBEDDED_POSTGRES_PORT=54777 LOG_LEVEL=warning \
        .build/release/integrations import --history "$work/history.json" </dev/null | tail -1
    end=$(date +%s.%N)
    echo "$run import: $(python3 -c "print(f'{$count / ($end - $start):,.0f} records/s over {$end - $start:.1f} s')")"
done
