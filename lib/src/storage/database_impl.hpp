// SPDX-License-Identifier: MIT
#pragma once

#include "storage/keyfile.hpp"
#include "storage/store.hpp"
#include "storage/stored_row.hpp"
#include "util/file_util.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <sqlite3.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <unordered_map>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfa::detail {

// A prepared statement borrowed from the connection's cache; reset when the
// lease ends, so that no read snapshot outlives its use.
class StatementLease
{
public:
  explicit StatementLease(SQLite::Statement& statement) : m_statement(statement) {}
  // Never throws: after a failed step sqlite3_reset() repeats that step's
  // error, and a destructor that threw it while the first exception unwinds
  // would abort the process. The error itself was already thrown by the step.
  ~StatementLease()
  {
    m_statement.tryReset();
    try {
      m_statement.clearBindings();
    } catch (const SQLite::Exception&) {
      // sqlite3_clear_bindings() cannot fail; nothing to undo if it did.
    }
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  SQLite::Statement& operator*() const { return m_statement; }
  SQLite::Statement* operator->() const { return &m_statement; }

private:
  SQLite::Statement& m_statement;
};

// How a bulk statement inserts. A statement of many rows that fails part
// way fails the whole write (its transaction is rolled back), so nothing of
// it needs undoing on its own: OR FAIL spares SQLite the statement journal
// it would otherwise write for every page the statement changes.
inline constexpr std::string_view k_bulk_insert = "INSERT OR FAIL INTO ";

// `prefix` followed by `rows` copies of `group`, comma-separated. A group
// may begin with numbered parameters (?1, ?2) that every row shares; SQLite
// numbers each plain ? one past the highest number given so far.
inline std::string values_sql(std::string_view prefix, std::size_t rows, std::string_view group)
{
  std::string sql(prefix);
  sql.reserve(prefix.size() + rows * (group.size() + 2));
  for (std::size_t i = 0; i < rows; ++i) {
    sql.append(i == 0 ? "" : ", ").append(group);
  }
  return sql;
}

// Text for a bulk statement's parameters, bound without a copy: it lives
// until the statement's lease ends (declare it before the lease).
class BoundText
{
public:
  // The text kept, to bind again at other indexes.
  const std::string& bind(SQLite::Statement& statement, int index, std::string_view text)
  {
    const std::string& kept = m_text.emplace_back(text); // a deque's elements stay put
    statement.bindNoCopy(index, kept);
    return kept;
  }

private:
  std::deque<std::string> m_text;
};

// An open SQLite database: the connection, its key and its statements; the
// SQLite implementation of the storage seam (storage/sqlite_store.cpp).
class DatabaseImpl final : public Store
{
public:
  DatabaseImpl(SQLite::Database sql, Database::Config config, std::optional<StoreKeys> keys, bool created,
               bool key_created)
    : m_sql(std::move(sql)), m_config(std::move(config)), m_writable(keys.has_value()), m_created(created),
      m_key_created(key_created)
  {
    if (keys) {
      adopt_keys(std::move(*keys));
    }
  }
  // Trims the write-ahead log when it has grown past its bound; never throws.
  ~DatabaseImpl() override;
  DatabaseImpl(const DatabaseImpl&) = delete;
  DatabaseImpl& operator=(const DatabaseImpl&) = delete;

  SQLite::Database& sql() { return m_sql; }
  const Paths& paths() const override { return m_config.paths; }

  // The storage seam.
  const std::string& name() const override { return m_config.paths.database; }
  std::int64_t now() const override { return m_config.clock(); }
  const RandomSource& random() const override { return m_config.random; }
  void save_data_key(const Key& key_file_key, const DataKey& data_key) override;
  std::optional<Bytes> data_key_row() override;
  void save_sealed_secret(std::int64_t user_id, const Bytes& sealed) override;
  Transaction write() override;
  Transaction read() override;
  std::vector<OptionRow> option_rows() override;
  void save_option(std::string_view key, std::string_view value) override;
  std::int64_t users_without_active_enrollment(UserType type) override;
  std::optional<User> find_user(std::string_view name, IndexCheck check) override;
  std::vector<User> list_users(const UserFilter& filter) override;
  std::vector<std::string> user_names() override;
  std::int64_t insert_user(const NewUser& user) override;
  void update_user(std::int64_t user_id, UserType type, AuthMethod auth,
                   const std::optional<std::string>& email) override;
  void remove_user(std::int64_t user_id) override;
  void open_name_ledger() override;
  std::vector<std::int64_t> note_names(const std::vector<NameLine>& names) override;
  void insert_users(const std::vector<NewUser>& users) override;
  std::vector<User> find_users(const std::vector<std::string_view>& names) override;
  bool has_users() override;
  void close_name_ledger() override;
  void bulk_caches(bool on) override;
  int failed_attempts(std::int64_t user_id) override;
  void save_failure(std::int64_t user_id, int failures, std::optional<std::int64_t> locked_until,
                    std::int64_t at) override;
  void save_login(std::int64_t user_id, std::int64_t at) override;
  void clear_lock(std::int64_t user_id) override;
  std::optional<EnrollmentRow> enrollment(std::int64_t user_id) override;
  void save_pending_enrollment(std::int64_t user_id, const Bytes& sealed_secret, const TotpParams& params) override;
  void activate_enrollment(std::int64_t user_id, std::int64_t step) override;
  bool consume_step(std::int64_t user_id, std::int64_t step) override;
  void remove_enrollment(std::int64_t user_id) override;
  std::vector<BackupCodeRow> backup_codes(std::int64_t user_id) override;
  BackupCodeCounts count_backup_codes(std::int64_t user_id) override;
  bool consume_backup_code(std::int64_t user_id, std::int64_t code_id) override;
  void replace_backup_codes(std::int64_t user_id, const std::vector<BackupCodeHash>& hashes) override;
  void append_audit(const AuditRecord& entry) override;
  void append_audits(const std::vector<AuditRecord>& entries) override;
  std::vector<AuditEntry> audit_entries(const AuditQuery& query, const std::vector<std::string>& user_names) override;
  bool audit_mentions_user(const std::vector<std::string>& user_names) override;
  AuditPrunePlan audit_before(std::int64_t before) override;
  std::int64_t remove_audit(std::int64_t before, std::int64_t last_id) override;
  std::vector<StoredValues> table_rows(CopyTable table, const std::optional<StoredValue>& after,
                                       std::size_t limit) override;
  void insert_rows(CopyTable table, const std::vector<StoredValues>& rows) override;

  bool created() const override { return m_created; }
  // Keeps `file` open until the connection has closed.
  void keep_open(Fd file) { m_kept_open = std::move(file); }
  bool key_created() const override { return m_key_created; }

  // A bulk statement of `rows` rows. One of a full batch's size (or of one
  // row) is prepared once, like statement(); a shorter one (a bulk's last
  // part) for this use only, so that a long-lived connection does not keep
  // one of every size.
  class BulkStatement
  {
  public:
    BulkStatement(DatabaseImpl& db, const std::string& sql, std::size_t rows)
    {
      if (rows == 1 || rows == k_rows_per_statement) {
        m_lease.emplace(db.prepared(sql));
      } else {
        m_own = std::make_unique<SQLite::Statement>(db.m_sql, sql);
      }
    }
    SQLite::Statement& operator*() const { return m_own ? *m_own : **m_lease; }
    SQLite::Statement* operator->() const { return &**this; }

  private:
    std::optional<StatementLease> m_lease;
    std::unique_ptr<SQLite::Statement> m_own;
  };
  BulkStatement bulk_statement(const std::string& sql, std::size_t rows) { return {*this, sql, rows}; }

  // The statement for `sql`, prepared once per connection. Do not lease the
  // same text twice at once.
  StatementLease statement(const std::string& sql) { return StatementLease(prepared(sql)); }

private:
  SQLite::Statement& prepared(const std::string& sql)
  {
    auto& slot = m_statements[sql];
    if (!slot) {
      slot = std::make_unique<SQLite::Statement>(m_sql, sql);
    }
    return *slot;
  }

  Fd m_kept_open; // declared first: closed after m_sql
  SQLite::Database m_sql;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_statements;
  Database::Config m_config;
  bool m_writable; // opened with its key: may write (and trim the log)
  bool m_created;
  bool m_key_created;
  std::optional<std::pair<int, int>> m_usual_cache; // main and temp, while bulk_caches(true)
};

// The current row of an SQLite query, as the stored-row readers see it.
class SqliteCells final : public Cells
{
public:
  explicit SqliteCells(SQLite::Statement& query) : m_query(query) {}
  Type type(int index) const override;
  std::int64_t integer(int index) const override { return m_query.getColumn(index).getInt64(); }
  std::string text(int index) const override { return m_query.getColumn(index).getString(); }
  Bytes blob(int index) const override;

private:
  SQLite::Statement& m_query;
};

// Turns an SQLite failure into a StorageError a person can act on.
// `system_errno` is the connection's sqlite3_system_errno(), when known.
StorageError storage_error(const std::string& db_path, const SQLite::Exception& e, int system_errno = 0);

// The connection behind a Database: the only way to it, since the public
// header keeps it private (for the library and its unit tests).
struct DatabaseAccess
{
  static Store& store(Database& db) { return *db.m_store; }
  static Database make(std::unique_ptr<Store> store) { return Database(std::move(store)); }
};

// The SQLite database under `db` (std::bad_cast for another store).
inline DatabaseImpl& impl_of(Database& db)
{
  return dynamic_cast<DatabaseImpl&>(DatabaseAccess::store(db));
}

// Runs `body(impl)`, translating SQLite failures into StorageError.
template<typename Body>
auto with_sql(Database& db, Body&& body) -> decltype(body(impl_of(db)))
{
  try {
    return body(impl_of(db));
  } catch (const SQLite::Exception& e) {
    throw storage_error(db.paths().database, e, sqlite3_system_errno(impl_of(db).sql().getHandle()));
  }
}

} // namespace mfa::detail
