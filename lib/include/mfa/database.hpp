// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/clock.hpp>
#include <mfa/export.hpp>
#include <mfa/outcome.hpp>
#include <mfa/paths.hpp>

#include <sys/types.h>

#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mfa {

namespace detail {
class Store;
struct DatabaseAccess; // the library's way in (lib/src/storage/database_impl.hpp)
}

// The newest schema this build reads and writes.
inline constexpr int k_schema_version = 5;

// An open mfa database with its key. Only create() makes a database; both
// migrate an older schema. Every connection uses WAL, synchronous=FULL,
// foreign keys and a busy timeout.
//
// Throws StorageError when there is no database (the message names the path
// and `mfa init`), or the file is not an mfa database, is corrupt, has a
// newer schema, or cannot be written; KeyError when the key file is missing,
// malformed, too permissive, or does not match. Neither case modifies the
// database file.
//
// A file of the database or the key that belongs to another account is
// refused (it could have been planted) unless it is shared through a group:
// the caller is in the file's group and the file's folder is a group-shared
// one of that group (setgid, of that group, not writable by others). The
// key file may be readable by its group (0640) only when that group is the
// database file's group.
//
// Threads: a Database is one SQLite connection. Use each Database (and the
// results of calls on it) from one thread at a time: one per thread. Different
// Database objects, on the same file or not, may be used from different
// threads at once, as different processes may: a code is accepted once and
// every failure is counted across them (tests/threads runs this under
// ThreadSanitizer). Moving a Database to another thread between calls is fine.
class MFA_API Database
{
public:
  struct Config
  {
    Paths paths;
    Clock clock = system_clock();
    RandomSource random = system_random();
    int busy_timeout_ms = 5000;
  };

  // Opens an existing database; never creates a file.
  // Throws StorageError, KeyError (above).
  static Database open(Config config);

  // Opens the database, first creating it, its key file and their folders
  // where they do not exist: private (files 0600, folders 0700), or with
  // `group` shared by that group (folders 2770, the database and its -wal
  // and -shm 0660, the key 0640, all of the group; an existing folder that
  // is to hold the database must be group-shared already). On an existing
  // database, the same as open(): created() tells which happened. Throws
  // InvalidArgument, creating nothing, when the caller (not root) is not in
  // `group`.
  // Throws StorageError, KeyError (above), InvalidArgument (the group).
  static Database create(Config config, std::optional<gid_t> group = std::nullopt);

  // Opens an existing, current database read-only, without its key and
  // without creating or changing any file: for quick look-ups such as shell
  // completion. Returns nothing when there is no such database yet (or it
  // needs a migration first; one of schema 3 is read as it is, short of its
  // second index of names: find_user() on it throws StorageError).
  // Operations that need the key throw KeyError.
  // Throws StorageError when the file is there but cannot be read.
  static std::optional<Database> open_existing_read_only(Config config);
  // Destruction, moves and the accessors below throw nothing.
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  const Paths& paths() const;
  // The database as messages name it: its path, or its URI without any
  // password in it.
  const std::string& name() const;
  // Whether this open created the database file.
  bool created() const;
  // Whether this open created the key file.
  bool key_created() const;

private:
  friend struct detail::DatabaseAccess;
  explicit Database(std::unique_ptr<detail::Store> store);
  std::unique_ptr<detail::Store> m_store; // the storage seam: SQLite's, or a test's

};

// What copy_database() copied: the rows of each table.
struct CopyCounts
{
  std::int64_t options = 0;
  std::int64_t users = 0;
  std::int64_t enrollments = 0;
  std::int64_t backup_codes = 0;
  std::int64_t audit = 0;
};

// Copies the whole of `from` (options, users, enrollments with their sealed
// secrets, backup-code hashes, the audit log, every row with its id) into
// `to`, in one transaction of `to` that first reads every copied row back and
// compares it with the source's, and then adds a `db.copy` audit row. `to`
// must have been opened with `from`'s key (KeyError otherwise) and hold no
// user, option or audit row: else Status::not_allowed, and nothing is written.
// Throws StorageError (nothing written) when the copy differs, KeyError.
MFA_API Outcome<CopyCounts> copy_database(Database& from, Database& to, std::string_view actor);

} // namespace mfa
