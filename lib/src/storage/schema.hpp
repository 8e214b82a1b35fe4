// SPDX-License-Identifier: MIT
#pragma once

#include "crypto/crypto.hpp"
#include "storage/keyfile.hpp"

#include <SQLiteCpp/Database.h>

#include <optional>

namespace mfa::detail {

// Marks our files apart from other SQLite databases ("MFA1").
inline constexpr int k_application_id = 0x4d464131;

int schema_version(SQLite::Database& sql);

// Whether the file holds tables although it is not marked as ours.
bool is_foreign_database(SQLite::Database& sql);

// What the database stores of its key: the data key's row (schema 5 on),
// or the key file's check (before two-level keys), if it has either yet.
struct StoredKey
{
  std::optional<Bytes> data_key;
  std::optional<Bytes> key_check;
  bool any() const { return data_key || key_check; }
};
StoredKey stored_key(SQLite::Database& sql);

// Brings the schema to k_schema_version inside one IMMEDIATE transaction.
// A new database gets a data key; one from before two-level keys gets one
// too, its secrets sealed again under it, in the same transaction. Safe when
// several processes open a new or old database at once. The data key, as
// the transaction left it. Throws KeyError when the key file's key is not
// the database's (`key_file` and the database's path name it).
DataKey migrate(SQLite::Database& sql, const Key& key_file_key, const RandomSource& random,
                const std::string& key_file);

} // namespace mfa::detail
