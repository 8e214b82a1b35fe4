#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# users import streams its file: the peak memory of a file five times
# larger is that of the smaller one (within a small margin), under 32 MiB,
# whether the file is accepted or rejected at its last row. Both sizes are
# large enough to fill the page caches an import uses, so only what grows
# with the file can tell them apart.
source "$(dirname "$0")/lib.sh"

# Sanitizers keep freed memory in quarantine: peak RSS then follows the file.
if ldd "$MFA_BIN" 2>/dev/null | grep -Eq 'lib(a|t|ub)san'; then
  skip "the binary is built with a sanitizer; its peak memory is not the program's"
fi

SMALL=60000
LARGE=300000
LIMIT_KIB=$((32 * 1024))
MARGIN_KIB=$((4 * 1024))

make_csv() { # ROWS FILE [LAST-ROW]
  python3 - "$@" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    out.write("name,type,auth,email\n")
    for i in range(rows):
        kind = "internal" if i % 4 else "external"
        auth = "sso" if i % 10 == 0 else "password"
        out.write(f"user{i:07d},{kind},{auth},user{i}@example.com\n")
    if len(sys.argv) > 3:
        out.write(sys.argv[3] + "\n")
PY
}

# peak_kib EXIT COMMAND...: runs COMMAND (expecting EXIT), prints its peak RSS in KiB.
peak_kib() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
want, command = int(sys.argv[1]), sys.argv[2:]
done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if done.returncode != want:
    sys.exit(f"expected exit {want}, got {done.returncode}: {done.stderr.decode()}")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

# fresh_db ROWS EXIT: the database import_peak uses (PostgreSQL: a schema
# named after the case's, _s or _l for the small or large file; each case
# expects one exit).
fresh_db() {
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    echo "$PWD/db-$1-$2/mfa.db"
  elif [ "$1" = "$SMALL" ]; then
    pg_uri "${MFA_DB##*%3D}_s"
  else
    pg_uri "${MFA_DB##*%3D}_l"
  fi
}

# import_peak ROWS EXIT [LAST-ROW]: the peak RSS of importing ROWS rows (and
# LAST-ROW) into a fresh database.
import_peak() {
  local dir="$PWD/db-$1-$2" db
  db=$(fresh_db "$1" "$2")
  mkdir -p "$dir"
  mfa --db "$db" init >/dev/null || fail "init failed"
  make_csv "$1" "$dir/users.csv" ${3:+"$3"}
  peak_kib "$2" "$MFA_BIN" --db "$db" users import "$dir/users.csv" || fail "import of $1 rows failed"
}

users_in() { # ROWS EXIT: the users in the database import_peak made
  MFA_DB=$(fresh_db "$1" "$2") db_sql "SELECT count(*) FROM users"
}

expect_flat() { # SMALL-KIB LARGE-KIB
  echo "peak RSS: $SMALL rows $1 KiB, $LARGE rows $2 KiB" >&2
  [ "$2" -le $(($1 + MARGIN_KIB)) ] || fail "peak RSS grew with the file: $1 KiB for $SMALL rows, $2 KiB for $LARGE"
  [ "$2" -le "$LIMIT_KIB" ] || fail "peak RSS $2 KiB is over 32 MiB"
}

case_a_file_rejected_at_its_last_row_takes_no_more_memory_when_larger() {
  local small large
  small=$(import_peak $SMALL 2 "last,row") || exit 1
  large=$(import_peak $LARGE 2 "last,row") || exit 1
  expect_flat "$small" "$large"
  expect_eq "$(users_in $LARGE 2)" 0
}

case_an_accepted_file_takes_no_more_memory_when_larger() {
  local small large
  small=$(import_peak $SMALL 0) || exit 1
  large=$(import_peak $LARGE 0) || exit 1
  expect_flat "$small" "$large"
  expect_eq "$(users_in $LARGE 0)" $LARGE
}

run_cases
