// SPDX-License-Identifier: MIT
#pragma once

#include "keyfile.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <unordered_map>

#include <optional>
#include <string>
#include <utility>

namespace mfa::detail {

// A prepared statement borrowed from the connection's cache; reset when the
// lease ends, so that no read snapshot outlives its use.
class StatementLease
{
public:
  explicit StatementLease(SQLite::Statement& statement) : m_statement(statement) {}
  ~StatementLease()
  {
    m_statement.reset();
    m_statement.clearBindings();
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  SQLite::Statement& operator*() const { return m_statement; }
  SQLite::Statement* operator->() const { return &m_statement; }

private:
  SQLite::Statement& m_statement;
};

class DatabaseImpl
{
public:
  DatabaseImpl(SQLite::Database sql, Database::Config config, std::optional<Key> key, bool created,
               bool key_created)
    : m_sql(std::move(sql)), m_config(std::move(config)), m_key(std::move(key)), m_created(created),
      m_key_created(key_created)
  {
  }
  // Trims the write-ahead log when it has grown past its bound; never throws.
  ~DatabaseImpl();
  DatabaseImpl(const DatabaseImpl&) = delete;
  DatabaseImpl& operator=(const DatabaseImpl&) = delete;

  SQLite::Database& sql() { return m_sql; }
  const Paths& paths() const { return m_config.paths; }
  std::int64_t now() const { return m_config.clock(); }
  const RandomSource& random() const { return m_config.random; }
  const Key& key() const
  {
    if (!m_key) {
      throw KeyError("the database was opened without its key");
    }
    return *m_key;
  }
  bool created() const { return m_created; }
  bool key_created() const { return m_key_created; }

  // The statement for `sql`, prepared once per connection. Do not lease the
  // same text twice at once.
  StatementLease statement(const std::string& sql)
  {
    auto& slot = m_statements[sql];
    if (!slot) {
      slot = std::make_unique<SQLite::Statement>(m_sql, sql);
    }
    return StatementLease(*slot);
  }

private:
  SQLite::Database m_sql;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_statements;
  Database::Config m_config;
  std::optional<Key> m_key;
  bool m_created;
  bool m_key_created;
};

// Turns an SQLite failure into a StorageError a person can act on.
StorageError storage_error(const std::string& db_path, const SQLite::Exception& e);

// Runs `body(impl)`, translating SQLite failures into StorageError.
template<typename Body>
auto with_sql(Database& db, Body&& body) -> decltype(body(db.impl()))
{
  try {
    return body(db.impl());
  } catch (const SQLite::Exception& e) {
    throw storage_error(db.paths().database, e);
  }
}

} // namespace mfa::detail
