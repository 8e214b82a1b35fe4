// SPDX-License-Identifier: MIT
#pragma once

// The storage seam's PostgreSQL implementation (storage/pg_store.cpp), for a
// database named by a libpq connection URI. The tables are those of the
// SQLite schema, at the same version, in the schema the URI's search_path
// names (`options=-csearch_path=NAME`), else `public`.

#include "storage/store.hpp"

#include <mfa/database.hpp>

#include <memory>

namespace mfa::detail {

enum class PgOpen
{
  existing,  // Database::open(): the tables must be there
  create,    // Database::create(): makes the schema, its tables and the key when absent
  read_only, // Database::open_existing_read_only(): no key, no write; nothing when not set up
};

// Throws StorageError, KeyError (as Database::open does). With
// PgOpen::read_only, returns nothing when there are no mfa tables yet (or
// they need a migration).
std::unique_ptr<Store> open_postgres(Database::Config config, PgOpen how, SharedGroup group = std::nullopt);

} // namespace mfa::detail
