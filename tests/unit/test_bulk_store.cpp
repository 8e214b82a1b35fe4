// SPDX-License-Identifier: MIT
// The storage seam's bulk operations (an import's batches), the same on
// SQLite's store and on the in-memory one: rows written in order, past the
// size of one statement, and read back as the single-row operations would.
#include "fake_store.hpp"
#include "helpers.hpp"
#include "storage/database_impl.hpp"

#include <mfa/audit.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace mfa;

namespace {

// More rows than one of SQLite's bulk statements holds.
constexpr std::size_t k_rows = detail::k_rows_per_statement + 44;

// Runs `check(store)` on SQLite's store and on the fake one.
void on_both_stores(const std::function<void(detail::Store&)>& check)
{
  {
    INFO("SQLite store");
    auto db = Database::create(test::config("bulk.db"));
    check(detail::store_of(db));
  }
  {
    INFO("fake store");
    auto db = detail::database_on(std::make_unique<test::FakeStore>());
    check(detail::store_of(db));
  }
}

std::string name_of(std::size_t i)
{
  return "bulk" + std::to_string(i);
}

} // namespace

TEST_CASE("bulk store: insert_users adds every user in order, find_users finds exactly those named, has_users sees them")
{
  on_both_stores([](detail::Store& store) {
    auto transaction = store.write();
    std::vector<NewUser> users;
    for (std::size_t i = 0; i < k_rows; ++i) {
      users.push_back({name_of(i), i % 2 ? UserType::external : UserType::internal,
                       i % 3 ? AuthMethod::password : AuthMethod::sso,
                       i % 5 ? std::optional<std::string>(name_of(i) + "@example.com") : std::nullopt});
    }
    CHECK_FALSE(store.has_users());
    store.insert_users(users);
    store.insert_users({});
    CHECK(store.has_users());
    const auto names = store.user_names();
    CHECK(names.size() == k_rows);
    // In order: each user's id is above the one before.
    std::int64_t last_id = 0;
    for (std::size_t i = 0; i < k_rows; ++i) {
      const auto user = store.find_user(name_of(i));
      REQUIRE(user);
      CHECK(user->id > last_id);
      last_id = user->id;
      CHECK(user->type == users[i].type);
      CHECK(user->auth == users[i].auth);
      CHECK(user->email == users[i].email);
      CHECK(user->created_at == store.now());
    }

    std::vector<std::string> asked_text;
    for (std::size_t i = 0; i < k_rows; i += 3) {
      asked_text.push_back(name_of(i));
      asked_text.push_back("missing" + std::to_string(i));
    }
    asked_text.push_back(" " + name_of(1)); // exactly as given: not bulk1
    const std::vector<std::string_view> asked(asked_text.begin(), asked_text.end());
    const auto found = store.find_users(asked);
    std::set<std::string> found_names;
    for (const auto& user : found) {
      found_names.insert(user.name);
      CHECK(user.email == store.find_user(user.name)->email);
    }
    std::set<std::string> expected;
    for (std::size_t i = 0; i < k_rows; i += 3) {
      expected.insert(name_of(i));
    }
    CHECK(found_names == expected);
    CHECK(found.size() == expected.size());
    CHECK(store.find_users({}).empty());
  });
}

TEST_CASE("bulk store: note_names gives each name the line it was first noted on, within a call and across calls")
{
  on_both_stores([](detail::Store& store) {
    auto transaction = store.write();
    store.open_name_ledger();
    std::vector<std::string> text;
    for (std::size_t i = 0; i < k_rows; ++i) {
      text.push_back(name_of(i));
    }
    std::vector<detail::Store::NameLine> first_call;
    for (std::size_t i = 0; i < k_rows; ++i) {
      first_call.push_back({text[i], static_cast<std::int64_t>(i + 2)});
    }
    // Repeats inside the call: one in the same statement, one past it.
    first_call.push_back({text[3], 9000});
    first_call.insert(first_call.begin() + 10, {text[7], 9001});
    const auto lines = store.note_names(first_call);
    REQUIRE(lines.size() == first_call.size());
    for (std::size_t i = 0; i < first_call.size(); ++i) {
      const auto line = first_call[i].line;
      const auto expected = line >= 9000 ? (line == 9000 ? 5 : 9) : line;
      CHECK(lines[i] == expected);
    }
    const auto again = store.note_names({{text[0], 20000}, {"new", 20001}, {text[k_rows - 1], 20002}});
    CHECK(again == std::vector<std::int64_t>{2, 20001, static_cast<std::int64_t>(k_rows + 1)});
    CHECK(store.note_names({}).empty());
    store.close_name_ledger();
    // A ledger opened again starts empty.
    store.open_name_ledger();
    CHECK(store.note_names({{text[0], 4}}) == std::vector<std::int64_t>{4});
    store.close_name_ledger();
  });
}

TEST_CASE("bulk store: append_audits writes every entry in order, as append_audit would, mixed actors or one")
{
  on_both_stores([](detail::Store& store) {
    auto transaction = store.write();
    std::vector<std::string> targets;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < k_rows; ++i) {
      targets.push_back(name_of(i));
      values.push_back("value " + std::to_string(i));
    }
    std::vector<detail::AuditRecord> records;
    for (std::size_t i = 0; i < k_rows; ++i) {
      records.push_back({i < 5 ? "admin" : "bench", "users.import", detail::AuditTarget::user, targets[i],
                         i % 2 ? std::optional<std::string>("old " + std::to_string(i)) : std::nullopt, values[i],
                         i == 7 ? std::optional<std::string>("a reason") : std::nullopt});
    }
    store.append_audits(records);
    store.append_audits({});
    auto entries = store.audit_entries(AuditQuery{}, {});
    REQUIRE(entries.size() == k_rows);
    std::reverse(entries.begin(), entries.end()); // oldest first
    for (std::size_t i = 0; i < k_rows; ++i) {
      CHECK(entries[i].actor == (i < 5 ? "admin" : "bench"));
      CHECK(entries[i].action == "users.import");
      CHECK(entries[i].target == targets[i]);
      CHECK(entries[i].old_value == records[i].old_value);
      CHECK(entries[i].new_value == values[i]);
      CHECK(entries[i].reason == records[i].reason);
      CHECK(entries[i].at == store.now());
      if (i > 0) {
        CHECK(entries[i].id > entries[i - 1].id);
      }
    }
  });
}

TEST_CASE("bulk store: an actor with a control character is stored escaped by append_audits")
{
  auto db = Database::create(test::config("bulk.db"));
  auto& store = detail::store_of(db);
  auto transaction = store.write();
  store.append_audits({{"eve\x1b[2J", "users.import", detail::AuditTarget::user, "a", std::nullopt, "x", std::nullopt},
                       {"eve\x1b[2J", "users.import", detail::AuditTarget::user, "b", std::nullopt, "y", std::nullopt},
                       {"bob", "users.import", detail::AuditTarget::user, "c", std::nullopt, "z", std::nullopt}});
  const auto entries = store.audit_entries(AuditQuery{}, {});
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].actor == "bob");
  CHECK(entries[1].actor == entries[2].actor);
  CHECK(entries[1].actor.find('\x1b') == std::string::npos);
  CHECK(entries[1].actor.rfind("eve", 0) == 0);
}

TEST_CASE("bulk store: bulk_caches enlarges SQLite's page caches while on and puts them back after")
{
  auto db = Database::create(test::config("bulk.db"));
  auto& sql = detail::impl_of(db).sql();
  const auto usual_main = sql.execAndGet("PRAGMA main.cache_size").getInt();
  auto& store = detail::store_of(db);
  {
    auto transaction = store.write();
    store.bulk_caches(true);
    CHECK(sql.execAndGet("PRAGMA main.cache_size").getInt() < usual_main); // negative: KiB, more than the usual
    store.bulk_caches(false);
  }
  CHECK(sql.execAndGet("PRAGMA main.cache_size").getInt() == usual_main);
  store.bulk_caches(false); // off when not on: nothing
  CHECK(sql.execAndGet("PRAGMA main.cache_size").getInt() == usual_main);
}
