// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"
#include "storage/database_impl.hpp"
#include "helpers.hpp"
#include "storage/schema.hpp"

#include <mfa/audit.hpp>
#include <mfa/clock.hpp>

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace mfa;

namespace {

// A row at a known time, labelled by its new value.
void add_row(Database& db, std::int64_t at, const std::string& action, const std::string& target,
             const std::string& label)
{
  SQLite::Statement insert(detail::impl_of(db).sql(), "INSERT INTO audit (at, actor, action, target_kind, target, new_value) "
                                            "VALUES (?, 'desk', ?, 'user', ?, ?)");
  insert.bind(1, static_cast<int64_t>(at));
  insert.bind(2, action);
  insert.bind(3, target);
  insert.bind(4, label);
  insert.exec();
}

std::string labels(const std::vector<AuditEntry>& entries)
{
  std::string text;
  for (const auto& e : entries) {
    text += (text.empty() ? "" : ",") + e.new_value.value_or("?");
  }
  return text;
}

int record_statement(unsigned, void* context, void* statement, void*)
{
  static_cast<std::vector<std::string>*>(context)->push_back(sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
  return 0;
}

// How SQLite runs the statements `run` prepares on the connection that read
// the log: the details of EXPLAIN QUERY PLAN, one string per statement.
template<typename Run>
std::vector<std::string> query_plans(Database& db, Run run)
{
  std::vector<std::string> statements;
  auto& sql = detail::impl_of(db).sql();
  sqlite3_trace_v2(sql.getHandle(), SQLITE_TRACE_STMT, record_statement, &statements);
  run();
  sqlite3_trace_v2(sql.getHandle(), 0, nullptr, nullptr);
  std::vector<std::string> plans;
  for (const auto& text : statements) {
    if (text.rfind("SELECT id, at", 0) != 0 && text.rfind("SELECT count(*)", 0) != 0
        && text.rfind("DELETE FROM audit", 0) != 0) {
      continue;
    }
    SQLite::Statement explain(sql, "EXPLAIN QUERY PLAN " + text);
    std::string plan;
    while (explain.executeStep()) {
      plan += explain.getColumn(3).getString() + ";";
    }
    plans.push_back(plan);
  }
  return plans;
}

} // namespace

TEST_CASE("audit: times are RFC 3339 or a date at UTC midnight")
{
  CHECK(parse_audit_time("1970-01-01") == 0);
  CHECK(parse_audit_time("2026-01-02") == 1767312000);
  CHECK(parse_audit_time("2026-01-02T12:00:00Z") == 1767355200);
  CHECK(parse_audit_time("2026-01-02t12:00:00z") == 1767355200);
  CHECK(parse_audit_time("2026-01-02 12:00:00Z") == 1767355200);
  CHECK(parse_audit_time("2026-01-02T13:30:00+01:30") == 1767355200);
  CHECK(parse_audit_time("2026-01-02T07:00:00-05:00") == 1767355200);
  CHECK(parse_audit_time("2026-01-02T12:00:00.000Z") == 1767355200);
  // A fraction rounds up: entries are stamped in whole seconds.
  CHECK(parse_audit_time("2026-01-02T12:00:00.001Z") == 1767355201);
  CHECK(parse_audit_time("2016-12-31T23:59:60Z") == parse_audit_time("2017-01-01"));
  CHECK(parse_audit_time("2024-02-29") == 1709164800);
  CHECK(parse_audit_time("2000-02-29").has_value());
  for (const char* bad : {"", "2026", "2026-01", "2026-1-02", "26-01-02", "2026-00-10", "2026-13-01", "2026-01-00",
                          "2026-01-32", "2026-04-31", "2025-02-29", "1900-02-29", "2026-01-02T", "2026-01-02T12:00Z",
                          "2026-01-02T12:00:00", "2026-01-02T24:00:00Z", "2026-01-02T12:60:00Z",
                          "2026-01-02T12:00:61Z", "2026-01-02T12:00:00.Z", "2026-01-02T12:00:00+01",
                          "2026-01-02T12:00:00+0100", "2026-01-02T12:00:00+24:00", "2026-01-02T12:00:00Zjunk",
                          "2026-01-02X12:00:00Z", "2026-01-02 ", " 2026-01-02", "２０２６-01-02"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_audit_time(bad).has_value());
  }
}

TEST_CASE("audit: every formatted time parses back to itself")
{
  for (std::int64_t t = 0; t < 4'102'444'800; t += 86'399 * 7 + 13) { // to 2100, at many times of day
    CAPTURE(t);
    REQUIRE(parse_audit_time(format_rfc3339(t)) == t);
  }
}

TEST_CASE("audit: newest first by time, filters combine with AND")
{
  auto db = Database::create(test::config());
  add_row(db, 400, "options.set", "mfaWindow", "r4");
  add_row(db, 100, "verify", "alice", "r1");
  add_row(db, 300, "verify", "bob", "r3");
  add_row(db, 200, "reset", "alice", "r2");
  add_row(db, 200, "verify", "alice", "r2b"); // the same second: written later, shown first
  CHECK(labels(audit_log(db)) == "r4,r3,r2b,r2,r1");
  CHECK(labels(audit_log(db, {.limit = 2})) == "r4,r3");
  CHECK(labels(audit_log(db, {.action = "verify"})) == "r3,r2b,r1");
  CHECK(labels(audit_log(db, {.user = "alice", .action = "verify"})) == "r2b,r1");
  CHECK(labels(audit_log(db, {.since = 200, .until = 400})) == "r3,r2b,r2");
  CHECK(labels(audit_log(db, {.user = " alice ", .limit = 1, .action = "verify", .since = 101})) == "r2b");
  CHECK(labels(audit_log(db, {.since = 401})).empty());
}

TEST_CASE("audit: the time bounds and the order are served by the index on at")
{
  auto db = Database::create(test::config());
  for (int i = 0; i < 50; ++i) {
    add_row(db, 1000 + i, i % 2 ? "verify" : "reset", "u" + std::to_string(i % 5), "r");
  }
  const auto plans = query_plans(db, [&] {
    audit_log(db);
    audit_log(db, {.since = 1010});
    audit_log(db, {.until = 1040});
    audit_log(db, {.limit = 3, .action = "verify", .since = 1010, .until = 1040});
    plan_audit_prune(db, 1020);
  });
  REQUIRE(plans.size() == 5);
  for (const auto& plan : plans) {
    CAPTURE(plan);
    CHECK(plan.find("audit_by_at") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
  }
}

TEST_CASE("audit: a prune deletes exactly the counted rows and records one row")
{
  auto db = Database::create(test::config("mfa.db", 5000));
  add_row(db, 100, "verify", "alice", "old1");
  add_row(db, 200, "verify", "alice", "old2");
  add_row(db, 900, "verify", "alice", "kept");
  const auto plan = plan_audit_prune(db, 900);
  CHECK(plan.rows == 2);
  // Written after the count, with a time before the bound (a clock set
  // back): not taken along, since nobody was asked about it.
  add_row(db, 150, "verify", "alice", "late");
  CHECK(prune_audit(db, plan, "ops") == 2);
  const auto log = audit_log(db);
  CHECK(labels(log) == "?,kept,late");
  REQUIRE(log.size() == 3);
  CHECK(log[0].at == 5000);
  CHECK(log[0].actor == "ops");
  CHECK(log[0].action == "audit.prune");
  CHECK(log[0].target == "audit");
  CHECK(log[0].reason == "removed 2 rows from before 1970-01-01T00:15:00Z");
  CHECK(labels(audit_log(db, {.user = "alice"})) == "kept,late");
  // The same plan again finds nothing left and records nothing.
  CHECK(prune_audit(db, plan, "ops") == 0);
  CHECK(audit_log(db).size() == 3);
}

TEST_CASE("audit: a prune of nothing changes nothing")
{
  auto db = Database::create(test::config());
  add_row(db, 900, "verify", "alice", "kept");
  const auto plan = plan_audit_prune(db, 900);
  CHECK(plan.rows == 0);
  CHECK(prune_audit(db, plan, "ops") == 0);
  CHECK(labels(audit_log(db)) == "kept");
}

TEST_CASE("audit: a version 2 database gets the index on at, its rows kept")
{
  {
    auto db = Database::create(test::config());
    add_row(db, 100, "verify", "alice", "r1");
    detail::impl_of(db).sql().exec("DROP INDEX audit_by_at");
    detail::impl_of(db).sql().exec("ALTER TABLE users DROP COLUMN last_login_at"); // the rest of step 3
    detail::impl_of(db).sql().exec("ALTER TABLE users DROP COLUMN last_failure_at");
    detail::impl_of(db).sql().exec("DROP INDEX users_by_name_check"); // step 4
    detail::impl_of(db).sql().exec("PRAGMA user_version = 2");
  }
  auto db = Database::create(test::config());
  CHECK(detail::schema_version(detail::impl_of(db).sql()) == k_schema_version);
  CHECK(detail::impl_of(db).sql().execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'audit_by_at'").getInt() == 1);
  CHECK(labels(audit_log(db)) == "r1");
}

TEST_CASE("audit: the actions offered are the actions the log records")
{
  const auto actions = audit_actions();
  CHECK(actions.size() == 16);
  CHECK(std::find(actions.begin(), actions.end(), "verify") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "audit.prune") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "db.copy") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "enroll.export") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "enroll.import") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "key.rotate") != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "backup-codes.generate") != actions.end());
}
