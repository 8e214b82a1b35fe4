// SPDX-License-Identifier: MIT
// The storage seam's SQLite implementation: each domain operation of
// storage/store.hpp as SQL on the open connection.
#include "storage/audit_writer.hpp"
#include "storage/database_impl.hpp"
#include "storage/user_store.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <SQLiteCpp/Transaction.h>

#include <algorithm>

namespace mfa::detail {

namespace {

class SqliteTransaction final : public Transaction::Impl
{
public:
  SqliteTransaction(SQLite::Database& sql, SQLite::TransactionBehavior behavior) : m_transaction(sql, behavior) {}
  void commit() override { m_transaction.commit(); }

private:
  SQLite::Transaction m_transaction;
};

// The name ledger's table (its statements are kept prepared while it is open).
constexpr std::string_view k_ledger = "temp.mfa_import_seen";

void bind_blob(SQLite::Statement& statement, int index, const std::vector<std::uint8_t>& bytes)
{
  statement.bind(index, bytes.data(), static_cast<int>(bytes.size()));
}

void bind_value(SQLite::Statement& statement, int index, const StoredValue& value)
{
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    statement.bind(index, static_cast<int64_t>(*integer));
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    statement.bind(index, *text);
  } else if (const auto* bytes = std::get_if<Bytes>(&value)) {
    bind_blob(statement, index, *bytes);
  } else {
    statement.bind(index); // NULL
  }
}

std::string numbered(int index)
{
  return "?" + std::to_string(index);
}

} // namespace

void Store::damaged(std::string_view table, std::string_view column, std::string_view row,
                    std::string_view problem) const
{
  std::string message = "database " + (name().empty() ? "" : name() + " ") + "is damaged: " + std::string(table) + "."
                        + std::string(column);
  if (!row.empty()) {
    message += " of " + std::string(row);
  }
  throw StorageError(message + " " + std::string(problem) + "; restore it from a backup");
}

const DataKey& Store::current_data_key()
{
  const auto wrapped = data_key_row();
  if (!wrapped) {
    damaged("meta", "value", "data_key", "is missing");
  }
  const StoreKeys& held = keys();
  if (*wrapped == held.wrapped) {
    return held.data; // as this store last read or wrote it
  }
  // Rewritten since: by this store's own rotation, or by another process's
  // (each wrap has a fresh nonce). The key file this store opened with must
  // still open it: after another process moved the database to another key
  // file, nothing here may wrap or seal under the old one.
  DataKey data;
  try {
    data = open_data_key(held.file, *wrapped, paths().key_file, name());
  } catch (const KeyError&) {
    throw KeyError("key file " + paths().key_file + " no longer opens the database's data key (another process "
                   "moved the database to another key file with mfa key rotate --new-key-file since this one opened "
                   "it, or the row is damaged); nothing was written: run it again with the new key file");
  }
  adopt_keys({held.file, data, *wrapped});
  return keys().data;
}

std::vector<StoredValues> Store::table_rows(CopyTable, const std::optional<StoredValue>&, std::size_t)
{
  throw StorageError("database " + name() + " cannot be copied");
}

void Store::insert_rows(CopyTable, const std::vector<StoredValues>&)
{
  throw StorageError("database " + name() + " cannot be copied into");
}

Store& store_of(Database& db)
{
  return DatabaseAccess::store(db);
}

Database database_on(std::unique_ptr<Store> store)
{
  return DatabaseAccess::make(std::move(store));
}

void with_store_impl(Database& db, const std::function<void(Store&)>& body)
{
  Store& store = store_of(db);
  if (dynamic_cast<DatabaseImpl*>(&store) == nullptr) {
    body(store); // another store's faults are its own StorageError
    return;
  }
  with_sql(db, [&](DatabaseImpl& impl) {
    body(impl);
    return 0;
  });
}

Transaction DatabaseImpl::write()
{
  return Transaction(std::make_unique<SqliteTransaction>(m_sql, SQLite::TransactionBehavior::IMMEDIATE));
}

Transaction DatabaseImpl::read()
{
  return Transaction(std::make_unique<SqliteTransaction>(m_sql, SQLite::TransactionBehavior::DEFERRED));
}

std::vector<OptionRow> DatabaseImpl::option_rows()
{
  std::vector<OptionRow> rows;
  auto query = statement("SELECT key, value FROM options");
  while (query->executeStep()) {
    rows.push_back(read_option(SqliteCells(*query), name()));
  }
  return rows;
}

void DatabaseImpl::save_option(std::string_view key, std::string_view value)
{
  auto upsert = statement(
    "INSERT INTO options (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  upsert->bind(1, std::string(key));
  upsert->bind(2, std::string(value));
  upsert->exec();
}

std::int64_t DatabaseImpl::users_without_active_enrollment(UserType type)
{
  auto query = statement(R"sql(
    SELECT count(*) FROM users u
    WHERE u.type = ? AND u.auth = 'password'
      AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.state = 'active'))sql");
  query->bind(1, to_string(type));
  query->executeStep();
  return query->getColumn(0).getInt64();
}

std::optional<User> DatabaseImpl::find_user(std::string_view user_name, IndexCheck check)
{
  return load_user(*this, user_name, check);
}

std::vector<User> DatabaseImpl::list_users(const UserFilter& filter)
{
  std::vector<User> users;
  // instr(), not LIKE: % and _ in the search are plain characters.
  auto query = statement(k_select_users + R"sql(
    WHERE (?1 = '' OR instr(lower(u.name), lower(?1)) > 0 OR instr(lower(coalesce(u.email, '')), lower(?1)) > 0)
      AND (?2 IS NULL OR coalesce(u.locked_until, 0) > ?2)
      AND (?3 IS NULL OR coalesce(e.state, 'none') = ?3)
      AND (?4 IS NULL OR u.type = ?4)
      AND (?5 IS NULL OR u.auth = ?5)
    ORDER BY u.name)sql");
  query->bind(1, filter.search);
  if (filter.locked) {
    query->bind(2, static_cast<int64_t>(now()));
  }
  if (filter.enrollment) {
    query->bind(3, to_string(*filter.enrollment));
  }
  if (filter.type) {
    query->bind(4, to_string(*filter.type));
  }
  if (filter.auth) {
    query->bind(5, to_string(*filter.auth));
  }
  while (query->executeStep()) {
    users.push_back(read_user(SqliteCells(*query), name()));
  }
  return users;
}

std::vector<std::string> DatabaseImpl::user_names()
{
  std::vector<std::string> names;
  auto query = statement("SELECT name FROM users ORDER BY name");
  while (query->executeStep()) {
    names.push_back(query->getColumn(0).getString());
  }
  return names;
}

std::int64_t DatabaseImpl::insert_user(const NewUser& user)
{
  auto insert = statement("INSERT INTO users (name, type, auth, email, created_at) VALUES (?, ?, ?, ?, ?)");
  insert->bind(1, user.name);
  insert->bind(2, to_string(user.type));
  insert->bind(3, to_string(user.auth));
  if (user.email && !user.email->empty()) {
    insert->bind(4, *user.email);
  }
  insert->bind(5, static_cast<int64_t>(now()));
  insert->exec();
  return m_sql.getLastInsertRowid();
}

void DatabaseImpl::update_user(std::int64_t user_id, UserType type, AuthMethod auth,
                               const std::optional<std::string>& email)
{
  auto update = statement("UPDATE users SET type = ?, auth = ?, email = ? WHERE id = ?");
  update->bind(1, to_string(type));
  update->bind(2, to_string(auth));
  if (email && !email->empty()) {
    update->bind(3, *email);
  }
  update->bind(4, static_cast<int64_t>(user_id));
  update->exec();
}

void DatabaseImpl::remove_user(std::int64_t user_id)
{
  auto remove = statement("DELETE FROM users WHERE id = ?");
  remove->bind(1, static_cast<int64_t>(user_id));
  remove->exec();
}

void DatabaseImpl::insert_users(const std::vector<NewUser>& users)
{
  const auto at = static_cast<int64_t>(now());
  for_each_chunk(users.size(), [&](std::size_t first, std::size_t count) {
    // The time is ?1, shared. OR FAIL (k_bulk_insert): no statement journal.
    auto insert = bulk_statement(
      values_sql(std::string(k_bulk_insert) + "users (created_at, name, type, auth, email) VALUES ", count,
                 "(?1, ?, ?, ?, ?)"),
      count);
    insert->bind(1, at);
    int index = 1;
    for (std::size_t i = first; i < first + count; ++i) {
      const NewUser& user = users[i]; // lives past the statement's run
      insert->bindNoCopy(++index, user.name);
      insert->bindNoCopy(++index, to_string(user.type));
      insert->bindNoCopy(++index, to_string(user.auth));
      if (user.email && !user.email->empty()) {
        insert->bindNoCopy(++index, *user.email);
      } else {
        ++index; // NULL
      }
    }
    insert->exec();
  });
}

std::vector<User> DatabaseImpl::find_users(const std::vector<std::string_view>& names)
{
  // The names first (the common case of a bulk: none is there), in both
  // indexes of names: a name only one of them has is a damaged index (an
  // import would otherwise add a second row of an existing user's name,
  // which the damaged UNIQUE index lets through). Then each user found,
  // read and checked as find_user() reads it.
  std::vector<std::string> found;
  for_each_chunk(names.size(), [&](std::size_t first, std::size_t count) {
    std::string list;
    for (std::size_t i = 0; i < count; ++i) {
      list += (i == 0 ? "?" : ", ?") + std::to_string(i + 1);
    }
    BoundText text;
    auto query = bulk_statement("SELECT name, count(*) FROM (SELECT name FROM users INDEXED BY sqlite_autoindex_users_1"
                                " WHERE name IN (" + list + ") UNION ALL SELECT name FROM users INDEXED BY"
                                " users_by_name_check WHERE name IN (" + list + ")) GROUP BY name",
                                count);
    for (std::size_t i = 0; i < count; ++i) {
      text.bind(*query, static_cast<int>(i + 1), names[first + i]);
    }
    while (query->executeStep()) {
      if (query->getColumn(1).getInt64() != 2) {
        throw index_misses(paths().database, query->getColumn(0).getString());
      }
      found.push_back(query->getColumn(0).getString());
    }
  });
  std::vector<User> users;
  for (const auto& user_name : found) {
    auto user = load_user(*this, user_name, IndexCheck::trust);
    if (!user) {
      throw index_misses(paths().database, user_name);
    }
    users.push_back(std::move(*user));
  }
  return users;
}

bool DatabaseImpl::has_users()
{
  auto query = statement("SELECT EXISTS (SELECT 1 FROM users)");
  query->executeStep();
  return query->getColumn(0).getInt() != 0;
}

void DatabaseImpl::open_name_ledger()
{
  // Without a rowid: the names' one B-tree is the whole table.
  m_sql.exec("CREATE TEMP TABLE mfa_import_seen (name TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID");
}

std::vector<std::int64_t> DatabaseImpl::note_names(const std::vector<NameLine>& names)
{
  std::vector<std::int64_t> first_lines;
  first_lines.reserve(names.size());
  for_each_chunk(names.size(), [&](std::size_t first, std::size_t count) {
    {
      BoundText text;
      // OR IGNORE: a name noted before stays as it was, and no statement
      // journal is kept (see k_bulk_insert).
      auto note =
        bulk_statement(values_sql("INSERT OR IGNORE INTO " + std::string(k_ledger) + " (name, line) VALUES ", count, "(?, ?)"),
                       count);
      int index = 0;
      for (std::size_t i = first; i < first + count; ++i) {
        text.bind(*note, ++index, names[i].name);
        note->bind(++index, static_cast<int64_t>(names[i].line));
      }
      if (static_cast<std::size_t>(note->exec()) == count) { // every name new
        for (std::size_t i = first; i < first + count; ++i) {
          first_lines.push_back(names[i].line);
        }
        return;
      }
    }
    for (std::size_t i = first; i < first + count; ++i) {
      auto seen = statement("SELECT line FROM " + std::string(k_ledger) + " WHERE name = ?");
      seen->bind(1, std::string(names[i].name));
      seen->executeStep();
      first_lines.push_back(seen->getColumn(0).getInt64());
    }
  });
  return first_lines;
}

void DatabaseImpl::close_name_ledger()
{
  // Its statements are finalized before the table goes.
  std::erase_if(m_statements, [](const auto& entry) { return entry.first.find(k_ledger) != std::string::npos; });
  m_sql.exec("DROP TABLE " + std::string(k_ledger));
}

void DatabaseImpl::bulk_caches(bool on)
{
  // Pages of the file (its tables and indexes) and of the temporary
  // database (the name ledger), in KiB: a bulk write's B-trees stay in
  // memory instead of spilling to the write-ahead log and being read back.
  static constexpr const char* k_bulk = "PRAGMA main.cache_size = -8192; PRAGMA temp.cache_size = -2048";
  if (on) {
    m_usual_cache = {m_sql.execAndGet("PRAGMA main.cache_size").getInt(),
                     m_sql.execAndGet("PRAGMA temp.cache_size").getInt()};
    m_sql.exec(k_bulk);
    return;
  }
  if (!m_usual_cache) {
    return;
  }
  const auto [main, temp] = *m_usual_cache;
  m_usual_cache.reset();
  // Smaller again, the caches give their pages back.
  try {
    const std::string usual =
      "PRAGMA main.cache_size = " + std::to_string(main) + "; PRAGMA temp.cache_size = " + std::to_string(temp);
    m_sql.tryExec(usual.c_str());
  } catch (const std::bad_alloc&) {
    // The caches stay large: a waste of memory, not of data.
  }
}

int DatabaseImpl::failed_attempts(std::int64_t user_id)
{
  auto read = statement("SELECT failed_attempts FROM users WHERE id = ?");
  read->bind(1, static_cast<int64_t>(user_id));
  return read->executeStep() ? read->getColumn(0).getInt() : 0;
}

void DatabaseImpl::save_failure(std::int64_t user_id, int failures, std::optional<std::int64_t> locked_until,
                                std::int64_t at)
{
  auto update = statement("UPDATE users SET failed_attempts = ?1, locked_until = coalesce(?2, locked_until), "
                          "last_failure_at = ?4 WHERE id = ?3");
  update->bind(1, failures);
  if (locked_until) {
    update->bind(2, static_cast<int64_t>(*locked_until));
  }
  update->bind(3, static_cast<int64_t>(user_id));
  update->bind(4, static_cast<int64_t>(at));
  update->exec();
}

void DatabaseImpl::save_login(std::int64_t user_id, std::int64_t at)
{
  auto clear = statement("UPDATE users SET failed_attempts = 0, last_login_at = ?2 WHERE id = ?1");
  clear->bind(1, static_cast<int64_t>(user_id));
  clear->bind(2, static_cast<int64_t>(at));
  clear->exec();
}

void DatabaseImpl::clear_lock(std::int64_t user_id)
{
  auto clear = statement("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?");
  clear->bind(1, static_cast<int64_t>(user_id));
  clear->exec();
}

std::optional<EnrollmentRow> DatabaseImpl::enrollment(std::int64_t user_id)
{
  return load_enrollment(*this, user_id);
}

void DatabaseImpl::save_pending_enrollment(std::int64_t user_id, const Bytes& sealed_secret, const TotpParams& params)
{
  auto store = statement(R"sql(
    INSERT OR REPLACE INTO enrollments (user_id, state, secret, algorithm, digits, period, last_step, created_at)
    VALUES (?, 'pending', ?, ?, ?, ?, NULL, ?))sql");
  store->bind(1, static_cast<int64_t>(user_id));
  bind_blob(*store, 2, sealed_secret);
  store->bind(3, to_string(params.algorithm));
  store->bind(4, params.digits);
  store->bind(5, params.period);
  store->bind(6, static_cast<int64_t>(now()));
  store->exec();
}

void DatabaseImpl::save_sealed_secret(std::int64_t user_id, const Bytes& sealed)
{
  auto update = statement("UPDATE enrollments SET secret = ? WHERE user_id = ?");
  bind_blob(*update, 1, sealed);
  update->bind(2, static_cast<int64_t>(user_id));
  update->exec();
}

std::optional<Bytes> DatabaseImpl::data_key_row()
{
  auto query = statement("SELECT value FROM meta WHERE key = 'data_key'");
  if (!query->executeStep()) {
    return std::nullopt;
  }
  const SqliteCells cells(*query);
  return StoredRow(cells, "meta", name()).blob(0, "value");
}

void DatabaseImpl::save_data_key(const Key& key_file_key, const DataKey& data_key)
{
  auto save = statement("INSERT OR REPLACE INTO meta (key, value) VALUES ('data_key', ?)");
  bind_blob(*save, 1, wrap_data_key(key_file_key, data_key, random()));
  save->exec();
}

void DatabaseImpl::activate_enrollment(std::int64_t user_id, std::int64_t step)
{
  auto activate = statement("UPDATE enrollments SET state = 'active', last_step = ?, activated_at = ? WHERE user_id = ?");
  activate->bind(1, static_cast<int64_t>(step));
  activate->bind(2, static_cast<int64_t>(now()));
  activate->bind(3, static_cast<int64_t>(user_id));
  activate->exec();
}

bool DatabaseImpl::consume_step(std::int64_t user_id, std::int64_t step)
{
  auto update = statement("UPDATE enrollments SET last_step = ?1 WHERE user_id = ?2 AND state = 'active' "
                          "AND (last_step IS NULL OR last_step < ?1)");
  update->bind(1, static_cast<int64_t>(step));
  update->bind(2, static_cast<int64_t>(user_id));
  return update->exec() == 1;
}

void DatabaseImpl::remove_enrollment(std::int64_t user_id)
{
  for (const char* sql : {"DELETE FROM enrollments WHERE user_id = ?", "DELETE FROM backup_codes WHERE user_id = ?"}) {
    auto remove = statement(sql);
    remove->bind(1, static_cast<int64_t>(user_id));
    remove->exec();
  }
}

std::vector<BackupCodeRow> DatabaseImpl::backup_codes(std::int64_t user_id)
{
  std::vector<BackupCodeRow> rows;
  auto query = statement("SELECT id, iterations, salt, hash, used_at FROM backup_codes WHERE user_id = ? ORDER BY id");
  query->bind(1, static_cast<int64_t>(user_id));
  while (query->executeStep()) {
    rows.push_back(read_backup_code(SqliteCells(*query), name()));
  }
  return rows;
}

BackupCodeCounts DatabaseImpl::count_backup_codes(std::int64_t user_id)
{
  auto query = statement("SELECT count(*) - count(used_at), count(used_at) FROM backup_codes WHERE user_id = ?");
  query->bind(1, static_cast<int64_t>(user_id));
  query->executeStep();
  return {query->getColumn(0).getInt(), query->getColumn(1).getInt()};
}

bool DatabaseImpl::consume_backup_code(std::int64_t user_id, std::int64_t code_id)
{
  auto update = statement("UPDATE backup_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL");
  update->bind(1, static_cast<int64_t>(now()));
  update->bind(2, static_cast<int64_t>(code_id));
  update->bind(3, static_cast<int64_t>(user_id));
  return update->exec() == 1;
}

void DatabaseImpl::replace_backup_codes(std::int64_t user_id, const std::vector<BackupCodeHash>& hashes)
{
  auto remove = statement("DELETE FROM backup_codes WHERE user_id = ?");
  remove->bind(1, static_cast<int64_t>(user_id));
  remove->exec();
  for (const auto& hash : hashes) {
    auto insert = statement("INSERT INTO backup_codes (user_id, iterations, salt, hash) VALUES (?, ?, ?, ?)");
    insert->bind(1, static_cast<int64_t>(user_id));
    insert->bind(2, hash.iterations);
    bind_blob(*insert, 3, hash.salt);
    bind_blob(*insert, 4, hash.hash);
    insert->exec();
  }
}

void DatabaseImpl::append_audit(const AuditRecord& entry)
{
  detail::append_audits(*this, {entry});
}

void DatabaseImpl::append_audits(const std::vector<AuditRecord>& entries)
{
  detail::append_audits(*this, entries);
}

std::vector<AuditEntry> DatabaseImpl::audit_entries(const AuditQuery& query, const std::vector<std::string>& user_names)
{
  // Every filter is SQL: the time bounds and the order are served by the
  // index on (at) (whose entries end in the row id), the user by the one on
  // (target_kind, target).
  std::string sql = "SELECT id, at, actor, action, target, old_value, new_value, reason FROM audit WHERE 1";
  if (query.user) {
    sql += " AND target_kind = 'user' AND target IN (";
    for (std::size_t i = 0; i < user_names.size(); ++i) {
      sql += (i == 0 ? ":user" : ", :user") + std::to_string(i);
    }
    sql += ")";
  }
  if (query.action) {
    sql += " AND action = :action";
  }
  if (query.since) {
    sql += " AND at >= :since";
  }
  if (query.until) {
    sql += " AND at < :until";
  }
  sql += " ORDER BY at DESC, id DESC";
  if (query.limit) {
    sql += " LIMIT :limit";
  }
  SQLite::Statement statement(m_sql, sql);
  if (query.user) {
    for (std::size_t i = 0; i < user_names.size(); ++i) {
      statement.bind(":user" + std::to_string(i), user_names[i]);
    }
  }
  if (query.action) {
    statement.bind(":action", *query.action);
  }
  if (query.since) {
    statement.bind(":since", static_cast<int64_t>(*query.since));
  }
  if (query.until) {
    statement.bind(":until", static_cast<int64_t>(*query.until));
  }
  if (query.limit) {
    statement.bind(":limit", std::max(0, *query.limit));
  }
  std::vector<AuditEntry> entries;
  while (statement.executeStep()) {
    entries.push_back(read_audit_entry(SqliteCells(statement), name()));
  }
  return entries;
}

bool DatabaseImpl::audit_mentions_user(const std::vector<std::string>& user_names)
{
  for (const auto& user_name : user_names) {
    auto statement = this->statement("SELECT 1 FROM audit WHERE target_kind = 'user' AND target = ? LIMIT 1");
    statement->bind(1, user_name);
    if (statement->executeStep()) {
      return true;
    }
  }
  return false;
}

AuditPrunePlan DatabaseImpl::audit_before(std::int64_t before)
{
  auto count = statement("SELECT count(*), coalesce(max(id), 0) FROM audit WHERE at < ?");
  count->bind(1, static_cast<int64_t>(before));
  count->executeStep();
  return AuditPrunePlan{before, count->getColumn(0).getInt64(), count->getColumn(1).getInt64()};
}

std::int64_t DatabaseImpl::remove_audit(std::int64_t before, std::int64_t last_id)
{
  auto remove = statement("DELETE FROM audit WHERE at < ? AND id <= ?");
  remove->bind(1, static_cast<int64_t>(before));
  remove->bind(2, static_cast<int64_t>(last_id));
  return remove->exec();
}

std::vector<StoredValues> DatabaseImpl::table_rows(CopyTable table, const std::optional<StoredValue>& after,
                                                   std::size_t limit)
{
  const CopyColumns& columns = copy_columns(table);
  auto query = statement(copy_select_sql(columns, after.has_value(), numbered));
  int index = 0;
  if (after) {
    bind_value(*query, ++index, *after);
  }
  query->bind(++index, static_cast<int64_t>(limit));
  std::vector<StoredValues> rows;
  while (query->executeStep()) {
    rows.push_back(stored_values(SqliteCells(*query), columns.count));
  }
  return rows;
}

void DatabaseImpl::insert_rows(CopyTable table, const std::vector<StoredValues>& rows)
{
  const CopyColumns& columns = copy_columns(table);
  const std::string sql = copy_insert_sql(columns, numbered);
  for (const auto& row : rows) {
    auto insert = statement(sql);
    for (std::size_t i = 0; i < row.size(); ++i) {
      bind_value(*insert, static_cast<int>(i + 1), row[i]);
    }
    insert->exec();
  }
}

} // namespace mfa::detail
