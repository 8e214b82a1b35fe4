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
};

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

std::optional<Bytes> stored_key_check(SQLite::Database& sql)
{
  if (schema_version(sql) < 1) {
    return std::nullopt;
  }
  SQLite::Statement query(sql, "SELECT value FROM meta WHERE key = 'key_check'");
  if (!query.executeStep()) {
    return std::nullopt;
  }
  const auto column = query.getColumn(0);
  const auto* data = static_cast<const std::uint8_t*>(column.getBlob());
  return Bytes(data, data + column.getBytes());
}

void migrate(SQLite::Database& sql, const Bytes& key_check)
{
  SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
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
  if (auto existing = stored_key_check(sql)) {
    if (!equal_constant_time(*existing, key_check)) {
      throw KeyError("the key file does not belong to this database");
    }
  } else {
    SQLite::Statement insert(sql, "INSERT INTO meta (key, value) VALUES ('key_check', ?)");
    insert.bind(1, key_check.data(), static_cast<int>(key_check.size()));
    insert.exec();
  }
  transaction.commit();
}

} // namespace mfa::detail
