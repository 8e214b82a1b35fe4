// SPDX-License-Identifier: MIT
#include "storage/database_impl.hpp"
#include "util/file_util.hpp"
#include "storage/pg_connection.hpp"
#include "storage/pg_store.hpp"
#include "storage/schema.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace mfa {

namespace detail {

namespace {

std::string read_only_folder_message(const std::string& db_path)
{
  return "database " + db_path + " is read-only: its folder is, so its -wal and -shm files cannot be made";
}

} // namespace

StorageError storage_error(const std::string& db_path, const SQLite::Exception& e, int system_errno)
{
  if (system_errno == ENOSPC || system_errno == EDQUOT) {
    return StorageError("database " + db_path + ": the disk is full");
  }
  switch (e.getErrorCode() & 0xff) { // the primary code of an extended one
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return StorageError("database " + db_path + " is locked by another process; try again");
  case SQLITE_READONLY:
    if (e.getExtendedErrorCode() == SQLITE_READONLY_DIRECTORY || e.getExtendedErrorCode() == SQLITE_READONLY_CANTINIT) {
      return StorageError(read_only_folder_message(db_path));
    }
    return StorageError("database " + db_path + " is read-only");
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return StorageError("database " + db_path + " is corrupt or not an mfa database");
  case SQLITE_FULL:
    return StorageError("database " + db_path + ": the disk is full");
  case SQLITE_CANTOPEN:
    if (system_errno != 0) {
      return StorageError("cannot open database " + db_path + ": " + errno_text(system_errno));
    }
    return StorageError("cannot open database " + db_path);
  case SQLITE_IOERR:
    if (system_errno != 0) {
      return StorageError("database " + db_path + ": " + e.what() + " (" + errno_text(system_errno) + ")");
    }
    return StorageError("database " + db_path + ": " + e.what());
  default:
    return StorageError("database " + db_path + ": " + e.what());
  }
}

Cells::Type SqliteCells::type(int index) const
{
  switch (m_query.getColumn(index).getType()) {
  case SQLITE_NULL:
    return Type::null;
  case SQLITE_INTEGER:
    return Type::integer;
  case SQLITE_TEXT:
    return Type::text;
  case SQLITE_BLOB:
    return Type::blob;
  default:
    return Type::other;
  }
}

Bytes SqliteCells::blob(int index) const
{
  const SQLite::Column value = m_query.getColumn(index);
  const auto* data = static_cast<const std::uint8_t*>(value.getBlob());
  return Bytes(data, data + value.getBytes());
}

namespace {

constexpr char k_sqlite_header[] = "SQLite format 3";

// For a database the caller may not reach: when its folder is shared by a
// group the caller is not in, says so (the usual cause on a shared setup).
std::string not_in_group_hint(const std::string& path, int error)
{
  if (error != EACCES) {
    return {};
  }
  const auto folder = std::filesystem::path(path).parent_path();
  struct stat st{};
  if (::stat(folder.empty() ? "." : folder.c_str(), &st) != 0 || (st.st_mode & S_ISGID) == 0 || in_group(st.st_gid)) {
    return {};
  }
  return "; it is shared with group " + group_name(st.st_gid) + ", which you are not in";
}

std::string missing_database_message(const std::string& path)
{
  return "no database at " + path
         + "; run mfa init to create it, or name the right one with --db, MFA_DB or the configuration file";
}

// Flags for every connection: a symbolic link put at the path after
// prepare_file() checked it is refused too.
constexpr int k_open_read_write = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW;
constexpr int k_open_read_only = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW;

// What prepare_file() found: when it created the file, the file itself,
// open and locked (flock) until the new database is filled, so that other
// processes wait for it rather than take an empty file for a database.
enum class FileCreation
{
  allowed,
  forbidden,
};

struct PreparedFile
{
  Fd creation_lock;
  bool created() const { return creation_lock.get() >= 0; }
};

// Refuses a file at a database path (the database or its -wal, -shm or
// -journal) that mfa must not adopt: a symbolic link, not a regular file,
// or another account's (it could have planted it).
void check_database_file(const std::string& path, const struct stat& st, const std::string& what)
{
  if (S_ISLNK(st.st_mode)) {
    throw StorageError(what + " " + path
                       + " is a symbolic link; mfa opens only a regular file: give the real path");
  }
  if (!S_ISREG(st.st_mode)) {
    throw StorageError(path + " is not a database file");
  }
  if (!trusted_owner(st.st_uid) && !shared_through_group(path, st)) {
    throw StorageError(what + " " + path + " belongs to " + user_text(st.st_uid)
                       + ", not to you or root, and not through a group-shared folder; another account may have "
                         "planted it: refusing it");
  }
}

// Calls `check(path, st)` for each of the database's -wal, -shm and
// -journal files that exists.
template<typename Check>
void for_each_companion_file(const std::string& path, Check check)
{
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string companion = path + suffix;
    struct stat st{};
    if (::lstat(companion.c_str(), &st) == 0) {
      check(companion, st);
    } else if (errno != ENOENT) {
      throw StorageError("cannot open database file " + companion + ": " + errno_text(errno));
    }
  }
}

// Refuses a database (or -wal, -shm) that others may read or write: it
// holds the sealed secrets and the settings. Checked once the file is
// known to be an mfa database, so that a wrong file is named as such.
// Returns the database file's group.
gid_t check_private(const std::string& path)
{
  const auto check = [](const std::string& file, const struct stat& st) {
    if ((st.st_mode & 007) != 0) {
      throw StorageError("database file " + file + " is open to others (mode " + mode_text(st.st_mode)
                         + "); run: chmod 600 " + file);
    }
  };
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    throw StorageError("cannot open database " + path + ": " + errno_text(errno));
  }
  check(path, st);
  for_each_companion_file(path, check);
  return st.st_gid;
}

// Creates the file under a private name, locks it, then links it into
// place (never replacing a file another process made meanwhile): the path
// never shows an empty file that nobody is filling. Returns no file when
// another process made it first.
std::optional<Fd> create_locked(const std::string& path, SharedGroup group)
{
  create_parent_folders(path, group, FolderCheck::shared);
  const std::string temp = path + ".new." + std::to_string(::getpid());
  Fd fd(::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    throw StorageError("cannot create database " + path + ": " + errno_text(errno));
  }
  try {
    share_new_file(fd.get(), path, group, 0660);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  ::flock(fd.get(), LOCK_EX); // nobody else can know the file yet: never waits
  const int linked = ::link(temp.c_str(), path.c_str());
  const int error = errno;
  ::unlink(temp.c_str());
  if (linked == 0) {
    return fd;
  }
  if (error == EEXIST) {
    return std::nullopt;
  }
  throw StorageError("cannot create database " + path + ": " + errno_text(error));
}

// Checks the file before SQLite touches it, so that a file that is not a
// database, or one mfa must not trust, is never modified. Creates a new,
// empty, private file when there is none, holding a lock on it that tells
// other processes it is being filled (see PreparedFile).
PreparedFile prepare_file(const std::string& path, FileCreation creation, SharedGroup group = std::nullopt)
{
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT && creation == FileCreation::forbidden) {
      throw StorageError(missing_database_message(path));
    }
    if (const int error = errno; error != ENOENT) {
      throw StorageError("cannot open database " + path + ": " + errno_text(error) + not_in_group_hint(path, error));
    }
    if (auto made = create_locked(path, group)) {
      return PreparedFile{std::move(*made)};
    }
    if (::lstat(path.c_str(), &st) != 0) { // another process made it first
      throw StorageError("cannot open database " + path + ": " + errno_text(errno));
    }
  }
  check_database_file(path, st, "database");
  for_each_companion_file(path, [](const std::string& file, const struct stat& found) {
    check_database_file(file, found, "database file");
  });
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) {
    throw StorageError("cannot read database " + path + ": " + errno_text(errno));
  }
  // A database another process is creating is locked (flock) by it until
  // the schema is in: wait for that, whatever has reached the file so far
  // (SQLite writes its header before the schema), so that a half-made
  // database is never taken for another program's. (No lock of SQLite's is
  // held yet: this descriptor closes before SQLite opens the file.) An empty
  // file after that is a damaged one: never a new database.
  while (::flock(fd.get(), LOCK_SH) != 0 && errno == EINTR) {
  }
  if (::fstat(fd.get(), &st) != 0 || st.st_size == 0) {
    throw StorageError("database " + path
                       + " is an empty file, not an mfa database; if it is to be a new one, remove it and run "
                         "mfa init");
  }
  char header[sizeof k_sqlite_header] = {};
  const ssize_t n = ::pread(fd.get(), header, sizeof header, 0);
  if (n != static_cast<ssize_t>(sizeof header) || std::memcmp(header, k_sqlite_header, sizeof header) != 0) {
    throw StorageError(path + " is not an mfa database");
  }
  return {};
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

// Waiting for another process's write. SQLite's own busy handler sleeps
// 1, 2, 5 ... then 100 ms between tries, so the longer a process has waited
// the longer it sleeps, while processes that just arrived take the lock:
// with 16 processes verifying at once, a login waited up to 4 s, close to
// the timeout. Short sleeps (100 µs doubling to at most 5 ms) keep every
// waiter trying about as often as any other. Shorter still would cost
// throughput where the cores are few: each waiter that wakes takes the CPU
// from the process holding the lock (16 processes on 2 cores: 2,200
// logins/s with at most 2 ms, 3,500 with 5 ms, worst p99 0.1 s and 0.16 s;
// SQLite's own handler 5,500 and 4 s). As with SQLite's handler, the
// timeout (ms, the handler's argument) counts the sleeps asked for, not the
// clock: SQLite numbers the tries per statement, not per wait, and on a
// loaded machine a sleep lasts longer than asked, which must not make a
// process give up sooner.
int busy_wait(void* timeout_ms, int tries)
{
  constexpr std::int64_t k_first_us = 100;
  constexpr std::int64_t k_longest_us = 5000;
  constexpr int k_doublings = 6; // 100, 200, 400, 800, 1600, 3200, then 5000
  const std::int64_t slept_us = tries <= k_doublings
                                  ? k_first_us * ((std::int64_t{1} << tries) - 1)
                                  : k_first_us * ((std::int64_t{1} << k_doublings) - 1)
                                      + k_longest_us * (tries - k_doublings);
  if (slept_us >= std::int64_t{1000} * reinterpret_cast<std::intptr_t>(timeout_ms)) {
    return 0; // SQLite returns SQLITE_BUSY: "locked by another process"
  }
  // Each sleep is a random 50-150% of its step: processes that started
  // together (a WAL index to rebuild, a lock to take) must not keep
  // retrying in step, each one's try spoiling the others' (seen as eight of
  // sixteen processes timing out together on a loaded machine).
  // (The pid again at every call: children forked after a wait must not
  // share their parent's sequence.)
  thread_local std::uint64_t state =
    static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  state ^= static_cast<std::uint64_t>(::getpid()) * 0x9e3779b97f4a7c15ULL;
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  const std::int64_t step_us = tries < k_doublings ? k_first_us << tries : k_longest_us;
  const std::int64_t pause_us = step_us / 2 + static_cast<std::int64_t>(state % static_cast<std::uint64_t>(step_us + 1));
  struct timespec ts{0, static_cast<long>(pause_us * 1000)};
  ::nanosleep(&ts, nullptr);
  return 1;
}

void wait_when_busy(SQLite::Database& sql, int timeout_ms)
{
  sqlite3_busy_handler(sql.getHandle(), timeout_ms > 0 ? busy_wait : nullptr,
                       reinterpret_cast<void*>(static_cast<std::intptr_t>(timeout_ms)));
}

// The rest of open_connection(), once the key is loaded.
std::unique_ptr<DatabaseImpl> finish_open(SQLite::Database& sql, Database::Config config, const StoredKey& stored,
                                          const LoadedKey& loaded, int version, bool created)
{
  const std::string& path = config.paths.database;
  std::optional<DataKey> data_key;
  if (stored.data_key) {
    data_key = open_data_key(loaded.key, *stored.data_key, config.paths.key_file, path);
  } else if (stored.key_check && !equal_constant_time(*stored.key_check, key_check(loaded.key))) {
    throw KeyError("key file " + config.paths.key_file + " does not belong to database " + path);
  }

  if (sql.execAndGet("PRAGMA journal_mode").getString() != "wal") {
    sql.exec("PRAGMA journal_mode = WAL");
  }
  sql.exec("PRAGMA synchronous = FULL");
  sql.exec("PRAGMA foreign_keys = ON");
  bound_wal(sql);
  Bytes wrapped = stored.data_key ? *stored.data_key : Bytes{};
  if (version < k_schema_version || !data_key) {
    data_key = migrate(sql, loaded.key, config.random, config.paths.key_file);
    wrapped.clear(); // read again when first needed
  }
  return std::make_unique<DatabaseImpl>(std::move(sql), std::move(config),
                                        StoreKeys{loaded.key, *data_key, std::move(wrapped)}, created, loaded.created);
}

// The rest of open_impl(), on the open connection.
std::unique_ptr<DatabaseImpl> open_connection(SQLite::Database& sql, Database::Config config, bool created,
                                              FileCreation creation, SharedGroup group)
{
  const std::string path = config.paths.database;
  // SQLite quietly opens a file it cannot write read-only; every command
  // may write (a verification records its step or its failure), so refuse
  // here, the same way whatever the command would have done.
  if (sqlite3_db_readonly(sql.getHandle(), "main") == 1) {
    const auto folder = std::filesystem::path(path).parent_path();
    if (::access(path.c_str(), W_OK) == 0 && ::access(folder.empty() ? "." : folder.c_str(), W_OK) != 0) {
      throw StorageError(read_only_folder_message(path));
    }
    throw StorageError("database " + path + " is read-only");
  }
  keep_wal_between_processes(sql);

  // Read-only checks first: nothing below writes until the file is known
  // to be ours and not newer than this build.
  const int version = schema_version(sql);
  if (version < 0) {
    throw StorageError("database " + path + " is damaged: its schema version is " + std::to_string(version)
                       + "; restore it from a backup");
  }
  if (version > k_schema_version) {
    throw StorageError("database " + path + " has schema version " + std::to_string(version)
                       + ", newer than this mfa understands (" + std::to_string(k_schema_version)
                       + "); upgrade mfa");
  }
  if (is_foreign_database(sql)) {
    throw StorageError(path + " is an SQLite database, but not an mfa database");
  }
  const gid_t database_group = check_private(path);
  const auto stored = stored_key(sql);
  if (version >= 1 && !stored.any()) {
    // The first migration stores the key's row in the same transaction.
    throw StorageError("database " + path + " is damaged: it has no data key; restore it from a backup");
  }
  if (!stored.any() && creation == FileCreation::forbidden) {
    throw StorageError("database " + path + " is not set up yet (it has no mfa schema); run mfa init");
  }
  auto loaded = load_key(config.paths.key_file, stored.any() ? KeyCreation::forbidden : KeyCreation::allowed,
                         config.random, database_group, group);
  const std::string key_file = config.paths.key_file;
  try {
    return finish_open(sql, std::move(config), stored, loaded, version, created);
  } catch (...) {
    if (loaded.created) {
      ::unlink(key_file.c_str()); // nothing was sealed with it
    }
    throw;
  }
}

std::unique_ptr<DatabaseImpl> open_impl(Database::Config config, bool created, FileCreation creation,
                                        SharedGroup group)
{
  const std::string path = config.paths.database;
  SQLite::Database sql(path, k_open_read_write, config.busy_timeout_ms);
  wait_when_busy(sql, config.busy_timeout_ms);
  try {
    return open_connection(sql, std::move(config), created, creation, group);
  } catch (const SQLite::Exception& e) {
    throw storage_error(path, e, sqlite3_system_errno(sql.getHandle()));
  }
}

} // namespace

DatabaseImpl::~DatabaseImpl()
{
  // Only a connection that may write trims, and only a log past its bound:
  // the common close costs one stat(). The checkpoint waits for nobody (a
  // reader holding an old snapshot just leaves the log for a later close).
  if (!m_writable) {
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
  if (is_postgres_uri(config.paths.database)) {
    auto store = detail::open_postgres(std::move(config), detail::PgOpen::read_only);
    if (!store) {
      return std::nullopt;
    }
    return Database(std::move(store));
  }
  const std::string path = config.paths.database;
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    return std::nullopt;
  }
  detail::prepare_file(path, detail::FileCreation::forbidden); // refuses what is not a database, creates nothing here
  try {
    SQLite::Database sql(path, detail::k_open_read_only, config.busy_timeout_ms);
    detail::wait_when_busy(sql, config.busy_timeout_ms);
    // Version 3 differs only by the second index of names (step 4, added by
    // the first command that may write): its users can be listed as they are.
    const int version = detail::schema_version(sql);
    if (version < 3 || version > k_schema_version || detail::is_foreign_database(sql)) {
      return std::nullopt;
    }
    return Database(std::make_unique<detail::DatabaseImpl>(std::move(sql), std::move(config), std::nullopt, false,
                                                           false));
  } catch (const SQLite::Exception& e) {
    throw detail::storage_error(path, e);
  }
}

namespace detail {
namespace {

std::unique_ptr<DatabaseImpl> open_or_create(Database::Config config, FileCreation creation, SharedGroup group)
{
  const std::string path = config.paths.database;
  auto prepared = prepare_file(path, creation, group);
  const bool created = prepared.created();
  try {
    auto impl = open_impl(std::move(config), created, creation, group);
    if (created) {
      // The schema is in: let waiting processes go on. The file stays open
      // until SQLite closes its own: closing another descriptor of the file
      // would drop SQLite's locks on it.
      ::flock(prepared.creation_lock.get(), LOCK_UN);
      impl->keep_open(std::move(prepared.creation_lock));
    }
    return impl;
  } catch (const SQLite::Exception& e) {
    if (created) {
      remove_new_files(path);
    }
    throw storage_error(path, e);
  } catch (...) {
    if (created) {
      remove_new_files(path);
    }
    throw;
  }
}

} // namespace
} // namespace detail

Database Database::open(Config config)
{
  if (is_postgres_uri(config.paths.database)) {
    return Database(detail::open_postgres(std::move(config), detail::PgOpen::existing));
  }
  return Database(detail::open_or_create(std::move(config), detail::FileCreation::forbidden, std::nullopt));
}

Database Database::create(Config config, std::optional<gid_t> group)
{
  if (group && !detail::in_group(*group)) {
    throw InvalidArgument("you are not a member of group " + detail::group_text(*group)
                          + "; only a member (or root) can share the database with it");
  }
  if (is_postgres_uri(config.paths.database)) {
    return Database(detail::open_postgres(std::move(config), detail::PgOpen::create, group));
  }
  return Database(detail::open_or_create(std::move(config), detail::FileCreation::allowed, group));
}

Database::Database(std::unique_ptr<detail::Store> store) : m_store(std::move(store))
{
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

const Paths& Database::paths() const
{
  return m_store->paths();
}

const std::string& Database::name() const
{
  return m_store->name();
}

bool Database::created() const
{
  return m_store->created();
}

bool Database::key_created() const
{
  return m_store->key_created();
}

} // namespace mfa
