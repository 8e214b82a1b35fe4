// SPDX-License-Identifier: MIT
#pragma once

// The storage seam: what the rules in core/ ask of a database, as domain
// operations, never as SQL. SQLite is its first implementation
// (storage/sqlite_store.cpp, on DatabaseImpl); the unit tests of the rules
// have an in-memory one (tests/unit/fake_store.hpp).
//
// Every operation runs inside the transaction the caller opened with
// write() or read(); decisions made inside a write are made on what it sees.
// Faults are StorageError (or KeyError for key()).

#include "crypto/backup_code.hpp"
#include "crypto/crypto.hpp"
#include "storage/keyfile.hpp"

#include <mfa/audit.hpp>
#include <mfa/error.hpp>
#include <mfa/clock.hpp>
#include <mfa/paths.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mfa {
class Database;
}

namespace mfa::detail {

// A user's enrollment as stored: the sealed secret and its parameters.
struct EnrollmentRow
{
  EnrollmentState state = EnrollmentState::none;
  Bytes sealed_secret;
  TotpParams params;
  std::optional<std::int64_t> last_step;
};

// One stored backup code: its slow hash, and whether it was used.
struct BackupCodeRow
{
  std::int64_t id = 0;
  BackupCodeHash stored;
  bool used = false;
};

struct BackupCodeCounts
{
  int unused = 0;
  int used = 0;
};

// One option as stored: its name and its value as shown.
struct OptionRow
{
  std::string key;
  std::string value;
};

enum class AuditTarget
{
  option,
  user,
  log, // the audit log itself (audit.prune)
};

// One row for the audit log; `at` is the store's clock.
struct AuditRecord
{
  std::string_view actor;
  std::string_view action;
  AuditTarget kind = AuditTarget::user;
  std::string_view target;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::optional<std::string> reason;
};

// Whether find_user() may trust the name index for a name it does not know
// (import: every name it misses, it writes, and the unique index refuses a
// duplicate), or looks in the table too (a damaged index must not make a
// user unknown, which a login could read as "no MFA").
enum class IndexCheck
{
  verify_misses,
  trust,
};

// The tables `mfa db copy` moves, in the order it copies them (each row's
// references come before it).
enum class CopyTable
{
  options,
  users,
  enrollments,
  backup_codes,
  audit,
};
inline constexpr CopyTable k_copy_tables[] = {CopyTable::options, CopyTable::users, CopyTable::enrollments,
                                              CopyTable::backup_codes, CopyTable::audit};

// One stored value as it is (NULL, an integer, text or bytes), and a row of them.
using StoredValue = std::variant<std::monostate, std::int64_t, std::string, Bytes>;
using StoredValues = std::vector<StoredValue>;

// An open transaction; rolled back when it ends uncommitted.
class Transaction
{
public:
  class Impl
  {
  public:
    virtual ~Impl() = default;
    virtual void commit() = 0;
  };
  explicit Transaction(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
  void commit() { m_impl->commit(); }

private:
  std::unique_ptr<Impl> m_impl;
};

class Store
{
public:
  virtual ~Store() = default;

  // The database as it is named in messages (its path or URI).
  virtual const std::string& name() const = 0;
  // Where the database and key are, and whether this open made them.
  virtual const Paths& paths() const = 0;
  virtual bool created() const { return false; }
  virtual bool key_created() const { return false; }
  // The store's clock and random source.
  virtual std::int64_t now() const = 0;
  virtual const RandomSource& random() const = 0;

  // Two-level keys (storage/keyfile.hpp): the data key that seals every
  // secret, and the key file's key that wraps it. KeyError when the store
  // was opened without its key file.
  const DataKey& data_key() const { return keys().data; }
  const Key& key_file_key() const { return keys().file; }
  // The data key as the current transaction sees it: another process may
  // have rotated it since this store opened. Reads its row, and when its
  // number is not the one held, opens it (KeyError when the key file no
  // longer opens it: the key file was rotated too) and holds it from now on.
  // Every write that seals, and every rotation, starts from this.
  const DataKey& current_data_key();
  // The data key's row as the current transaction sees it.
  virtual std::optional<Bytes> data_key_row() = 0;
  // Stores the data key's row: `data_key` wrapped under `key_file_key`.
  virtual void save_data_key(const Key& key_file_key, const DataKey& data_key) = 0;
  // The key file at `path`, read, or created and synced to disk when absent
  // (like the current key file: 0600, or 0640 of its group); KeyError.
  LoadedKey load_or_create_key(const std::string& path) const
  {
    return detail::load_or_create_key(path, paths().key_file, random());
  }
  // Replaces a user's sealed secret, the rest of the enrollment as it is.
  virtual void save_sealed_secret(std::int64_t user_id, const Bytes& sealed) = 0;
  // The keys this store seals and opens with from now on: called once the
  // write that stored them has committed, never before (a rolled-back
  // rotation must leave the store on the keys the database still has).
  void adopt_keys(StoreKeys keys) { m_keys = std::move(keys); }

  // A write transaction: writers one at a time, each seeing the last commit.
  virtual Transaction write() = 0;
  // A read transaction: one consistent snapshot.
  virtual Transaction read() = 0;

  // Options, as stored (core/ checks every row).
  virtual std::vector<OptionRow> option_rows() = 0;
  virtual void save_option(std::string_view key, std::string_view value) = 0;
  // Password users of the class with no active enrollment.
  virtual std::int64_t users_without_active_enrollment(UserType type) = 0;

  // Users, with the state of their enrollment. find_user() looks the name up
  // exactly as given, else without the spaces around it.
  virtual std::optional<User> find_user(std::string_view name, IndexCheck check = IndexCheck::verify_misses) = 0;
  // Every user the filter keeps, by name (`locked`: locked at now()).
  virtual std::vector<User> list_users(const UserFilter& filter) = 0;
  virtual std::vector<std::string> user_names() = 0;
  virtual std::int64_t insert_user(const NewUser& user) = 0;
  virtual void update_user(std::int64_t user_id, UserType type, AuthMethod auth,
                           const std::optional<std::string>& email) = 0;
  virtual void remove_user(std::int64_t user_id) = 0;

  // Bulk writes (an import, a batch of rows at a time): the users added in
  // order, and the users among `names` (each exactly as given, trusting the
  // name index as IndexCheck::trust does), in no particular order.
  virtual void insert_users(const std::vector<NewUser>& users) = 0;
  virtual std::vector<User> find_users(const std::vector<std::string_view>& names) = 0;
  // Whether there is any user at all.
  virtual bool has_users() = 0;

  // A ledger of the names a bulk import has seen, kept by the store (on disk:
  // a file of millions of users needs no more memory than one of ten) for
  // the current transaction. note_names() notes each name in turn: for each,
  // the line it was first noted on (its own `line` when it is new; an
  // earlier entry's in the same call or an earlier call otherwise).
  struct NameLine
  {
    std::string_view name;
    std::int64_t line = 0;
  };
  virtual void open_name_ledger() = 0;
  virtual std::vector<std::int64_t> note_names(const std::vector<NameLine>& names) = 0;
  virtual void close_name_ledger() = 0;

  // Sizes the store's caches for a bulk write (an import) while `on`, and
  // back to their usual size after; the memory it takes has a fixed bound,
  // whatever the size of the bulk. Never throws when turning it off.
  virtual void bulk_caches(bool on) = 0;

  // Failures and locks. failed_attempts() reads the count as this
  // transaction sees it (other processes count too).
  virtual int failed_attempts(std::int64_t user_id) = 0;
  // Sets the count and the last failure; a lock end, when given, replaces the old one.
  virtual void save_failure(std::int64_t user_id, int failures, std::optional<std::int64_t> locked_until,
                            std::int64_t at) = 0;
  // A code accepted: the count back to 0 and `at` as the last login.
  virtual void save_login(std::int64_t user_id, std::int64_t at) = 0;
  // The count to 0 and the lock lifted (unlock, reset).
  virtual void clear_lock(std::int64_t user_id) = 0;

  // Enrollments.
  virtual std::optional<EnrollmentRow> enrollment(std::int64_t user_id) = 0;
  // Replaces any enrollment of the user with a pending one.
  virtual void save_pending_enrollment(std::int64_t user_id, const Bytes& sealed_secret, const TotpParams& params) = 0;
  virtual void activate_enrollment(std::int64_t user_id, std::int64_t step) = 0;
  // Notes `step` as the last one used if it is newer than the last;
  // whether it was (a step is accepted once, whoever else tries it).
  virtual bool consume_step(std::int64_t user_id, std::int64_t step) = 0;
  // Removes the enrollment and, with it, the user's backup codes.
  virtual void remove_enrollment(std::int64_t user_id) = 0;

  // Backup codes, by id.
  virtual std::vector<BackupCodeRow> backup_codes(std::int64_t user_id) = 0;
  virtual BackupCodeCounts count_backup_codes(std::int64_t user_id) = 0;
  // Marks the code used if it was not; whether this call did.
  virtual bool consume_backup_code(std::int64_t user_id, std::int64_t code_id) = 0;
  virtual void replace_backup_codes(std::int64_t user_id, const std::vector<BackupCodeHash>& hashes) = 0;

  // The audit log. An actor or a reason is stored with control characters
  // escaped (callers refuse such text first; this keeps the log safe when
  // one did not).
  virtual void append_audit(const AuditRecord& entry) = 0;
  // The entries in order, as append_audit() of each would (a bulk write).
  virtual void append_audits(const std::vector<AuditRecord>& entries) = 0;
  // Entries, newest first, that the query keeps; `user_names` are the names
  // its user filter matches (as given and trimmed).
  virtual std::vector<AuditEntry> audit_entries(const AuditQuery& query, const std::vector<std::string>& user_names) = 0;
  virtual bool audit_mentions_user(const std::vector<std::string>& user_names) = 0;
  // The entries before `before`: how many, and the newest one's id.
  virtual AuditPrunePlan audit_before(std::int64_t before) = 0;
  // Removes the entries before `before` up to `last_id`; how many it removed.
  virtual std::int64_t remove_audit(std::int64_t before, std::int64_t last_id) = 0;

  // Whole tables, as stored, for a copy of the database. table_rows() gives
  // up to `limit` rows whose first column is greater than `after` (from the
  // first row when none), in the order of that column, every column as
  // stored (storage/stored_row.hpp names them). insert_rows() adds rows as
  // given, their ids too; ids_follow_rows() then makes new rows' ids follow
  // the highest. The in-memory store of the unit tests has none of these.
  virtual std::vector<StoredValues> table_rows(CopyTable table, const std::optional<StoredValue>& after,
                                               std::size_t limit);
  virtual void insert_rows(CopyTable table, const std::vector<StoredValues>& rows);
  virtual void ids_follow_rows() {}

  // A damaged stored value: throws StorageError naming the table, column and
  // row (never read as some default that could weaken MFA).
  [[noreturn]] void damaged(std::string_view table, std::string_view column, std::string_view row,
                            std::string_view problem = "holds a value mfa never writes") const;

private:
  const StoreKeys& keys() const
  {
    if (!m_keys) {
      throw KeyError("the database was opened without its key");
    }
    return *m_keys;
  }

  std::optional<StoreKeys> m_keys;
};

// The store of an open database.
Store& store_of(Database& db);

// A Database over `store` (an in-memory one, for unit tests of the rules).
Database database_on(std::unique_ptr<Store> store);

// Runs `body(store)`, with the store's own faults (SQLite's, say) turned into
// StorageError.
void with_store_impl(Database& db, const std::function<void(Store&)>& body);

template<typename Body>
auto with_store(Database& db, Body&& body) -> decltype(body(store_of(db)))
{
  using Value = decltype(body(store_of(db)));
  std::optional<Value> value;
  with_store_impl(db, [&](Store& store) { value.emplace(body(store)); });
  return std::move(*value);
}

} // namespace mfa::detail
