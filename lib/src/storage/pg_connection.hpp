// SPDX-License-Identifier: MIT
#pragma once

// libpq behind a small RAII wrapper: a connection, its statements (each
// prepared once per connection, parameters always bound, never spliced into
// the text) and their results. libpq itself is loaded (dlopen) when the
// first PostgreSQL database is opened: a process on an SQLite database never
// maps it and the two dozen libraries it needs (Kerberos, LDAP, GnuTLS).
//
// Every failure is a StorageError naming the database as shown (its URI
// without a password).

#include "storage/stored_row.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace mfa::detail {

// The URI as it may be shown: any password in it replaced by "***".
std::string uri_without_password(const std::string& uri);
// `message` (libpq's, which may quote the URI) with each of the URI's
// passwords, as written and percent-decoded, replaced by "***".
std::string without_passwords(std::string message, const std::string& uri);

// "database SHOWN is read-only (a standby server? ...)".
std::string read_only_message(const std::string& shown);

// The parameters of one statement, each bound in binary with its type.
class PgParams
{
public:
  PgParams() = default;
  // The values point into the object's own copies: never copied or moved.
  PgParams(const PgParams&) = delete;
  PgParams& operator=(const PgParams&) = delete;

  PgParams& integer(std::int64_t value);
  PgParams& optional_integer(std::optional<std::int64_t> value);
  PgParams& text(std::string_view value);
  PgParams& optional_text(const std::optional<std::string>& value);
  PgParams& blob(const Bytes& value);
  // A stored value of any kind (a NULL of the type the statement expects).
  PgParams& value(const StoredValue& value);

  int size() const { return static_cast<int>(m_types.size()); }
  const unsigned* types() const { return m_types.data(); }
  const char* const* values() const { return m_values.data(); }
  const int* lengths() const { return m_lengths.data(); }
  const int* formats() const { return m_formats.data(); }
  // The types as one key, for the statement cache.
  std::string signature() const;

private:
  PgParams& add(unsigned type, const char* data, int length);

  std::deque<std::string> m_kept; // the bytes of values bound by copy
  std::vector<unsigned> m_types;
  std::vector<const char*> m_values;
  std::vector<int> m_lengths;
  std::vector<int> m_formats;
};

// A statement's result (rows in binary).
class PgResult
{
public:
  explicit PgResult(pg_result* result);
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;

  int rows() const;
  // The rows a command changed (UPDATE, DELETE, INSERT).
  std::int64_t changed() const;
  // A row's cells, for the stored-row readers; valid while this result is.
  class Row final : public Cells
  {
  public:
    Row(const PgResult& result, int row) : m_result(result), m_row(row) {}
    Type type(int index) const override;
    std::int64_t integer(int index) const override;
    std::string text(int index) const override;
    Bytes blob(int index) const override;

  private:
    const PgResult& m_result;
    int m_row;
  };
  Row row(int index) const { return Row(*this, index); }
  // The first column of the first row as an integer (a count).
  std::int64_t single_integer() const;

private:
  pg_result* m_result;
};

class PgConnection
{
public:
  // Connects to `uri`, waiting at most `lock_timeout_ms` for any lock.
  // `shown` names the database in messages.
  PgConnection(const std::string& uri, std::string shown, int lock_timeout_ms);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  const std::string& shown() const { return m_shown; }

  // Runs `sql` ($1, $2 ... its parameters); prepared when it runs a second
  // time (a statement a short process runs once costs one round trip, not a
  // prepare and an execute).
  PgResult run(const std::string& sql, const PgParams& params = {});
  // Runs `sql` once, without keeping it prepared (a text made for one use).
  PgResult run_once(const std::string& sql, const PgParams& params = {});
  // Runs commands without parameters (BEGIN, COMMIT, a migration's DDL).
  void exec(const std::string& sql);
  // COMMIT, refusing a transaction a failed statement has spoiled (which
  // PostgreSQL would quietly roll back).
  void commit();
  // ROLLBACK when a transaction is open; never throws.
  void roll_back() noexcept;
  // Forgets the prepared statements whose text contains `part` (a temporary
  // table's, before it is dropped).
  void forget_statements(std::string_view part);

private:
  PgResult checked(pg_result* result);
  [[noreturn]] void fail(pg_result* result);

  pg_conn* m_conn = nullptr;
  std::string m_shown;
  std::unordered_map<std::string, std::string> m_prepared; // types + text -> statement name ("": ran once)
  int m_next_name = 0;
};

} // namespace mfa::detail
