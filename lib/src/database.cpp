// SPDX-License-Identifier: MIT
#include "database_impl.hpp"
#include "file_util.hpp"
#include "schema.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace mfa {

namespace detail {

StorageError storage_error(const std::string& db_path, const SQLite::Exception& e)
{
  switch (e.getErrorCode()) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return StorageError("database " + db_path + " is locked by another process; try again");
  case SQLITE_READONLY:
    return StorageError("database " + db_path + " is read-only");
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return StorageError("database " + db_path + " is corrupt or not an mfa database");
  case SQLITE_FULL:
    return StorageError("database " + db_path + ": the disk is full");
  case SQLITE_CANTOPEN:
    return StorageError("cannot open database " + db_path);
  default:
    return StorageError("database " + db_path + ": " + e.what());
  }
}

namespace {

constexpr char k_sqlite_header[] = "SQLite format 3";

// Checks the file before SQLite touches it, so that a file that is not a
// database is never modified. Creates a new, empty, private file when there
// is none. Returns whether it created the file.
bool prepare_file(const std::string& path)
{
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      throw StorageError("cannot open database " + path + ": " + errno_text(errno));
    }
    create_parent_folders(path);
    UmaskGuard guard;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) {
        return false; // another process made it first
      }
      throw StorageError("cannot create database " + path + ": " + errno_text(errno));
    }
    ::close(fd);
    return true;
  }
  if (!S_ISREG(st.st_mode)) {
    throw StorageError(path + " is not a database file");
  }
  if (st.st_size == 0) {
    return false;
  }
  char header[sizeof k_sqlite_header] = {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw StorageError("cannot read database " + path + ": " + errno_text(errno));
  }
  const ssize_t n = ::read(fd, header, sizeof header);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof header) || std::memcmp(header, k_sqlite_header, sizeof header) != 0) {
    throw StorageError(path + " is not an mfa database");
  }
  return false;
}

void remove_new_files(const std::string& path)
{
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((path + suffix).c_str());
  }
}

// Every command is a short process. By default the last connection to close
// checkpoints the WAL into the database and deletes the -wal and -shm files,
// so the next process creates them again: three more syncs and two files
// per command. Keeping the WAL saves those, and is just as durable: each
// commit is synced to the WAL before it returns.
//
// But a kept WAL must stay small. The first connection of every process
// rebuilds the WAL index by reading the whole log (the -shm file does not
// survive the last close), so a log that a bulk import left at 19 MB costs
// every later login that much reading. Three bounds keep it near
// k_wal_limit_bytes: SQLite checkpoints after k_wal_limit_bytes of frames
// instead of 1000 pages, truncates the log to that size when it restarts it,
// and a connection that closes on a longer log checkpoints and truncates it
// to zero (DatabaseImpl::~DatabaseImpl).
constexpr std::int64_t k_wal_limit_bytes = 1024 * 1024;

void keep_wal_between_processes(SQLite::Database& sql)
{
  sqlite3* handle = sql.getHandle();
  sqlite3_db_config(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  int persist = 1;
  sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

void bound_wal(SQLite::Database& sql)
{
  const auto page_size = sql.execAndGet("PRAGMA page_size").getInt64();
  sql.exec("PRAGMA wal_autocheckpoint = " + std::to_string(k_wal_limit_bytes / page_size));
  sql.exec("PRAGMA journal_size_limit = " + std::to_string(k_wal_limit_bytes));
}

std::unique_ptr<DatabaseImpl> open_impl(Database::Config config, bool created)
{
  const std::string& path = config.paths.database;
  UmaskGuard guard;
  SQLite::Database sql(path, SQLite::OPEN_READWRITE, config.busy_timeout_ms);
  keep_wal_between_processes(sql);

  // Read-only checks first: nothing below writes until the file is known
  // to be ours and not newer than this build.
  const int version = schema_version(sql);
  if (version > k_schema_version) {
    throw StorageError("database " + path + " has schema version " + std::to_string(version)
                       + ", newer than this mfa understands (" + std::to_string(k_schema_version)
                       + "); upgrade mfa");
  }
  if (is_foreign_database(sql)) {
    throw StorageError(path + " is an SQLite database, but not an mfa database");
  }
  const auto stored_check = stored_key_check(sql);
  auto loaded = load_key(config.paths.key_file, stored_check ? KeyCreation::forbidden : KeyCreation::allowed,
                         config.random);
  const Bytes check = key_check(loaded.key);
  if (stored_check && !equal_constant_time(*stored_check, check)) {
    throw KeyError("key file " + config.paths.key_file + " does not belong to database " + path);
  }

  if (sql.execAndGet("PRAGMA journal_mode").getString() != "wal") {
    sql.exec("PRAGMA journal_mode = WAL");
  }
  sql.exec("PRAGMA synchronous = FULL");
  sql.exec("PRAGMA foreign_keys = ON");
  bound_wal(sql);
  if (version < k_schema_version || !stored_check) {
    migrate(sql, check);
  }
  return std::make_unique<DatabaseImpl>(std::move(sql), std::move(config), loaded.key, created, loaded.created);
}

} // namespace

DatabaseImpl::~DatabaseImpl()
{
  // Only a connection that may write trims, and only a log past its bound:
  // the common close costs one stat(). The checkpoint waits for nobody (a
  // reader holding an old snapshot just leaves the log for a later close).
  if (!m_key) {
    return;
  }
  struct stat st{};
  const std::string wal = m_config.paths.database + "-wal";
  if (::stat(wal.c_str(), &st) != 0 || st.st_size <= k_wal_limit_bytes) {
    return;
  }
  m_statements.clear();
  sqlite3* handle = m_sql.getHandle();
  sqlite3_busy_timeout(handle, 0);
  sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

} // namespace detail

std::optional<Database> Database::open_existing_read_only(Config config)
{
  const std::string path = config.paths.database;
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    return std::nullopt;
  }
  detail::prepare_file(path); // refuses what is not a database, creates nothing here
  try {
    SQLite::Database sql(path, SQLite::OPEN_READONLY, config.busy_timeout_ms);
    if (detail::schema_version(sql) != k_schema_version || detail::is_foreign_database(sql)) {
      return std::nullopt;
    }
    return Database(std::make_unique<detail::DatabaseImpl>(std::move(sql), std::move(config), std::nullopt, false,
                                                           false));
  } catch (const SQLite::Exception& e) {
    throw detail::storage_error(path, e);
  }
}

Database Database::open(Config config)
{
  const std::string path = config.paths.database;
  const bool created = detail::prepare_file(path);
  try {
    return Database(detail::open_impl(std::move(config), created));
  } catch (const SQLite::Exception& e) {
    if (created) {
      detail::remove_new_files(path);
    }
    throw detail::storage_error(path, e);
  } catch (...) {
    if (created) {
      detail::remove_new_files(path);
    }
    throw;
  }
}

Database::Database(std::unique_ptr<detail::DatabaseImpl> impl) : m_impl(std::move(impl))
{
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

const Paths& Database::paths() const
{
  return m_impl->paths();
}

bool Database::created() const
{
  return m_impl->created();
}

bool Database::key_created() const
{
  return m_impl->key_created();
}

detail::DatabaseImpl& Database::impl()
{
  return *m_impl;
}

} // namespace mfa
