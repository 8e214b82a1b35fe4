// SPDX-License-Identifier: MIT
#pragma once

#include "crypto/crypto.hpp"

#include <SQLiteCpp/Database.h>

#include <optional>

namespace mfa::detail {

// Marks our files apart from other SQLite databases ("MFA1").
inline constexpr int k_application_id = 0x4d464131;

int schema_version(SQLite::Database& sql);

// Whether the file holds tables although it is not marked as ours.
bool is_foreign_database(SQLite::Database& sql);

// The key check stored in the database, if it has one yet.
std::optional<Bytes> stored_key_check(SQLite::Database& sql);

// Brings the schema to k_schema_version inside one IMMEDIATE transaction and
// stores the key check when the database has none. Safe when several
// processes open a new database at once. Throws KeyError when another
// process stored a different key check meanwhile.
void migrate(SQLite::Database& sql, const Bytes& key_check);

} // namespace mfa::detail
