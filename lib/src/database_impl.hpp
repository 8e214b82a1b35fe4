// SPDX-License-Identifier: MIT
#pragma once

#include "keyfile.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <optional>
#include <string>
#include <utility>

namespace mfa::detail {

class DatabaseImpl
{
public:
  DatabaseImpl(SQLite::Database sql, Database::Config config, std::optional<Key> key, bool created,
               bool key_created)
    : m_sql(std::move(sql)), m_config(std::move(config)), m_key(std::move(key)), m_created(created),
      m_key_created(key_created)
  {
  }

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

private:
  SQLite::Database m_sql;
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
