// SPDX-License-Identifier: MIT
#include "storage/schema.hpp"

#include "storage/stored_row.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

namespace mfa::detail {

namespace {

// Each step takes the schema from version i to i + 1. Never edit a step that
// has shipped; add a new one.
const std::array<std::string, k_schema_version> k_migrations = {
  // 0 -> 1: settings and the audit log
  R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE options (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target_kind TEXT NOT NULL,
      target TEXT NOT NULL,
      old_value TEXT,
      new_value TEXT
    );
    CREATE INDEX audit_by_target ON audit (target_kind, target);
  )sql",
  // 1 -> 2: users, enrollments and backup codes
  R"sql(
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL CHECK (type IN ('internal', 'external')),
      auth TEXT NOT NULL CHECK (auth IN ('password', 'sso')),
      email TEXT,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until INTEGER,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE enrollments (
      user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('pending', 'active')),
      secret BLOB NOT NULL,
      algorithm TEXT NOT NULL,
      digits INTEGER NOT NULL,
      period INTEGER NOT NULL,
      last_step INTEGER,
      created_at INTEGER NOT NULL,
      activated_at INTEGER
    );
    CREATE TABLE backup_codes (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      iterations INTEGER NOT NULL,
      salt BLOB NOT NULL,
      hash BLOB NOT NULL,
      used_at INTEGER
    );
    CREATE INDEX backup_codes_by_user ON backup_codes (user_id);
    ALTER TABLE audit ADD COLUMN reason TEXT;
  )sql",
  // 2 -> 3: when each user last signed in and last failed, for the helpdesk
  // (the audit log can be pruned), filled from the log where it has them;
  // and the audit log searched and pruned by time, newest first.
  std::string(R"sql(
    ALTER TABLE users ADD COLUMN last_login_at INTEGER;
    ALTER TABLE users ADD COLUMN last_failure_at INTEGER;
  )sql") + k_fill_last_login_and_failure + R"sql(
    CREATE INDEX audit_by_at ON audit (at);
  )sql",
  // 3 -> 4: a second index of user names. A name the first index misses is
  // looked up in this one (load_user) instead of in the whole table, which
  // took 80 ms on 1,000,000 users for every login of an unknown name.
  R"sql(
    CREATE INDEX users_by_name_check ON users (name);
  )sql",
  // 4 -> 5: two-level keys. No table changes: migrate() stores the data
  // key's row and seals every secret again under it, in this transaction.
  R"sql(
    SELECT 1;
  )sql",
};

std::optional<Bytes> meta_blob(SQLite::Database& sql, const char* key)
{
  SQLite::Statement query(sql, "SELECT value FROM meta WHERE key = ?");
  query.bind(1, key);
  if (!query.executeStep()) {
    return std::nullopt;
  }
  const auto column = query.getColumn(0);
  const auto* data = static_cast<const std::uint8_t*>(column.getBlob());
  return Bytes(data, data + column.getBytes());
}

void bind_bytes(SQLite::Statement& statement, int index, const Bytes& bytes)
{
  statement.bind(index, bytes.data(), static_cast<int>(bytes.size()));
}

} // namespace

int schema_version(SQLite::Database& sql)
{
  return sql.execAndGet("PRAGMA user_version").getInt();
}

bool is_foreign_database(SQLite::Database& sql)
{
  const int app_id = sql.execAndGet("PRAGMA application_id").getInt();
  if (app_id == k_application_id) {
    return false;
  }
  return app_id != 0 || sql.execAndGet("SELECT count(*) FROM sqlite_master").getInt() != 0;
}

StoredKey stored_key(SQLite::Database& sql)
{
  StoredKey stored;
  if (schema_version(sql) < 1) {
    return stored;
  }
  stored.data_key = meta_blob(sql, "data_key");
  if (!stored.data_key) {
    stored.key_check = meta_blob(sql, "key_check");
  }
  return stored;
}

DataKey migrate(SQLite::Database& sql, const Key& key_file_key, const RandomSource& random,
                const std::string& key_file)
{
  SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string path = sql.getFilename();
  const int version = schema_version(sql);
  if (version > k_schema_version) {
    throw StorageError("the database schema (version " + std::to_string(version)
                       + ") is newer than this mfa understands (version " + std::to_string(k_schema_version)
                       + "); upgrade mfa");
  }
  for (int step = version; step < k_schema_version; ++step) {
    sql.exec(k_migrations[static_cast<std::size_t>(step)]);
  }
  if (version < k_schema_version) {
    sql.exec("PRAGMA user_version = " + std::to_string(k_schema_version));
    sql.exec("PRAGMA application_id = " + std::to_string(k_application_id));
  }
  const StoredKey stored = stored_key(sql);
  if (stored.data_key) { // another process got here first
    auto data_key = open_data_key(key_file_key, *stored.data_key, key_file, path);
    transaction.commit();
    return data_key;
  }
  if (stored.key_check && !equal_constant_time(*stored.key_check, key_check(key_file_key))) {
    throw KeyError("key file " + key_file + " does not belong to database " + path);
  }
  DataKey data_key = make_data_key(1, random);
  SQLite::Statement insert(sql, "INSERT INTO meta (key, value) VALUES ('data_key', ?)");
  const Bytes wrapped = wrap_data_key(key_file_key, data_key, random);
  bind_bytes(insert, 1, wrapped);
  insert.exec();
  sql.exec("DELETE FROM meta WHERE key = 'key_check'");
  std::vector<SealedRow> rows;
  {
    SQLite::Statement query(sql, "SELECT user_id, secret FROM enrollments ORDER BY user_id");
    while (query.executeStep()) {
      const auto column = query.getColumn(1);
      const auto* data = static_cast<const std::uint8_t*>(column.getBlob());
      rows.push_back({query.getColumn(0).getInt64(), Bytes(data, data + column.getBytes())});
    }
  }
  SQLite::Statement update(sql, "UPDATE enrollments SET secret = ? WHERE user_id = ?");
  for (const auto& row : reseal_under_data_key(rows, key_file_key, data_key, random)) {
    bind_bytes(update, 1, row.sealed);
    update.bind(2, static_cast<int64_t>(row.user_id));
    update.exec();
    update.reset();
  }
  transaction.commit();
  return data_key;
}

} // namespace mfa::detail
