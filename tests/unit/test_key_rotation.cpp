// SPDX-License-Identifier: MIT
// Key rotation seen from connections opened before it: another connection
// (another process, or a long-lived application) seals and opens under the
// data key its transaction sees, never under the one it held at open.
#include "lifecycle.hpp"

#include "crypto/secret.hpp"
#include "storage/store.hpp"

#include <mfa/keys.hpp>
#include <mfa/verify.hpp>

#include <doctest/doctest.h>

using namespace mfa;

namespace {

// USER's secret sealed under the key file itself, as a process that opened
// the database before its migration would still write it; the user.
User seal_the_old_way(Database& db, const std::string& name, const std::vector<std::uint8_t>& secret)
{
  auto& store = detail::store_of(db);
  auto user = store.find_user(name);
  REQUIRE(user);
  auto writing = store.write();
  store.save_sealed_secret(user->id, seal_secret_v1(store.key_file_key().bytes(), user->id, secret, system_random()));
  writing.commit();
  return *user;
}

} // namespace

TEST_CASE("keys: a connection opened before a data key rotation seals and opens under the new data key")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  life.add("bob");
  const auto alice = life.enroll("alice").first;
  Database early = life.open(); // holds data key 1
  CHECK(detail::store_of(early).data_key().id == 1);

  const auto rotated = rotate_data_key(life.db, "test");
  REQUIRE(rotated.ok());
  CHECK(rotated.value().data_key == 2);
  CHECK(rotated.value().resealed == 1);

  // A login on the early connection opens alice's secret, now under key 2.
  const auto accepted = verify_code(early, "alice", life.code(alice, 1), "test");
  CHECK_MESSAGE(accepted.ok(), accepted.message);
  // An enrollment on it seals under key 2, not the key it opened with.
  const auto start = begin_enrollment(early, "bob", "test");
  REQUIRE(start.ok());
  CHECK(detail::store_of(early).data_key().id == 2);
  const auto report = check_key(life.db);
  CHECK(report.checked == 2);
  CHECK(report.failed.empty());

  // A second rotation on the early connection starts from key 2: 3.
  const auto again = rotate_data_key(early, "test");
  REQUIRE(again.ok());
  CHECK(again.value().data_key == 3);
  CHECK(check_key(life.db).failed.empty());
}

TEST_CASE("keys: a key file rotation keeps the data key other connections hold, and refuses the key in use")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  const auto alice = life.enroll("alice").first;
  Database early = life.open();
  const auto same = rotate_key_file(life.db, life.db.paths().key_file, "test");
  CHECK(same.status == Status::invalid);
  const auto rotated = rotate_key_file(life.db, "other.key", "test");
  REQUIRE_MESSAGE(rotated.ok(), rotated.message);
  CHECK(rotated.value().key_file_created);
  // The early connection still verifies: its data key is the database's.
  CHECK(verify_code(early, "alice", life.code(alice, 1), "test").ok());
  // A new open with the old key file is refused; with the new one, it opens.
  CHECK_THROWS_AS(life.open(), KeyError);
  auto c = test::config(life.file);
  c.paths.key_file = "other.key";
  Database reopened = Database::open(c);
  CHECK(check_key(reopened).failed.empty());
}

TEST_CASE("keys: a data key rotation on a connection opened before a key file rotation refuses and writes nothing")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  life.enroll("alice");
  Database early = life.open(); // holds the first key file
  REQUIRE(rotate_key_file(life.db, "other.key", "test").ok());
  // Wrapping a new data key under the old key file would undo that rotation.
  CHECK_THROWS_WITH_AS(rotate_data_key(early, "test"), doctest::Contains("no longer opens the database's data key"), KeyError);
  CHECK_THROWS_AS(rotate_key_file(early, "third.key", "test"), KeyError);
  auto c = test::config(life.file);
  c.paths.key_file = "other.key";
  Database reopened = Database::open(c);
  CHECK(detail::store_of(reopened).data_key().id == 1);
  CHECK(check_key(reopened).failed.empty());
}

TEST_CASE("keys: a key file rotation on a connection opened before a data key rotation wraps the new data key")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  const auto alice = life.enroll("alice").first;
  Database early = life.open(); // holds data key 1
  REQUIRE(rotate_data_key(life.db, "test").ok());
  const auto rotated = rotate_key_file(early, "k2.key", "test");
  REQUIRE_MESSAGE(rotated.ok(), rotated.message);
  CHECK(rotated.value().data_key == 2);
  auto c = test::config(life.file);
  c.paths.key_file = "k2.key";
  c.clock = [t = life.now] { return *t; };
  Database reopened = Database::open(c);
  CHECK(detail::store_of(reopened).data_key().id == 2);
  CHECK(check_key(reopened).failed.empty());
  CHECK(verify_code(reopened, "alice", life.code(alice, 1), "test").ok());
}

TEST_CASE("keys: a secret sealed the old way after the migration opens, and a data rotation seals it anew")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  const auto alice = life.enroll("alice").first;
  auto& store = detail::store_of(life.db);
  const auto user = seal_the_old_way(life.db, "alice", alice.secret);
  CHECK(store.enrollment(user.id)->sealed_secret[0] == 1);
  CHECK(check_key(life.db).failed.empty());
  CHECK(verify_code(life.db, "alice", life.code(alice, 1), "test").ok());
  const auto rotated = rotate_data_key(life.db, "test");
  REQUIRE(rotated.ok());
  CHECK(rotated.value().resealed == 1);
  CHECK(store.enrollment(user.id)->sealed_secret[0] == 2);
  *life.now += 30;
  CHECK(verify_code(life.db, "alice", life.code(alice, 1), "test").ok());
}

TEST_CASE("keys: a key file rotation seals old-format secrets under the data key, so the new key file opens them")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  const auto alice = life.enroll("alice").first;
  seal_the_old_way(life.db, "alice", alice.secret);
  const auto rotated = rotate_key_file(life.db, "new.key", "test");
  REQUIRE(rotated.ok());
  CHECK(rotated.value().resealed == 1);
  auto c = test::config(life.file);
  c.paths.key_file = "new.key";
  c.clock = [t = life.now] { return *t; };
  Database reopened = Database::open(c);
  CHECK(check_key(reopened).failed.empty());
  CHECK(verify_code(reopened, "alice", life.code(alice, 1), "test").ok());
}

TEST_CASE("keys: a key check on a connection whose key file was rotated away is one fault, not every user")
{
  test::Lifecycle life;
  life.set(OptionKey::internal_mfa, Mode::required);
  life.add("alice");
  life.enroll("alice");
  Database early = life.open();
  REQUIRE(rotate_key_file(life.db, "other.key", "test").ok());
  auto c = test::config(life.file);
  c.paths.key_file = "other.key";
  Database reopened = Database::open(c);
  REQUIRE(rotate_data_key(reopened, "test").ok());
  CHECK_THROWS_AS(check_key(early), KeyError);
}
