// SPDX-License-Identifier: MIT
#include "storage/database_impl.hpp"
#include "helpers.hpp"
#include "storage/schema.hpp"

#include <mfa/audit.hpp>
#include <mfa/options.hpp>

#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <sys/stat.h>

#include <filesystem>

using namespace mfa;
using test::mode_of;

namespace {

// Runs a body with a permissive umask, as a careless shell would have.
template<typename Body>
void with_umask(mode_t mask, Body body)
{
  const mode_t previous = ::umask(mask);
  body();
  ::umask(previous);
}

const char* const k_v1_schema = R"sql(
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
  CREATE TABLE options (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                      target_kind TEXT NOT NULL, target TEXT NOT NULL, old_value TEXT, new_value TEXT);
  CREATE INDEX audit_by_target ON audit (target_kind, target);
)sql";

} // namespace

TEST_CASE("storage: a new database, its folder and key are private even under umask 000")
{
  with_umask(0, [] {
    auto config = test::config("deep/er/mfa.db");
    config.paths.key_file = "deep/er/mfa.key";
    auto db = Database::create(config);
    CHECK(db.created());
    CHECK(db.key_created());
    set_option(db, OptionKey::window, 2, "t"); // a write, so that -wal and -shm exist
    CHECK(mode_of("deep/er/mfa.db") == 0600);
    CHECK(mode_of("deep/er/mfa.db-wal") == 0600);
    CHECK(mode_of("deep/er/mfa.db-shm") == 0600);
    CHECK(mode_of("deep/er/mfa.key") == 0600);
    CHECK(mode_of("deep/er") == 0700);
    CHECK(mode_of("deep") == 0700);
  });
  // The process umask is restored afterwards.
  const mode_t now = ::umask(022);
  ::umask(now);
  CHECK(now == 022);
}

TEST_CASE("storage: the schema is created with WAL, full sync, foreign keys and a version")
{
  auto db = Database::create(test::config());
  auto& sql = detail::impl_of(db).sql();
  CHECK(detail::schema_version(sql) == k_schema_version);
  CHECK(sql.execAndGet("PRAGMA application_id").getInt() == detail::k_application_id);
  CHECK(sql.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(sql.execAndGet("PRAGMA synchronous").getInt() == 2);
  CHECK(sql.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(sql.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('users','enrollments','backup_codes')")
          .getInt()
        == 3);
  // Two-level keys from the start: a data key's row, numbered 1, that the
  // key file opens; no key check of the older schemas.
  const auto stored = detail::stored_key(sql);
  REQUIRE(stored.data_key.has_value());
  CHECK_FALSE(stored.key_check.has_value());
  auto& store = detail::store_of(db);
  CHECK(store.data_key().id == 1);
  const auto opened = detail::open_data_key(store.key_file_key(), *stored.data_key, "k", "d");
  CHECK(opened.key.bytes() == store.data_key().key.bytes());
  CHECK(store.data_key().key.bytes() != store.key_file_key().bytes());
}

TEST_CASE("storage: reopening keeps data and creates nothing new")
{
  {
    auto db = Database::create(test::config());
    set_option(db, OptionKey::issuer, std::string("Acme"), "t");
  }
  const std::string key_before = test::read_file("mfa.db.key");
  auto db = Database::create(test::config());
  CHECK_FALSE(db.created());
  CHECK_FALSE(db.key_created());
  CHECK(load_settings(db).issuer == "Acme");
  CHECK(test::read_file("mfa.db.key") == key_before);
}

TEST_CASE("storage: a version 1 database is migrated and keeps its data")
{
  // Make the key and check with a current open, then rebuild the file as an
  // older mfa left it.
  detail::Bytes check;
  {
    auto db = Database::create(test::config("seed.db"));
    check = detail::key_check(detail::store_of(db).key_file_key());
  }
  std::filesystem::copy_file("seed.db.key", "old.db.key");
  {
    SQLite::Database sql("old.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec(k_v1_schema);
    SQLite::Statement insert(sql, "INSERT INTO meta (key, value) VALUES ('key_check', ?)");
    insert.bind(1, check.data(), static_cast<int>(check.size()));
    insert.exec();
    sql.exec("INSERT INTO options VALUES ('externalMFA', 'On (Optional)')");
    sql.exec("INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value) "
             "VALUES (5, 'bob', 'options.set', 'option', 'externalMFA', 'Off', 'On (Optional)')");
    sql.exec("PRAGMA user_version = 1");
    sql.exec("PRAGMA application_id = " + std::to_string(detail::k_application_id));
  }
  ::chmod("old.db", 0600); // as mfa made it: a database open to others is refused
  auto db = Database::create(test::config("old.db"));
  CHECK(detail::schema_version(detail::impl_of(db).sql()) == k_schema_version);
  CHECK(load_settings(db).external_mfa == Mode::optional);
  REQUIRE(audit_log(db).size() == 1);
  CHECK(audit_log(db)[0].actor == "bob");
  CHECK(detail::impl_of(db).sql().tableExists("users"));
}

TEST_CASE("storage: a newer schema is refused and the file left as it was")
{
  {
    SQLite::Database sql("new.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec("CREATE TABLE future (x)");
    sql.exec("PRAGMA user_version = " + std::to_string(k_schema_version + 1));
    sql.exec("PRAGMA application_id = " + std::to_string(detail::k_application_id));
  }
  const std::string before = test::read_file("new.db");
  CHECK_THROWS_WITH_AS(Database::create(test::config("new.db")), doctest::Contains("newer"), StorageError);
  CHECK(test::read_file("new.db") == before);
  CHECK_FALSE(std::filesystem::exists("new.db.key"));
}

TEST_CASE("storage: a file that is not a database is refused and never modified")
{
  const std::string garbage = "this is not a database, just some text\n";
  test::write_file("text.db", garbage);
  CHECK_THROWS_AS(Database::create(test::config("text.db")), StorageError);
  CHECK(test::read_file("text.db") == garbage);
  CHECK_FALSE(std::filesystem::exists("text.db.key"));

  // A header that looks right, then rubbish.
  std::string fake = std::string("SQLite format 3") + '\0' + std::string(4080, '\x5a');
  test::write_file("fake.db", fake);
  CHECK_THROWS_AS(Database::create(test::config("fake.db")), StorageError);
  CHECK(test::read_file("fake.db") == fake);

  std::filesystem::create_directory("folder.db");
  CHECK_THROWS_AS(Database::create(test::config("folder.db")), StorageError);
}

TEST_CASE("storage: another program's SQLite database is refused and never modified")
{
  {
    SQLite::Database sql("other.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    sql.exec("CREATE TABLE contacts (name TEXT)");
  }
  const std::string before = test::read_file("other.db");
  CHECK_THROWS_WITH_AS(Database::create(test::config("other.db")), doctest::Contains("not an mfa database"),
                       StorageError);
  CHECK(test::read_file("other.db") == before);
}

TEST_CASE("key: a missing, wrong, malformed or exposed key is refused and the database unchanged")
{
  {
    auto db = Database::create(test::config());
    set_option(db, OptionKey::window, 3, "t");
  }
  const std::string db_before = test::read_file("mfa.db");
  const std::string key = test::read_file("mfa.db.key");

  SUBCASE("missing")
  {
    std::filesystem::remove("mfa.db.key");
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("missing"), KeyError);
    CHECK_FALSE(std::filesystem::exists("mfa.db.key"));
  }
  SUBCASE("another database's key")
  {
    {
      auto other = Database::create(test::config("other.db"));
    }
    std::filesystem::copy_file("other.db.key", "mfa.db.key", std::filesystem::copy_options::overwrite_existing);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("does not belong"), KeyError);
  }
  SUBCASE("malformed")
  {
    test::write_file("mfa.db.key", "not a key\n");
    ::chmod("mfa.db.key", 0600);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("not an mfa key"), KeyError);
  }
  SUBCASE("readable by others")
  {
    ::chmod("mfa.db.key", 0644);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("open to others"), KeyError);
    ::chmod("mfa.db.key", 0604);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("open to others"), KeyError);
    // Group-writable never, even for the database's own group.
    ::chmod("mfa.db.key", 0660);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("never group-writable"), KeyError);
  }
  SUBCASE("readable by a group that is not the database's")
  {
    struct stat st{};
    REQUIRE(::stat("mfa.db", &st) == 0);
    // Another group of ours (root may give any): the key's group must be the database file's.
    const gid_t other = st.st_gid == 100 ? 0 : 100;
    if (::chown("mfa.db.key", static_cast<uid_t>(-1), other) != 0) {
      MESSAGE("cannot give the key to another group here (not root): only the mode is checked");
      return;
    }
    ::chmod("mfa.db.key", 0640);
    CHECK_THROWS_WITH_AS(Database::create(test::config()), doctest::Contains("only a key of the database's own group"),
                         KeyError);
  }
  CHECK(test::read_file("mfa.db") == db_before);
  // And the right key still works afterwards.
  test::write_file("mfa.db.key", key);
  ::chmod("mfa.db.key", 0600);
  auto db = Database::create(test::config());
  CHECK(load_settings(db).window == 3);
}

TEST_CASE("key: an existing key file is adopted by a new database")
{
  {
    auto db = Database::create(test::config("a.db"));
  }
  auto config = test::config("b.db");
  config.paths.key_file = "a.db.key";
  auto db = Database::create(config);
  CHECK(db.created());
  CHECK_FALSE(db.key_created());
}

TEST_CASE("key: a new database whose key cannot be used is not left behind")
{
  test::write_file("bad.key", "zz");
  ::chmod("bad.key", 0600);
  auto config = test::config("fresh.db");
  config.paths.key_file = "bad.key";
  CHECK_THROWS_AS(Database::create(config), KeyError);
  CHECK_FALSE(std::filesystem::exists("fresh.db"));
}
