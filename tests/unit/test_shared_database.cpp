// SPDX-License-Identifier: MIT
// Only create() makes a database; with a group it is shared by that group.
#include "helpers.hpp"

#include <mfa/error.hpp>
#include <mfa/users.hpp>

#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

using namespace mfa;
using test::mode_of;

namespace {

struct stat status_of(const std::string& path)
{
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

// A group the process may give files to other than its own: as root the
// conventional "users" group (100), else its own group.
gid_t a_group()
{
  return ::geteuid() == 0 ? 100 : ::getegid();
}

} // namespace

TEST_CASE("open: no database is a storage error naming the path and mfa init, and creates nothing")
{
  auto config = test::config("missing/folder/mfa.db");
  CHECK_THROWS_WITH_AS(Database::open(config),
                       doctest::Contains("no database at missing/folder/mfa.db; run mfa init"), StorageError);
  CHECK_FALSE(std::filesystem::exists("missing"));
  CHECK_THROWS_AS(Database::open(test::config("here.db")), StorageError);
  CHECK_FALSE(std::filesystem::exists("here.db"));
  CHECK_FALSE(std::filesystem::exists("here.db.key"));
}

TEST_CASE("open: an SQLite file with no mfa schema yet is not set up, and no key is made for it")
{
  {
    // An SQLite database with no tables, as another tool may leave it.
    SQLite::Database blank("blank.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    blank.exec("CREATE TABLE t(x); DROP TABLE t");
  }
  ::chmod("blank.db", 0600);
  CHECK_THROWS_WITH_AS(Database::open(test::config("blank.db")), doctest::Contains("run mfa init"), StorageError);
  CHECK_FALSE(std::filesystem::exists("blank.db.key"));
  auto created = Database::create(test::config("blank.db"));
  CHECK(created.key_created());
}

TEST_CASE("create: run twice, the second open changes nothing and says it created nothing")
{
  {
    auto first = Database::create(test::config());
    CHECK(first.created());
    CHECK(first.key_created());
    add_user(first, {"alice", UserType::internal, AuthMethod::password, std::nullopt}, "test");
  }
  auto second = Database::create(test::config());
  CHECK_FALSE(second.created());
  CHECK_FALSE(second.key_created());
  CHECK(find_user(second, "alice").ok());
  CHECK(mode_of("mfa.db") == 0600);
  CHECK(mode_of("mfa.db.key") == 0600);
}

TEST_CASE("create with a group: folders 2770, database and its log files 0660, key 0640, all of the group")
{
  const gid_t group = a_group();
  auto config = test::config("team/shared/mfa.db");
  config.paths.key_file = "team/shared/mfa.key";
  {
    auto db = Database::create(config, group);
    add_user(db, {"alice", UserType::internal, AuthMethod::password, std::nullopt}, "test");
  }
  for (const char* folder : {"team", "team/shared"}) {
    CAPTURE(folder);
    CHECK(mode_of(folder) == 02770);
    CHECK(status_of(folder).st_gid == group);
  }
  for (const char* file : {"team/shared/mfa.db", "team/shared/mfa.db-wal", "team/shared/mfa.db-shm"}) {
    CAPTURE(file);
    CHECK(mode_of(file) == 0660);
    CHECK(status_of(file).st_gid == group);
  }
  CHECK(mode_of("team/shared/mfa.key") == 0640);
  CHECK(status_of("team/shared/mfa.key").st_gid == group);
  // And the shared database opens again, its group-readable key accepted.
  auto again = Database::open(config);
  CHECK(find_user(again, "alice").ok());
}

TEST_CASE("create with a group refuses an existing folder that is not shared with it, and creates nothing")
{
  std::filesystem::create_directory("private");
  ::chmod("private", 0700);
  CHECK_THROWS_WITH_AS(Database::create(test::config("private/mfa.db"), a_group()),
                       doctest::Contains("is not shared with group"), StorageError);
  CHECK(std::filesystem::is_empty("private"));
  CHECK(mode_of("private") == 0700);
}
