// SPDX-License-Identifier: MIT
// Storage faults inside the library: a failing statement never throws from
// a destructor, stored values are read strictly, and files another account
// could have planted are refused.
#include "storage/database_impl.hpp"
#include "helpers.hpp"
#include "storage/user_store.hpp"

#include <mfa/options.hpp>
#include <mfa/user_import.hpp>

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>
#include <string>
#include <vector>

using namespace mfa;

namespace {

constexpr uid_t k_other_uid = 65534; // nobody

// Writes to the database past its CHECK constraints, as a flipped bit on
// disk would.
void poke(Database& db, const std::string& sql)
{
  detail::impl_of(db).sql().exec("PRAGMA ignore_check_constraints = 1");
  detail::impl_of(db).sql().exec(sql);
  detail::impl_of(db).sql().exec("PRAGMA ignore_check_constraints = 0");
}

void add_alice(Database& db)
{
  detail::impl_of(db).sql().exec("INSERT INTO users (id, name, type, auth, created_at) VALUES (7, 'alice', 'internal', "
                       "'password', 1)");
  detail::impl_of(db).sql().exec("INSERT INTO enrollments (user_id, state, secret, algorithm, digits, period, created_at) "
                       "VALUES (7, 'active', x'0102', 'SHA1', 6, 30, 1)");
}

// The message of the StorageError that `body(impl)` throws, or "no error".
template<typename Body>
std::string storage_error_of(Database& db, Body body)
{
  try {
    detail::with_sql(db, body);
  } catch (const StorageError& e) {
    return e.what();
  }
  return "no error";
}

std::string load_user_error(Database& db)
{
  return storage_error_of(db, [](detail::DatabaseImpl& impl) { return detail::load_user(impl, "alice"); });
}

std::string load_enrollment_error(Database& db)
{
  return storage_error_of(db, [](detail::DatabaseImpl& impl) { return detail::load_enrollment(impl, 7); });
}

// Applies each damage in turn, undone after `check()` has looked at it.
template<typename Check>
void each_damage(Database& db, std::initializer_list<const char*> damages, Check check)
{
  for (const char* damage : damages) {
    CAPTURE(damage);
    detail::impl_of(db).sql().exec("SAVEPOINT damage");
    poke(db, damage);
    check();
    detail::impl_of(db).sql().exec("ROLLBACK TO damage");
    detail::impl_of(db).sql().exec("RELEASE damage");
  }
}

} // namespace

TEST_CASE("storage faults: a statement that fails is a StorageError and its lease ends without throwing")
{
  auto db = Database::create(test::config());
  const std::string insert = "INSERT INTO options (key, value) VALUES (?, ?)";
  // The NOT NULL failure is thrown by the step; sqlite3_reset() in the
  // lease's destructor repeats it while that exception unwinds.
  CHECK_THROWS_AS(detail::with_sql(db,
                                   [&](detail::DatabaseImpl& impl) {
                                     auto lease = impl.statement(insert);
                                     lease->bind(1, "internalMFA");
                                     lease->exec();
                                   }),
                  StorageError);
  // The cached statement still works afterwards.
  detail::with_sql(db, [&](detail::DatabaseImpl& impl) {
    auto lease = impl.statement(insert);
    lease->bind(1, "internalMFA");
    lease->bind(2, "On (Required)");
    lease->exec();
  });
  CHECK(load_settings(db).internal_mfa == Mode::required);
}

TEST_CASE("storage faults: a user's type, auth, enrollment state or counters mfa never writes are faults")
{
  auto db = Database::create(test::config());
  add_alice(db);
  CHECK(load_user_error(db) == "no error");
  each_damage(db,
              {
                "UPDATE users SET type = 'externam'",    "UPDATE users SET type = 'Internal'",
                "UPDATE users SET auth = 'ssn'",         "UPDATE users SET failed_attempts = 'x'",
                "UPDATE users SET failed_attempts = -1", "UPDATE users SET locked_until = 'soon'",
                "UPDATE users SET created_at = 'x'",     "UPDATE enrollments SET state = 'activg'",
                "UPDATE enrollments SET state = 'none'", "UPDATE users SET email = x'00'",
              },
              [&] { CHECK(load_user_error(db).find("is damaged") != std::string::npos); });
  CHECK(load_user_error(db) == "no error");
}

TEST_CASE("storage faults: an enrollment's state, secret, algorithm, digits or period mfa never writes are faults")
{
  auto db = Database::create(test::config());
  add_alice(db);
  CHECK(load_enrollment_error(db) == "no error");
  each_damage(db,
              {
                "UPDATE enrollments SET state = 'activg'",   "UPDATE enrollments SET secret = 'text'",
                "UPDATE enrollments SET algorithm = 'SHA2'", "UPDATE enrollments SET algorithm = 'sha1'",
                "UPDATE enrollments SET digits = 7",         "UPDATE enrollments SET digits = 5",
                "UPDATE enrollments SET digits = 6.5",       "UPDATE enrollments SET period = 14",
                "UPDATE enrollments SET period = 301",       "UPDATE enrollments SET last_step = 'x'",
              },
              [&] {
                const std::string error = load_enrollment_error(db);
                CHECK(error.find("is damaged: enrollments.") != std::string::npos);
                CHECK(error.find("mfa.db") != std::string::npos);
              });
  CHECK(load_enrollment_error(db) == "no error");
}

TEST_CASE("storage faults: an option's name or value not exactly as mfa writes it is a fault")
{
  auto db = Database::create(test::config());
  set_option(db, OptionKey::internal_mfa, Mode::required, "t");
  each_damage(db,
              {
                "UPDATE options SET value = 'on (required)'", "UPDATE options SET value = 'On (Required) '",
                "UPDATE options SET value = 'Ofg'",           "UPDATE options SET key = 'internalmfa'",
                "UPDATE options SET key = 'internalMFB'",     "UPDATE options SET value = x'4f6666'",
              },
              [&] { CHECK_THROWS_WITH_AS(load_settings(db), doctest::Contains("is damaged: options."), StorageError); });
  CHECK(load_settings(db).internal_mfa == Mode::required);
}

TEST_CASE("storage faults: a damaged index of user names never makes a user unknown or another")
{
  int index_page = 0;
  int page_size = 0;
  {
    auto db = Database::create(test::config());
    add_alice(db);
    auto& sql = detail::impl_of(db).sql();
    index_page = sql.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_users_1'").getInt();
    page_size = sql.execAndGet("PRAGMA page_size").getInt();
    sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  // 'alice' becomes 'alicf' in the index only; the row keeps 'alice'.
  std::string bytes = test::read_file("mfa.db");
  const auto page_start = static_cast<std::size_t>(index_page - 1) * static_cast<std::size_t>(page_size);
  const auto at = bytes.find("alice", page_start);
  REQUIRE(at != std::string::npos);
  REQUIRE(at < page_start + static_cast<std::size_t>(page_size));
  bytes[at + 4] = 'f';
  test::write_file("mfa.db", bytes);

  auto db = Database::create(test::config());
  const auto load = [&](const char* name) {
    return detail::with_sql(db, [&](detail::DatabaseImpl& impl) { return detail::load_user(impl, name); });
  };
  CHECK_THROWS_WITH_AS(load("alice"), doctest::Contains("index of user names misses user 'alice'"), StorageError);
  CHECK_THROWS_WITH_AS(load("alicf"), doctest::Contains("gives another row for user 'alicf'"), StorageError);
  CHECK_FALSE(load("carol").has_value());
  // An import does not take her for a new user (the damaged UNIQUE index
  // would let a second row of her name in, unenrolled, found first).
  CHECK_THROWS_WITH_AS(import_users(db, std::string_view("name\ncarol\nalice\n"), "t"),
                       doctest::Contains("index of user names misses user 'alice'"), StorageError);
  CHECK(detail::impl_of(db).sql().execAndGet("SELECT count(*) FROM users NOT INDEXED").getInt() == 1);
}

namespace {

int note_statement(unsigned /*type*/, void* seen, void* statement, void* /*sql*/)
{
  char* text = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(statement));
  static_cast<std::vector<std::string>*>(seen)->emplace_back(text != nullptr ? text : "");
  sqlite3_free(text);
  return 0;
}

} // namespace

TEST_CASE("storage faults: an unknown name is checked in the second index of names, never by reading every user")
{
  auto db = Database::create(test::config());
  add_alice(db);
  auto& sql = detail::impl_of(db).sql();
  std::vector<std::string> seen;
  sqlite3_trace_v2(sql.getHandle(), SQLITE_TRACE_STMT, note_statement, &seen);
  const auto user = detail::with_sql(db, [&](detail::DatabaseImpl& impl) { return detail::load_user(impl, "mallory"); });
  sqlite3_trace_v2(sql.getHandle(), 0, nullptr, nullptr);
  CHECK_FALSE(user.has_value());
  REQUIRE(seen.size() >= 2); // the lookup, then the check
  std::string plans;
  for (const auto& statement : seen) {
    SQLite::Statement plan(sql, "EXPLAIN QUERY PLAN " + statement);
    while (plan.executeStep()) {
      plans += plan.getColumn(3).getString() + "\n";
    }
  }
  CHECK(plans.find("users_by_name_check") != std::string::npos);
  CHECK(plans.find("sqlite_autoindex_users_1") != std::string::npos);
  CHECK_MESSAGE(plans.find("SCAN users") == std::string::npos, plans);
}

TEST_CASE("storage faults: an empty file is not a new database")
{
  test::write_file("mfa.db", "");
  ::chmod("mfa.db", 0600);
  CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("empty file"), StorageError);
  CHECK(test::read_file("mfa.db").empty());
  CHECK(::access("mfa.db.key", F_OK) != 0);
}

TEST_CASE("storage faults: a database or key file of another account is refused")
{
  if (::geteuid() != 0) {
    MESSAGE("needs root to give a file to another account");
    return;
  }
  {
    auto db = Database::create(test::config());
  }
  REQUIRE(::chown("mfa.db.key", k_other_uid, static_cast<gid_t>(-1)) == 0);
  CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("belongs to"), KeyError);
  REQUIRE(::chown("mfa.db.key", 0, static_cast<gid_t>(-1)) == 0);
  REQUIRE(::chown("mfa.db", k_other_uid, static_cast<gid_t>(-1)) == 0);
  CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("belongs to"), StorageError);
  REQUIRE(::chown("mfa.db", 0, static_cast<gid_t>(-1)) == 0);
  CHECK_NOTHROW(Database::create(test::config()));
}

TEST_CASE("storage faults: a database open to others is refused, one open to its group is not")
{
  {
    auto db = Database::create(test::config());
  }
  ::chmod("mfa.db", 0604);
  CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("chmod 600"), StorageError);
  ::chmod("mfa.db", 0660);
  CHECK_NOTHROW(Database::create(test::config()));
}
