// SPDX-License-Identifier: MIT
#include "storage/pg_connection.hpp"

#include <mfa/error.hpp>

#include <libpq-fe.h>

#include <dlfcn.h>
#include <endian.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

namespace mfa::detail {

namespace {

// The types mfa binds and reads (PostgreSQL's fixed type OIDs, pg_type.h).
constexpr Oid k_bool = 16;
constexpr Oid k_bytea = 17;
constexpr Oid k_name = 19;
constexpr Oid k_int8 = 20;
constexpr Oid k_int2 = 21;
constexpr Oid k_int4 = 23;
constexpr Oid k_text = 25;
constexpr Oid k_varchar = 1043;

// The libpq functions mfa calls, from the library loaded at first use.
struct Libpq
{
  decltype(&PQconnectdbParams) connectdb_params;
  decltype(&PQstatus) status;
  decltype(&PQerrorMessage) error_message;
  decltype(&PQfinish) finish;
  decltype(&PQsetNoticeProcessor) set_notice_processor;
  decltype(&PQprepare) prepare;
  decltype(&PQexecPrepared) exec_prepared;
  decltype(&PQexecParams) exec_params;
  decltype(&PQexec) exec;
  decltype(&PQresultStatus) result_status;
  decltype(&PQresultErrorField) result_error_field;
  decltype(&PQclear) clear;
  decltype(&PQntuples) ntuples;
  decltype(&PQnfields) nfields;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQgetlength) getlength;
  decltype(&PQgetisnull) getisnull;
  decltype(&PQftype) ftype;
  decltype(&PQcmdTuples) cmd_tuples;
  decltype(&PQtransactionStatus) transaction_status;
};

template<typename Function>
void load_symbol(void* library, const char* name, Function& function)
{
  void* symbol = ::dlsym(library, name);
  if (symbol == nullptr) {
    throw StorageError(std::string("the libpq found lacks ") + name + "; install Debian's libpq5");
  }
  function = reinterpret_cast<Function>(symbol);
}

const Libpq& libpq()
{
  static std::once_flag once;
  static Libpq functions{};
  static std::string problem;
  std::call_once(once, [] {
    void* library = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = ::dlerror();
      problem = std::string("a PostgreSQL database needs libpq (Debian package libpq5), which cannot be loaded: ")
                + (why != nullptr ? why : "libpq.so.5 not found");
      return;
    }
    try {
      load_symbol(library, "PQconnectdbParams", functions.connectdb_params);
      load_symbol(library, "PQstatus", functions.status);
      load_symbol(library, "PQerrorMessage", functions.error_message);
      load_symbol(library, "PQfinish", functions.finish);
      load_symbol(library, "PQsetNoticeProcessor", functions.set_notice_processor);
      load_symbol(library, "PQprepare", functions.prepare);
      load_symbol(library, "PQexecPrepared", functions.exec_prepared);
      load_symbol(library, "PQexecParams", functions.exec_params);
      load_symbol(library, "PQexec", functions.exec);
      load_symbol(library, "PQresultStatus", functions.result_status);
      load_symbol(library, "PQresultErrorField", functions.result_error_field);
      load_symbol(library, "PQclear", functions.clear);
      load_symbol(library, "PQntuples", functions.ntuples);
      load_symbol(library, "PQnfields", functions.nfields);
      load_symbol(library, "PQgetvalue", functions.getvalue);
      load_symbol(library, "PQgetlength", functions.getlength);
      load_symbol(library, "PQgetisnull", functions.getisnull);
      load_symbol(library, "PQftype", functions.ftype);
      load_symbol(library, "PQcmdTuples", functions.cmd_tuples);
      load_symbol(library, "PQtransactionStatus", functions.transaction_status);
    } catch (const StorageError& e) {
      problem = e.what();
    }
  });
  if (!problem.empty()) {
    throw StorageError(problem);
  }
  return functions;
}

// libpq's first line of a message (it adds hints on further lines).
std::string first_line(const char* message)
{
  std::string text = message != nullptr ? message : "";
  if (const auto end = text.find('\n'); end != std::string::npos) {
    text.resize(end);
  }
  if (text.empty()) {
    return "no message from the server";
  }
  return text;
}

std::int64_t big_endian(const char* data, int length)
{
  std::uint64_t value = 0;
  for (int i = 0; i < length; ++i) {
    value = (value << 8) | static_cast<std::uint8_t>(data[i]);
  }
  // Sign-extend a shorter integer.
  if (length > 0 && length < 8 && (static_cast<std::uint8_t>(data[0]) & 0x80) != 0) {
    value |= ~std::uint64_t{0} << (8 * length);
  }
  return static_cast<std::int64_t>(value);
}

void ignore_notice(void*, const char*)
{
  // The library never prints: a server's NOTICE is dropped.
}

} // namespace

namespace {

std::string percent_decoded(std::string_view text)
{
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
        && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      decoded += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

// Where each password of the URI is: [begin, end) of its raw text (the
// user information's, and each password= or sslpassword= parameter's).
std::vector<std::pair<std::size_t, std::size_t>> password_spans(const std::string& uri)
{
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) {
    return spans;
  }
  const auto start = scheme_end + 3;
  // libpq ends the user information at the last @ before the first /.
  const auto slash = uri.find('/', start);
  const auto at = uri.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  std::size_t query_from = start;
  if (at != std::string::npos && at >= start) {
    const auto colon = uri.find(':', start);
    if (colon != std::string::npos && colon < at) {
      spans.emplace_back(colon + 1, at);
    }
    query_from = at + 1;
  }
  const auto question = uri.find('?', query_from);
  if (question == std::string::npos) {
    return spans;
  }
  for (std::size_t from = question + 1; from <= uri.size();) {
    auto end = uri.find('&', from);
    if (end == std::string::npos) {
      end = uri.size();
    }
    const auto equals = uri.find('=', from);
    if (equals != std::string::npos && equals < end) {
      const std::string key = percent_decoded(std::string_view(uri).substr(from, equals - from));
      if (key == "password" || key == "sslpassword") {
        spans.emplace_back(equals + 1, end);
      }
    }
    from = end + 1;
  }
  return spans;
}

} // namespace

std::string uri_without_password(const std::string& uri)
{
  std::string shown = uri;
  auto spans = password_spans(uri);
  // From the last, so that the earlier positions hold.
  std::sort(spans.begin(), spans.end());
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    shown.replace(it->first, it->second - it->first, "***");
  }
  return shown;
}

std::string without_passwords(std::string message, const std::string& uri)
{
  for (const auto& [begin, end] : password_spans(uri)) {
    const std::string raw = uri.substr(begin, end - begin);
    for (const std::string& secret : {raw, percent_decoded(raw)}) {
      if (secret.empty()) {
        continue;
      }
      for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 3)) {
        message.replace(at, secret.size(), "***");
      }
    }
  }
  return message;
}

std::string read_only_message(const std::string& shown)
{
  return "database " + shown
         + " is read-only (a standby server? with several hosts, add target_session_attrs=read-write to the URI)";
}

PgParams& PgParams::add(unsigned type, const char* data, int length)
{
  m_types.push_back(type);
  m_values.push_back(data);
  m_lengths.push_back(length);
  m_formats.push_back(1);
  return *this;
}

PgParams& PgParams::integer(std::int64_t value)
{
  const std::uint64_t big = htobe64(static_cast<std::uint64_t>(value));
  std::string& kept = m_kept.emplace_back(reinterpret_cast<const char*>(&big), sizeof big);
  return add(k_int8, kept.data(), static_cast<int>(kept.size()));
}

PgParams& PgParams::optional_integer(std::optional<std::int64_t> value)
{
  return value ? integer(*value) : add(k_int8, nullptr, 0);
}

PgParams& PgParams::text(std::string_view value)
{
  std::string& kept = m_kept.emplace_back(value);
  return add(k_text, kept.data(), static_cast<int>(kept.size()));
}

PgParams& PgParams::optional_text(const std::optional<std::string>& value)
{
  return value ? text(*value) : add(k_text, nullptr, 0);
}

PgParams& PgParams::blob(const Bytes& value)
{
  std::string& kept = m_kept.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
  return add(k_bytea, kept.data(), static_cast<int>(kept.size()));
}

PgParams& PgParams::value(const StoredValue& value)
{
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return integer(*number);
  }
  if (const auto* words = std::get_if<std::string>(&value)) {
    return text(*words);
  }
  if (const auto* bytes = std::get_if<Bytes>(&value)) {
    return blob(*bytes);
  }
  return add(0, nullptr, 0); // the server infers the NULL's type
}

std::string PgParams::signature() const
{
  std::string key;
  for (const auto type : m_types) {
    key += std::to_string(type) + ",";
  }
  return key;
}

PgResult::PgResult(pg_result* result) : m_result(result)
{
}

PgResult::~PgResult()
{
  if (m_result != nullptr) {
    libpq().clear(m_result);
  }
}

PgResult::PgResult(PgResult&& other) noexcept : m_result(other.m_result)
{
  other.m_result = nullptr;
}

int PgResult::rows() const
{
  return libpq().ntuples(m_result);
}

std::int64_t PgResult::changed() const
{
  const char* count = libpq().cmd_tuples(m_result);
  return count == nullptr || *count == '\0' ? 0 : std::stoll(count);
}

std::int64_t PgResult::single_integer() const
{
  const Row first = row(0);
  if (rows() < 1 || first.type(0) != Cells::Type::integer) {
    throw StorageError("the database server gave no count");
  }
  return first.integer(0);
}

Cells::Type PgResult::Row::type(int index) const
{
  const auto& pq = libpq();
  if (index >= pq.nfields(m_result.m_result)) {
    return Type::other;
  }
  if (pq.getisnull(m_result.m_result, m_row, index) != 0) {
    return Type::null;
  }
  switch (pq.ftype(m_result.m_result, index)) {
  case k_int8:
  case k_int4:
  case k_int2:
  case k_bool:
    return Type::integer;
  case k_text:
  case k_varchar:
  case k_name:
    return Type::text;
  case k_bytea:
    return Type::blob;
  default:
    return Type::other;
  }
}

std::int64_t PgResult::Row::integer(int index) const
{
  const auto& pq = libpq();
  return big_endian(pq.getvalue(m_result.m_result, m_row, index), pq.getlength(m_result.m_result, m_row, index));
}

std::string PgResult::Row::text(int index) const
{
  const auto& pq = libpq();
  return std::string(pq.getvalue(m_result.m_result, m_row, index),
                     static_cast<std::size_t>(pq.getlength(m_result.m_result, m_row, index)));
}

Bytes PgResult::Row::blob(int index) const
{
  const auto& pq = libpq();
  const auto* data = reinterpret_cast<const std::uint8_t*>(pq.getvalue(m_result.m_result, m_row, index));
  return Bytes(data, data + pq.getlength(m_result.m_result, m_row, index));
}

PgConnection::PgConnection(const std::string& uri, std::string shown, int lock_timeout_ms) : m_shown(std::move(shown))
{
  const auto& pq = libpq();
  // Later entries override earlier ones, and the URI's own settings (its
  // connect_timeout, say) override these defaults.
  // (A server that stops answering is noticed within about 30 s.)
  const char* keywords[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "1", "10", "5", "3", "30000", "mfa", uri.c_str(), nullptr};
  m_conn = pq.connectdb_params(keywords, values, 1);
  if (m_conn == nullptr) {
    throw std::bad_alloc();
  }
  pq.set_notice_processor(m_conn, ignore_notice, nullptr);
  if (pq.status(m_conn) != CONNECTION_OK) {
    const std::string why = without_passwords(first_line(pq.error_message(m_conn)), uri);
    pq.finish(m_conn);
    m_conn = nullptr;
    throw StorageError("cannot connect to database " + m_shown + ": " + why);
  }
  try {
    // Waiting for another writer is bounded as on SQLite; the session's
    // clock and text are PostgreSQL's own business (mfa stores seconds as
    // integers and text as UTF-8).
    // Plans are made for each statement's own values: a generic plan of a
    // prepared statement, made from the statistics of a small table, made
    // a large import into it take minutes (holding the writer lock).
    exec("SET lock_timeout = " + std::to_string(lock_timeout_ms > 0 ? lock_timeout_ms : 1)
         + "; SET client_encoding = 'UTF8'; SET plan_cache_mode = force_custom_plan");
  } catch (...) {
    pq.finish(m_conn);
    m_conn = nullptr;
    throw;
  }
}

PgConnection::~PgConnection()
{
  if (m_conn != nullptr) {
    libpq().finish(m_conn);
  }
}

void PgConnection::fail(pg_result* result)
{
  const auto& pq = libpq();
  const char* state = result != nullptr ? pq.result_error_field(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result != nullptr ? pq.result_error_field(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string code = state != nullptr ? state : "";
  const std::string message = primary != nullptr ? first_line(primary) : first_line(pq.error_message(m_conn));
  if (result != nullptr) {
    pq.clear(result);
  }
  if (pq.status(m_conn) != CONNECTION_OK || code.starts_with("08") || code.starts_with("57P")) {
    throw StorageError("database " + m_shown + ": the connection to the server was lost (" + message
                       + "); what this command was doing was not done, or not known to be: check and try again");
  }
  if (code == "55P03") {
    throw StorageError("database " + m_shown + " is locked by another process; try again");
  }
  if (code == "40001" || code == "40P01") {
    throw StorageError("database " + m_shown + ": a concurrent change conflicted with this one, which was not "
                       "written; try again");
  }
  if (code == "25006") {
    throw StorageError(read_only_message(m_shown));
  }
  if (code == "53100") {
    throw StorageError("database " + m_shown + ": the disk is full");
  }
  throw StorageError("database " + m_shown + ": " + message);
}

PgResult PgConnection::checked(pg_result* result)
{
  const auto status = result != nullptr ? libpq().result_status(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    fail(result);
  }
  return PgResult(result);
}

PgResult PgConnection::run(const std::string& sql, const PgParams& params)
{
  const auto& pq = libpq();
  const std::string key = params.signature() + sql;
  auto found = m_prepared.find(key);
  if (found == m_prepared.end()) {
    m_prepared.emplace(key, std::string());
    return run_once(sql, params);
  }
  if (found->second.empty()) {
    std::string name = "mfa_" + std::to_string(++m_next_name);
    checked(pq.prepare(m_conn, name.c_str(), sql.c_str(), params.size(), params.types()));
    found->second = std::move(name);
  }
  return checked(pq.exec_prepared(m_conn, found->second.c_str(), params.size(), params.values(), params.lengths(),
                                  params.formats(), 1));
}

PgResult PgConnection::run_once(const std::string& sql, const PgParams& params)
{
  return checked(libpq().exec_params(m_conn, sql.c_str(), params.size(), params.types(), params.values(),
                                     params.lengths(), params.formats(), 1));
}

void PgConnection::exec(const std::string& sql)
{
  checked(libpq().exec(m_conn, sql.c_str()));
}

void PgConnection::commit()
{
  if (libpq().transaction_status(m_conn) != PQTRANS_INTRANS) {
    roll_back();
    throw StorageError("database " + m_shown + ": the transaction failed and was rolled back; try again");
  }
  exec("COMMIT");
}

void PgConnection::roll_back() noexcept
{
  const auto& pq = libpq(); // loaded: there is a connection
  const auto status = pq.transaction_status(m_conn);
  if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) {
    pq.clear(pq.exec(m_conn, "ROLLBACK"));
  }
}

void PgConnection::forget_statements(std::string_view part)
{
  for (auto it = m_prepared.begin(); it != m_prepared.end();) {
    if (it->first.find(part) != std::string::npos) {
      if (!it->second.empty()) {
        libpq().clear(libpq().exec(m_conn, ("DEALLOCATE " + it->second).c_str()));
      }
      it = m_prepared.erase(it);
    } else {
      ++it;
    }
  }
}

} // namespace mfa::detail
