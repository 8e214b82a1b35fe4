// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/clock.hpp>
#include <mfa/export.hpp>
#include <mfa/paths.hpp>

#include <memory>
#include <optional>

namespace mfa {

namespace detail {
class DatabaseImpl;
}

// The newest schema this build reads and writes.
inline constexpr int k_schema_version = 3;

// An open mfa database with its key. Opening creates the database, its folder
// and the key file when they do not exist (mode 0600, folders 0700), and
// migrates an older schema. Every connection uses WAL, synchronous=FULL,
// foreign keys and a busy timeout.
//
// Throws StorageError when the file is not an mfa database, is corrupt, has a
// newer schema, or cannot be written; KeyError when the key file is missing
// for a database that has one, malformed, too permissive, or does not match.
// Neither case modifies the database file.
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

  static Database open(Config config);

  // Opens an existing, current database read-only, without its key and
  // without creating or changing any file: for quick look-ups such as shell
  // completion. Returns nothing when there is no such database yet (or it
  // needs a migration first). Operations that need the key throw KeyError.
  static std::optional<Database> open_existing_read_only(Config config);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  const Paths& paths() const;
  // Whether this open created the database file.
  bool created() const;
  // Whether this open created the key file.
  bool key_created() const;

  detail::DatabaseImpl& impl();

private:
  explicit Database(std::unique_ptr<detail::DatabaseImpl> impl);
  std::unique_ptr<detail::DatabaseImpl> m_impl;
};

} // namespace mfa
