#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks mfa against its peers and floors in the same run, and prints one
# table (tests/bench/report.py):
#  - `mfa verify` as a whole process, an accepted login with its durable
#    write, in every state a real database goes through: checkpointed by
#    hand (1,000 users), just after `users import` of 100,000 and of
#    1,000,000 users, after `enroll --batch` of 10,000, with 1,000,000 audit
#    rows of logins, just after `audit prune` of them, and while another
#    process holds a read transaction open; and a login of an unknown name
#    on 1,000,000 users. Beside each: a `sqlite3` process doing one durable
#    UPDATE of the same database in the same state, and the -wal size;
#  - in-process library verify against bare durable SQLite commits, and the
#    HMAC cost of one code (Google Benchmark);
#  - logins per second with 1, 2, 4, 8 and 16 processes verifying at once,
#    beside the folder's fsync rate;
#  - PostgreSQL beside SQLite, on a throwaway PostgreSQL 15 server started
#    here (tests/bench/pg.sh, durable commits): `mfa verify` against a psql
#    process's durable UPDATE, the round trips of one login, and logins per
#    second of 1, 4 and 16 whole `mfa verify` processes at once on each;
#  - `users import` of 100,000 rows against `sqlite3 .import` of the same
#    CSV, and `enroll --batch` of 10,000 users;
#  - peak RSS of verify, enroll, and import (accepted, and a 50 MB CSV
#    rejected at its last row).
# Every timed `mfa verify` is a fresh login: each run verifies another
# enrolled user (a hyperfine parameter list), so no step between runs
# touches the database. The first 5 runs of a state are a warm-up.
# Usage: tests/bench/run.sh [--quick]   (--quick: no 1,000,000-user database,
# and fewer whole-process logins a concurrency; every row is still printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$PWD
QUICK=${1:-}

sh .ci/install-deps bench
. "$SRC/tests/bench/pg.sh"
if [ ! -x "$PGBIN/postgres" ] || [ ! -x "$PGBIN/psql" ]; then
  echo "no PostgreSQL 15 server in $PGBIN (Debian's postgresql-15; or set MFA_BENCH_PGBIN)" >&2
  exit 1
fi
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMFA_BUILD_BENCH=ON -DMFA_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 >/dev/null 2>&1
MFA=$SRC/build-bench/app/mfa
LOGINS=$SRC/build-bench/tests/bench/bench_logins

WORK=${MFA_BENCH_DIR:-$(mktemp -d /var/tmp/mfa-bench-XXXXXX)}
mkdir -p "$WORK"
RESULTS=$WORK/results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
echo "working in $WORK" >&2
export MFA_ACTOR=bench MFA_CONFIG=/dev/null
# The server's folder: outside WORK, which its owner may not reach.
PGDIR=$(mktemp -d /var/tmp/mfa-bench-pg-XXXXXX)
trap 'pg_stop "$PGDIR" "$WORK/postgres.log"' EXIT
pg_start "$PGDIR"
RUNS=${MFA_BENCH_RUNS:-60}   # timed logins per state, after 5 of warm-up

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
csv_for() { # ROWS: prints the CSV's path, made once
  local csv=$WORK/users-$1.csv
  [ -f "$csv" ] || make_csv "$1" "$csv"
  echo "$csv"
}

# A database with MFA required and BENCH_USERS enrolled users b0, b1, ...
# (enrolled before anything else, so each state below is as its own step
# left it, never checkpointed or tidied by the benchmark).
new_db() { # DB BENCH_USERS
  rm -rf "${1%/*}"
  mkdir -p "${1%/*}"
  "$MFA" --db "$1" init >/dev/null 2>&1
  "$MFA" --db "$1" -y options set internalMFA required >/dev/null 2>&1
  "$MFA" --db "$1" -y options set externalMFA required >/dev/null 2>&1
  "$LOGINS" enroll "$1" b "$2"
}

wal_size() { stat -c %s "$1-wal" 2>/dev/null || echo 0; }

# The floor: a sqlite3 process doing one durable UPDATE, keeping the WAL as
# mfa does (no checkpoint at close, the -wal and -shm left in place). By
# default the last sqlite3 connection checkpoints and deletes them: more
# syncs than mfa pays, and a database tidied between the states measured.
peer_update() { # DB: the peer's command line, one durable UPDATE of DB
  echo "sqlite3 -cmd \".dbconfig no_ckpt_on_close on\" -cmd \".filectrl persist_wal 1\" -cmd \"PRAGMA synchronous=FULL\"" \
    "$1 \"UPDATE users SET failed_attempts = 1 - failed_attempts WHERE name = 'b0'\""
}

# Times logins of bench users FROM.. on DB in its present state, and the
# peer's durable UPDATE of the same database beside them (by default a
# sqlite3 process's).
NEXT_USER=0
measure_state() { # NAME DB [PEER_COMMAND]
  local name=$1 db=$2 peer=${3:-$(peer_update "$2")} list
  echo "$name" >"$RESULTS/state-$name.name"
  wal_size "$db" >"$RESULTS/state-$name.wal-before"
  list=$("$LOGINS" codes "$db" b "$NEXT_USER" $((RUNS + 5)))
  NEXT_USER=$((NEXT_USER + RUNS + 5))
  hyperfine -N --runs 1 --export-json "$RESULTS/state-$name.mfa.json" -L login "$list" \
    "$MFA --db '$db' verify {login}" >/dev/null 2>&1
  wal_size "$db" >"$RESULTS/state-$name.wal-after"
  # The row changes each time (setting a value to itself writes nothing).
  hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$RESULTS/state-$name.peer.json" \
    -n "durable UPDATE" "$peer" >/dev/null
}

echo "verify in each state of a database" >&2
states=()
db=$WORK/db-1k/mfa.db
new_db "$db" 70
"$MFA" --db "$db" users import "$(csv_for 1000)" >/dev/null 2>&1
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
NEXT_USER=0; measure_state checkpointed-1k "$db"; states+=(checkpointed-1k)

db=$WORK/db-100k/mfa.db
new_db "$db" 330
/usr/bin/time -f %M -o "$RESULTS/rss-import-100k" "$MFA" --db "$db" users import "$(csv_for 100000)" >/dev/null 2>&1
NEXT_USER=0; measure_state after-import-100k "$db"; states+=(after-import-100k)
awk -F, 'NR > 1 && $3 == "password" && n < 10000 { print $1; n++ }' "$(csv_for 100000)" >"$WORK/batch.txt"
"$MFA" --db "$db" enroll --batch "$WORK/batch.txt" >"$WORK/batch.jsonl" 2>/dev/null
measure_state after-enroll-batch-10k "$db"; states+=(after-enroll-batch-10k)
# A year of logins: 1,000,000 audit rows as `mfa verify` writes them, a
# day before now, written in one transaction by sqlite3.
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
  INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value, reason)
  SELECT strftime('%s', 'now') - 86400 - 31536000 + i * 31, 'bench', 'verify', 'user',
         printf('user%07d', i % 100000), NULL, 'accepted (totp)', NULL FROM n" >/dev/null
measure_state audit-1m-logins "$db"; states+=(audit-1m-logins)
"$MFA" --db "$db" -y audit prune --before "$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null 2>&1
measure_state after-audit-prune "$db"; states+=(after-audit-prune)
# A reader that holds its snapshot for the whole state.
mkfifo "$WORK/reader.fifo"
python3 - "$db" "$WORK/reader.fifo" <<'PY' &
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN")
c.execute("SELECT count(*) FROM users").fetchone()
with open(sys.argv[2], "w") as f:
    f.write("reading\n")
with open(sys.argv[2]) as f:
    f.read()
c.execute("COMMIT")
PY
reader=$!
read -r _ <"$WORK/reader.fifo"
measure_state reader-holding-snapshot "$db"; states+=(reader-holding-snapshot)
echo done >"$WORK/reader.fifo"
wait "$reader"
rm -f "$WORK/reader.fifo"

if [ "$QUICK" != "--quick" ]; then
  db=$WORK/db-1m/mfa.db
  new_db "$db" 70
  /usr/bin/time -f %M -o "$RESULTS/rss-import-1m" "$MFA" --db "$db" users import "$(csv_for 1000000)" >/dev/null 2>&1
  NEXT_USER=0; measure_state after-import-1m "$db"; states+=(after-import-1m)
  # A login for a name nobody has: refused (exit 3, "no such user") after
  # looking it up, and nothing written. Checked first: -i below takes any
  # exit status.
  set +e
  "$MFA" --db "$db" verify nobody-here 123456 >/dev/null 2>"$WORK/unknown.err"
  status=$?
  set -e
  [ "$status" -eq 3 ] && grep -q "no such user" "$WORK/unknown.err" \
    || { echo "an unknown name gave exit $status: $(cat "$WORK/unknown.err")" >&2; exit 1; }
  hyperfine -N -i --warmup 5 --runs "$RUNS" --export-json "$RESULTS/unknown-1m.json" \
    -n "mfa verify of an unknown name" "$MFA --db $db verify nobody-here 123456" \
    -n "sqlite3 durable UPDATE" \
    "$(peer_update "$db")" \
    >/dev/null
fi
echo "${states[*]}" >"$RESULTS/states"

echo "in-process throughput (Google Benchmark)" >&2
MFA_BENCH_DIR=$WORK "$SRC/build-bench/tests/bench/bench_verify" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$RESULTS/gbench.json" 2>/dev/null

echo "concurrent logins" >&2
conc=$WORK/concurrency
mkdir -p "$conc"
"$LOGINS" fsync "$conc" 5 >"$RESULTS/fsync-rate"
for n in 1 2 4 8 16; do
  rm -f "$conc"/c.db*
  "$LOGINS" setup "$conc/c.db" "$n"
  start=$(($(date +%s) + 2))
  for i in $(seq 0 $((n - 1))); do
    "$LOGINS" run "$conc/c.db" "$i" "$start" 5 >"$conc/out.$i" &
  done
  wait
  cat "$conc"/out.* >"$RESULTS/concurrency-$n"
  rm -f "$conc"/out.*
done

echo "PostgreSQL beside SQLite" >&2
rm -rf "$WORK/pg"
mkdir -p "$WORK/pg"
pg_key() { MFA_KEY_FILE=$WORK/pg/mfa.key "$@"; } # COMMAND...: with the key file a URI needs
new_pg_db() { # URI BENCH_USERS: new_db's database, in the URI's schema
  pg_key "$MFA" --db "$1" init >/dev/null 2>&1
  pg_key "$MFA" --db "$1" -y options set internalMFA required >/dev/null 2>&1
  pg_key "$MFA" --db "$1" -y options set externalMFA required >/dev/null 2>&1
  pg_key "$LOGINS" enroll "$1" b "$2"
}
# Latency: the checkpointed-1k database of the first table, on PostgreSQL.
uri=$(pg_uri "$PGDIR" latency)
new_pg_db "$uri" 70
pg_key "$MFA" --db "$uri" users import "$(csv_for 1000)" >/dev/null 2>&1
NEXT_USER=0; pg_key measure_state postgres-1k "$uri" "$(pg_peer_update "$uri")"
# The round trips of one login: the statements the server logs for one
# `mfa verify` of a fresh user (its own session logs every parse, bind
# and execute), counted in the server's log.
from=$(stat -c %s "$PGDIR/log")
read -r name code < <(pg_key "$LOGINS" codes "$uri" b "$NEXT_USER" 1)
pg_key "$MFA" --db "$(pg_uri "$PGDIR" latency log_min_duration_statement=0)" verify "$name" "$code" >/dev/null 2>&1
tail -c +$((from + 1)) "$PGDIR/log" >"$RESULTS/postgres-one-login.log"

# Logins per second of whole processes: each `mfa verify` a fresh user
# with a fresh code, on SQLite and on PostgreSQL in turn, the same users;
# beside them the CPU time of the server's backends (the clock ticks of
# the postmaster's ended children, one backend a connection).
PROC_LOGINS=300
[ "$QUICK" = "--quick" ] && PROC_LOGINS=64
db=$WORK/procs/mfa.db
uri=$(pg_uri "$PGDIR" procs)
new_db "$db" $((3 * PROC_LOGINS))
new_pg_db "$uri" $((3 * PROC_LOGINS))
from=0
for n in 1 4 16; do
  "$LOGINS" procs "$MFA" "$db" b "$from" "$PROC_LOGINS" "$n" >"$RESULTS/procs-sqlite-$n"
  before=$(pg_backend_ticks "$PGDIR")
  pg_key "$LOGINS" procs "$MFA" "$uri" b "$from" "$PROC_LOGINS" "$n" >"$RESULTS/procs-postgres-$n"
  echo $(($(pg_backend_ticks "$PGDIR") - before)) "$(getconf CLK_TCK)" >"$RESULTS/procs-postgres-$n.server"
  pg_peer_rate "$uri" "$n" "$PROC_LOGINS" >"$RESULTS/procs-psql-$n"
  from=$((from + PROC_LOGINS))
done

echo "provisioning" >&2
prov=$WORK/prov
mkdir -p "$prov"
cat >"$prov/schema.sql" <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE users (name TEXT NOT NULL UNIQUE, type TEXT NOT NULL, auth TEXT NOT NULL, email TEXT);
SQL
csv=$(csv_for 100000)
hyperfine -N --warmup 1 --runs 5 --export-json "$RESULTS/import.json" \
  --prepare "sh -c 'rm -f $prov/import.db* $prov/mfa.key && $MFA --db $prov/import.db init >/dev/null 2>&1'" \
  -n "mfa users import (100000 rows)" "$MFA --db $prov/import.db users import $csv" \
  --prepare "sh -c 'rm -f $prov/sqlite.db* && sqlite3 $prov/sqlite.db <$prov/schema.sql >/dev/null'" \
  -n "sqlite3 .import (100000 rows)" "sqlite3 $prov/sqlite.db \".import --csv --skip 1 $csv users\"" \
  >/dev/null

# 10,000 users enrolled in one batch, secrets sealed, JSON lines written.
rm -f "$prov"/enroll.db* "$prov/mfa.key"
"$MFA" --db "$prov/enroll.db" init >/dev/null 2>&1
head -n 10001 "$csv" | sed 's/,sso,/,password,/' >"$prov/enroll.csv"
"$MFA" --db "$prov/enroll.db" users import "$prov/enroll.csv" >/dev/null 2>&1
"$MFA" --db "$prov/enroll.db" -y options set internalMFA required >/dev/null 2>&1
"$MFA" --db "$prov/enroll.db" -y options set externalMFA required >/dev/null 2>&1
tail -n +2 "$prov/enroll.csv" | cut -d, -f1 >"$prov/names.txt"
hyperfine -N --warmup 1 --runs 5 --export-json "$RESULTS/enroll.json" \
  --prepare "sqlite3 $prov/enroll.db \"DELETE FROM enrollments\"" \
  -n "mfa enroll --batch (10000 users)" \
  "sh -c '$MFA --db $prov/enroll.db enroll --batch $prov/names.txt >$prov/enroll.jsonl'" >/dev/null

echo "peak memory" >&2
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
db=$WORK/db-1k/mfa.db
# A 50 MB CSV whose last row is bad: read to the end, then refused.
big=$WORK/users-50mb-bad-last.csv
if [ ! -f "$big" ]; then
  python3 - "$big" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name,type,auth,email\n")
    i = 0
    while f.tell() < 50 * 1024 * 1024:
        f.write(f"bulk{i:08d},internal,password,bulk{i}@example.com\n")
        i += 1
    f.write("bad-last-row,nosuchtype,password,\n")
PY
fi
{
  echo "verify $(rss "$MFA" --db "$db" verify b69 "$("$LOGINS" codes "$db" b 69 1 | cut -d' ' -f2)")"
  "$MFA" --db "$db" users add fresh >/dev/null 2>&1
  echo "enroll $(rss "$MFA" --db "$db" enroll fresh --qr utf8)"
  echo "import-100k $(cat "$RESULTS/rss-import-100k")"
  [ -f "$RESULTS/rss-import-1m" ] && echo "import-1m $(cat "$RESULTS/rss-import-1m")"
  rm -f "$prov"/rss.db* "$prov/mfa.key"
  "$MFA" --db "$prov/rss.db" init >/dev/null 2>&1
  echo "import-50mb-rejected $(rss "$MFA" --db "$prov/rss.db" users import "$big")"
} >"$RESULTS/rss.txt"

python3 "$SRC/tests/bench/report.py" "$RESULTS"
