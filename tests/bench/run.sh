#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks mfa against its peers in the same run and prints a table:
#  - per-call latency of `mfa verify` (a whole process, a valid code, the
#    durable replay-protection write) on databases of 1,000, 100,000 and
#    1,000,000 users, beside `oathtool --totp -w 1` validating a code and
#    `sqlite3` doing one durable single-row UPDATE on the same database;
#  - in-process library verify throughput against bare durable SQLite
#    commits, and the HMAC cost of one code (Google Benchmark);
#  - `users import` of 100,000 rows against `sqlite3 .import` of the same
#    CSV, and `enroll --batch` of 10,000 users;
#  - peak RSS of verify, enroll and import.
# Usage: tests/bench/run.sh [--quick]   (--quick: 1,000 and 100,000 users only)
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD
QUICK=${1:-}

sh .ci/install-deps bench
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMFA_BUILD_BENCH=ON -DMFA_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 >/dev/null
MFA=$SRC/build-bench/app/mfa

WORK=${MFA_BENCH_DIR:-$(mktemp -d /var/tmp/mfa-bench-XXXXXX)}
mkdir -p "$WORK"
RESULTS=$WORK/results
mkdir -p "$RESULTS"
echo "working in $WORK" >&2
export MFA_ACTOR=bench

make_csv() { # ROWS FILE
  python3 - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1])
print("name,type,auth,email")
for i in range(n):
    kind = "internal" if i % 4 else "external"
    auth = "sso" if i % 10 == 0 else "password"
    print(f"user{i:07d},{kind},{auth},user{i}@example.com")
PY
}

code_at() { oathtool --totp -b "$1" -N "@$(($(date +%s) + ${2:-0}))"; }

# A database of N users with one enrolled user "bench"; prints its secret.
make_db() { # N DB
  local n=$1 db=$2 csv=$WORK/users-$1.csv secret
  [ -f "$csv" ] || make_csv "$n" "$csv"
  rm -f "$db" "$db-wal" "$db-shm" "${db%/*}/mfa.key"
  "$MFA" --db "$db" users import "$csv" 2>/dev/null
  "$MFA" --db "$db" -y options set internalMFA required >/dev/null 2>&1
  "$MFA" --db "$db" users add bench >/dev/null 2>&1
  secret=$("$MFA" --db "$db" enroll bench --qr none 2>/dev/null | sed -n 's/^secret: //p')
  "$MFA" --db "$db" enroll bench --confirm "$(code_at "$secret" -30)" >/dev/null 2>&1 \
    || "$MFA" --db "$db" enroll bench --confirm "$(code_at "$secret" -30)" >/dev/null 2>&1
  sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
  echo "$secret"
}

sizes="1000 100000 1000000"
[ "$QUICK" = "--quick" ] && sizes="1000 100000"

for n in $sizes; do
  mkdir -p "$WORK/db-$n"
  db=$WORK/db-$n/mfa.db
  echo "building a database of $n users" >&2
  secret=$(make_db "$n" "$db")
  hex=$(python3 -c 'import base64,sys; s=sys.argv[1]; print(base64.b32decode(s + "=" * (-len(s) % 8)).hex())' "$secret")
  code=$(code_at "$secret")
  # Each timed run verifies a fresh code: the prepare step (not timed) forgets
  # the last used step, so the run does the full durable write.
  reset="sqlite3 $db \"UPDATE enrollments SET last_step = NULL\""
  hyperfine -N --warmup 5 --runs 60 --export-json "$RESULTS/verify-$n.json" \
    --prepare "$reset" -n "mfa verify ($n users)" "$MFA --db $db verify bench $code" \
    --prepare "true" -n "oathtool --totp -w 1" "oathtool --totp -w 1 $hex $code" \
    --prepare "true" -n "sqlite3 durable UPDATE" \
    "sqlite3 -cmd \"PRAGMA synchronous=FULL\" $db \"UPDATE users SET failed_attempts = 0 WHERE name = 'bench'\"" \
    >"$RESULTS/verify-$n.txt"
done

echo "in-process throughput (Google Benchmark)" >&2
MFA_BENCH_DIR=$WORK "$SRC/build-bench/tests/bench/bench_verify" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$RESULTS/gbench.json" 2>/dev/null

echo "provisioning" >&2
[ -f "$WORK/users-100000.csv" ] || make_csv 100000 "$WORK/users-100000.csv"
prov=$WORK/prov
mkdir -p "$prov"
cat >"$prov/schema.sql" <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE users (name TEXT NOT NULL UNIQUE, type TEXT NOT NULL, auth TEXT NOT NULL, email TEXT);
SQL
hyperfine -N --warmup 1 --runs 5 --export-json "$RESULTS/import.json" \
  --prepare "rm -f $prov/import.db $prov/import.db-wal $prov/import.db-shm $prov/mfa.key" \
  -n "mfa users import (100000 rows)" "$MFA --db $prov/import.db users import $WORK/users-100000.csv" \
  --prepare "sh -c 'rm -f $prov/sqlite.db* && sqlite3 $prov/sqlite.db <$prov/schema.sql >/dev/null'" \
  -n "sqlite3 .import (100000 rows)" "sqlite3 $prov/sqlite.db \".import --csv --skip 1 $WORK/users-100000.csv users\"" \
  >"$RESULTS/import.txt"

# 10,000 users enrolled in one batch, secrets sealed, JSON lines written.
rm -f "$prov/enroll.db"*
head -n 10001 "$WORK/users-100000.csv" | sed 's/,sso,/,password,/' >"$prov/enroll.csv"
"$MFA" --db "$prov/enroll.db" users import "$prov/enroll.csv" 2>/dev/null
"$MFA" --db "$prov/enroll.db" -y options set internalMFA required >/dev/null 2>&1
"$MFA" --db "$prov/enroll.db" -y options set externalMFA required >/dev/null 2>&1
tail -n +2 "$prov/enroll.csv" | cut -d, -f1 >"$prov/names.txt"
hyperfine -N --warmup 1 --runs 5 --export-json "$RESULTS/enroll.json" \
  --prepare "sqlite3 $prov/enroll.db \"DELETE FROM enrollments\"" \
  -n "mfa enroll --batch (10000 users)" \
  "sh -c '$MFA --db $prov/enroll.db enroll --batch $prov/names.txt >$prov/enroll.jsonl'" >"$RESULTS/enroll.txt"

echo "peak memory" >&2
db=$WORK/db-1000/mfa.db
secret=$(make_db 1000 "$db")
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
{
  echo "verify $(rss "$MFA" --db "$db" verify bench "$(code_at "$secret")")"
  "$MFA" --db "$db" users add fresh >/dev/null 2>&1
  echo "enroll $(rss "$MFA" --db "$db" enroll fresh --qr utf8)"
  rm -f "$prov/rss.db"*
  echo "import $(rss "$MFA" --db "$prov/rss.db" users import "$WORK/users-100000.csv")"
} >"$RESULTS/rss.txt"

python3 "$SRC/tests/bench/report.py" "$RESULTS" "$sizes"
