#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The audit log is shown newest first, searched by user, action and time,
# exported as CSV and pruned. Rows with known times are written with sqlite3
# (psql on PostgreSQL), since the binary has no clock to inject.
source "$(dirname "$0")/lib.sh"

# 2026-01-01, 2026-01-02, 2026-01-02T12:00:00Z and 2026-01-03, UTC.
T1=1767225600 T2=1767312000 T3=1767355200 T4=1767398400

# add_row AT ACTION TARGET_KIND TARGET LABEL: the label is stored as the new value.
add_row() {
  db_sql "INSERT INTO audit (at, actor, action, target_kind, target, new_value)
          VALUES ($1, 'desk', '$2', '$3', '$4', '$5')"
}

# Four rows, not written in the order of their times.
story_rows() {
  mfa init >/dev/null 2>&1
  add_row $T4 options.set option mfaWindow r4
  add_row $T1 verify user alice r1
  add_row $T3 verify user bob r3
  add_row $T2 reset user alice r2
}

# labels ARGS...: the labels of the rows `mfa --json audit ARGS...` shows, in order.
labels() {
  expect_exit 0 mfa --json audit "$@"
  json '",".join(e["new"] for e in j)'
}

case_newest_first_in_text_json_and_csv() {
  story_rows
  expect_eq "$(labels)" "r4,r3,r2,r1"
  expect_exit 0 mfa audit
  expect_eq "$(printf '%s\n' "$OUT" | awk 'NR > 1 {print $6}' | tr '\n' ,)" "r4,r3,r2,r1,"
  expect_exit 0 mfa audit --csv
  expect_eq "$(python3 -c 'import csv,sys; print(",".join(r[5] for r in list(csv.reader(open(sys.argv[1], newline="")))[1:]))' out)" \
    "r4,r3,r2,r1"
  # Written in the same second, the later change comes first.
  mfa --yes options set mfaWindow 2 >/dev/null 2>&1
  mfa --yes options set mfaWindow 3 >/dev/null 2>&1
  expect_exit 0 mfa --json audit --action options.set --limit 2
  expect_eq "$(json '[e["new"] for e in j]')" "['3', '2']"
}

case_each_filter_and_their_and() {
  story_rows
  expect_eq "$(labels --action verify)" "r3,r1"
  expect_eq "$(labels --user alice)" "r2,r1"
  expect_eq "$(labels --user alice --action verify)" "r1"
  expect_eq "$(labels --action verify --since 2026-01-02)" "r3"
  expect_eq "$(labels --user alice --since 2026-01-02 --until 2026-01-03)" "r2"
  expect_eq "$(labels --since 2026-01-01 --limit 2)" "r4,r3"
  expect_eq "$(labels --action unlock)" ""
}

case_since_is_inclusive_and_until_exclusive() {
  story_rows
  expect_eq "$(labels --since 2026-01-02)" "r4,r3,r2"
  expect_eq "$(labels --until 2026-01-02)" "r1"
  expect_eq "$(labels --since 2026-01-02T00:00:00Z --until 2026-01-03T00:00:00Z)" "r3,r2"
  expect_eq "$(labels --since 2026-01-02T00:00:01Z)" "r4,r3"
  expect_eq "$(labels --until 2026-01-02T00:00:01Z)" "r2,r1"
}

case_time_forms_offsets_and_fractions() {
  story_rows
  # 13:00 at +01:00 is 12:00 UTC, the time of r3; 07:00 at -05:00 too.
  expect_eq "$(labels --since 2026-01-02T13:00:00+01:00)" "r4,r3"
  expect_eq "$(labels --since 2026-01-02T07:00:00-05:00 --until 2026-01-02T07:00:01-05:00)" "r3"
  expect_eq "$(labels --since 2026-01-02t12:00:00z)" "r4,r3"
  expect_eq "$(labels --since "2026-01-02 12:00:00Z")" "r4,r3"
  # Rows are stamped in whole seconds: 12:00:00 is before 12:00:00.5.
  expect_eq "$(labels --since 2026-01-02T12:00:00.5Z)" "r4"
  expect_eq "$(labels --until 2026-01-02T12:00:00.5Z)" "r3,r2,r1"
  expect_eq "$(labels --since 2026-01-02T12:00:00.000Z)" "r4,r3"
}

case_bad_times_actions_and_combinations_are_exit_2() {
  story_rows
  local bad
  for bad in yesterday 2026-1-2 2026-02-30 2025-02-29 2026-13-01 2026-01-02T24:00:00Z 2026-01-02T12:00Z \
    2026-01-02T12:00:00 2026-01-02T12:00:00+0100 2026-01-02T12:00:00.Z "2026-01-02T12:00:00Z junk" ""; do
    expect_exit 2 mfa audit --since "$bad"
    expect_contains "$ERR" "RFC 3339"
  done
  expect_exit 0 mfa audit --since 2024-02-29
  expect_exit 2 mfa audit --until nonsense
  expect_exit 2 mfa audit --since 2026-01-03 --until 2026-01-02
  expect_exit 2 mfa audit --since 2026-01-02 --until 2026-01-02
  expect_exit 2 mfa audit --action bogus
  expect_contains "$ERR" "unknown action 'bogus'"
  expect_contains "$ERR" "options.set, users.add, users.set, users.import, users.remove, enroll, enroll.confirm, verify, backup-codes.generate, reset, unlock, audit.prune"
  expect_exit 2 mfa audit --csv --json
  expect_contains "$ERR" "--csv and --json"
  expect_exit 2 mfa --json audit --csv
  expect_eq "$(json 'j["exit"]')" 2
  expect_exit 2 mfa audit bogus
  expect_contains "$ERR" "prune"
}

case_csv_is_rfc4180_with_quoting_formula_guard_and_crlf() {
  mfa init >/dev/null 2>&1
  local chr=char # SQLite's; PostgreSQL's is chr
  [ "$MFA_TEST_BACKEND" = sqlite ] || chr=chr
  db_sql "INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value, reason)
          VALUES ($T1, '@desk', 'users.set', 'user', 'a,b \"c\"' || $chr(10) || 'd', '-5',
                  'x' || $chr(27) || '[31m', '=HYPERLINK(\"http://evil\")');
          INSERT INTO audit (at, actor, action, target_kind, target)
          VALUES ($T2, 'desk', 'unlock', 'user', 'plain')"
  expect_exit 0 mfa audit --csv
  python3 - out <<'EOF' || fail "CSV: $OUT"
import csv, sys
data = open(sys.argv[1], "rb").read()
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == ["at", "actor", "action", "target", "old", "new", "reason"], rows[0]
assert rows[1] == ["2026-01-02T00:00:00Z", "desk", "unlock", "plain", "", "", ""], rows[1]
assert rows[2] == ["2026-01-01T00:00:00Z", "'@desk", "users.set", 'a,b "c"\nd', "'-5", "x\\x1b[31m",
                   "'=HYPERLINK(\"http://evil\")"], rows[2]
assert len(rows) == 3, rows
# Records end in CRLF; the newline inside the quoted field stays a bare LF.
assert data.count(b"\r\n") == 3 and data.endswith(b"\r\n"), data
assert b'"a,b ""c""\nd"' in data, data
assert b"\x1b" not in data, data
EOF
}

case_prune_needs_confirmation_and_changes_nothing_without() {
  story_rows
  local before
  before=$(db_state)
  expect_exit 2 mfa audit prune --before 2026-01-02T12:00:00Z
  expect_contains "$ERR" "--yes"
  expect_eq "$(db_state)" "$before"
  expect_exit 1 python3 "$TOOLS/pty_run.py" --answer n -- "$MFA_BIN" audit prune --before 2026-01-02T12:00:00Z
  expect_contains "$OUT" "Delete 2 audit rows from before 2026-01-02T12:00:00Z? [y/N]"
  expect_eq "$(db_state)" "$before"
  expect_exit 0 python3 "$TOOLS/pty_run.py" --answer y -- "$MFA_BIN" --actor ops audit prune --before 2026-01-02T12:00:00Z
  expect_contains "$OUT" "Removed 2 audit rows from before 2026-01-02T12:00:00Z"
  expect_eq "$(db_sql "SELECT count(*) FROM audit WHERE new_value IN ('r1', 'r2')")" 0
}

case_prune_removes_older_rows_and_leaves_one_row_saying_so() {
  story_rows
  expect_exit 0 mfa --yes --actor ops audit prune --before 2026-01-02T12:00:01Z
  expect_contains "$ERR" "Removed 3 audit rows from before 2026-01-02T12:00:01Z"
  expect_exit 0 mfa --json audit
  expect_eq "$(json 'len(j)')" 2
  expect_eq "$(json '(j[0]["actor"], j[0]["action"], j[0]["target"], j[0]["old"], j[0]["new"], j[0]["reason"])')" \
    "('ops', 'audit.prune', 'audit', None, None, 'removed 3 rows from before 2026-01-02T12:00:01Z')"
  expect_eq "$(json 'j[1]["new"]')" r4
  expect_exit 0 mfa --json audit --action audit.prune
  expect_eq "$(json 'len(j)')" 1
  # JSON: {"removed"}; one row is said in the singular.
  expect_exit 0 mfa --yes --json audit prune --before 2026-01-03T00:00:01Z
  expect_eq "$OUT" '{"removed":1}'
  expect_exit 0 mfa --json audit
  expect_eq "$(json '[e["reason"] for e in j if e["action"] == "audit.prune"][0]')" \
    "removed 1 row from before 2026-01-03T00:00:01Z"
}

case_prune_of_nothing_says_so_and_writes_no_row() {
  story_rows
  local before
  before=$(db_state)
  expect_exit 0 mfa audit prune --before 2025-12-31
  expect_contains "$ERR" "No audit rows from before 2025-12-31T00:00:00Z; nothing removed"
  expect_exit 0 mfa --json audit prune --before 2025-12-31
  expect_eq "$OUT" '{"removed":0}'
  expect_eq "$(db_state)" "$before"
}

case_prune_takes_only_before() {
  story_rows
  local before
  before=$(db_state)
  expect_exit 2 mfa audit prune
  expect_exit 2 mfa --yes audit prune --before someday
  expect_exit 2 mfa --yes audit --user alice prune --before 2030-01-01
  expect_exit 2 mfa --yes audit prune --before 2030-01-01 --action verify
  expect_eq "$(db_state)" "$before"
}

case_prune_of_many_rows_keeps_the_wal_small() {
  mfa init >/dev/null 2>&1
  # About 14 MB of rows, deleted in one transaction.
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    sqlite3 "$MFA_DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
                       INSERT INTO audit (at, actor, action, target_kind, target, reason)
                       SELECT $T1 + i, 'desk', 'verify', 'user', 'u' || (i % 100), printf('%.300c', 'x') FROM n"
  else
    pg_sql "INSERT INTO audit (at, actor, action, target_kind, target, reason)
            SELECT $T1 + i, 'desk', 'verify', 'user', 'u' || (i % 100), repeat('x', 300)
            FROM generate_series(1, 40000) AS n(i)"
  fi
  expect_exit 0 mfa --yes --json audit prune --before 2026-06-01
  expect_eq "$OUT" '{"removed":40000}'
  # (SQLite: the -wal file stays small; PostgreSQL has no such file.)
  local wal=0
  [ ! -e "$MFA_DB-wal" ] || wal=$(stat -c %s "$MFA_DB-wal")
  [ "$wal" -le 1048576 ] || fail "the -wal file is $wal bytes after the prune"
  expect_eq "$(db_sql "SELECT count(*) FROM audit")" 1
}

case_time_bounds_are_served_by_an_index() {
  mfa init >/dev/null 2>&1
  if [ "$MFA_TEST_BACKEND" = sqlite ]; then
    expect_eq "$(sqlite3 "$MFA_DB" "PRAGMA user_version")" 5
    expect_eq "$(sqlite3 "$MFA_DB" "SELECT sql FROM sqlite_master WHERE name = 'audit_by_at'")" \
      "CREATE INDEX audit_by_at ON audit (at)"
  else
    expect_eq "$(pg_sql "SELECT version FROM mfa_schema")" 5
    expect_eq "$(pg_sql "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'audit_by_at'")" \
      "CREATE INDEX audit_by_at ON $(pg_sql "SELECT current_schema()").audit USING btree (at)"
  fi
}

run_cases
