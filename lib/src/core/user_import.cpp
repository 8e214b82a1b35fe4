// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"

#include <mfa/user_import.hpp>
#include <mfa/users.hpp>

#include <array>
#include <optional>

namespace mfa {

namespace {

using Result = Outcome<ImportSummary>;

constexpr std::array<const char*, 4> k_columns = {"name", "type", "auth", "email"};
constexpr std::size_t k_absent = static_cast<std::size_t>(-1);

Result header_failure(ImportSummary summary, std::size_t line, const std::string& reason)
{
  summary.errors = {{line, reason}};
  summary.bad_rows = 1;
  summary.failed_line = line;
  std::string message = "line " + std::to_string(line) + ": " + reason;
  return Result::failure(Status::invalid, std::move(message), std::move(summary));
}

bool blank(const detail::CsvRecord& record)
{
  return record.fields.size() == 1 && detail::trim(record.fields[0]).empty();
}

// Where each known column is (k_absent when it is not there).
struct Header
{
  std::array<std::size_t, k_columns.size()> at{k_absent, k_absent, k_absent, k_absent};
  std::size_t size = 0;

  bool has(std::size_t column) const { return at[column] != k_absent; }
};

std::optional<std::string> read_header(const detail::CsvRecord& record, Header& header,
                                       std::vector<std::string>& ignored)
{
  header.size = record.fields.size();
  std::string found;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const std::string name = detail::ascii_lower(detail::trim(record.fields[i]));
    found += (i ? ", " : "") + record.fields[i];
    std::size_t column = 0;
    while (column < k_columns.size() && name != k_columns[column]) {
      ++column;
    }
    if (column == k_columns.size()) {
      ignored.push_back(record.fields[i].empty() ? "(column " + std::to_string(i + 1) + ", unnamed)"
                                                 : record.fields[i]);
    } else if (header.has(column)) {
      return std::string("the column '") + k_columns[column] + "' appears twice in the header";
    } else {
      header.at[column] = i;
    }
  }
  if (!header.has(0)) {
    return "the header has no name column (found: " + found + "); columns are name, and optionally type, auth, email";
  }
  return std::nullopt;
}

// One data row, checked.
struct Row
{
  std::string name;
  std::optional<UserType> type;
  std::optional<AuthMethod> auth;
  std::optional<std::optional<std::string>> email; // outer: the column is there; inner: an address
};

// The row, or why it is bad (the status and the reason).
std::optional<std::pair<Status, std::string>> check_row(const detail::CsvRecord& record, const Header& header,
                                                       Row& row)
{
  auto& f = record.fields;
  if (f.size() != header.size) {
    return {{Status::invalid,
             "expected " + std::to_string(header.size) + " fields, found " + std::to_string(f.size())}};
  }
  row.name = std::string(detail::trim_name(f[header.at[0]]));
  if (auto problem = user_name_problem(row.name)) {
    return {{Status::invalid, *problem}};
  }
  // An empty type or auth cell is one not given: the default for a new
  // user, and unchanged for an existing one.
  if (header.has(1) && !detail::trim(f[header.at[1]]).empty()) {
    const std::string& text = f[header.at[1]];
    row.type = parse_user_type(detail::trim(text));
    if (!row.type) {
      return {{Status::invalid, "type must be internal or external, not '" + text + "'"}};
    }
  }
  if (header.has(2) && !detail::trim(f[header.at[2]]).empty()) {
    const std::string& text = f[header.at[2]];
    row.auth = parse_auth_method(detail::trim(text));
    if (!row.auth) {
      return {{Status::invalid, "auth must be password or sso, not '" + text + "'"}};
    }
  }
  if (header.has(3)) {
    std::string email(detail::trim(f[header.at[3]]));
    if (auto problem = email_problem(email)) {
      return {{Status::invalid, *problem}};
    }
    row.email = email.empty() ? std::nullopt : std::optional<std::string>(std::move(email));
  }
  return std::nullopt;
}

// Checks names against earlier rows and the database, and writes users,
// inside the caller's transaction.
class Importer
{
public:
  Importer(detail::Store& store, std::string_view actor, const ImportOptions& options)
    : m_impl(store), m_actor(actor), m_options(options)
  {
  }

  // The reason when the name came earlier in the file.
  std::optional<std::string> repeated(const Row& row, std::size_t line)
  {
    const auto first = static_cast<std::size_t>(m_impl.note_name(row.name, static_cast<std::int64_t>(line)));
    if (first == line) {
      return std::nullopt;
    }
    return "user '" + row.name + "' appears twice (first on line " + std::to_string(first) + ")";
  }

  // Adds or updates the user; a reason when the user exists and may not be updated.
  std::optional<std::string> apply(const Row& row, ImportSummary& summary, bool write)
  {
    // Trusting the index: a name it misses is inserted, and the unique
    // index refuses a duplicate (a scan of the table per row would make a
    // large import quadratic).
    const auto existing = m_impl.find_user(row.name, detail::IndexCheck::trust);
    if (!existing) {
      const NewUser user{row.name, row.type.value_or(UserType::internal), row.auth.value_or(AuthMethod::password),
                         row.email.value_or(std::nullopt)};
      if (write) {
        m_impl.insert_user(user);
        detail::audit(m_impl, m_actor, "users.import", detail::AuditTarget::user, user.name, std::nullopt,
                             detail::describe_user(user.type, user.auth, user.email));
      }
      ++summary.added;
      return std::nullopt;
    }
    if (m_options.existing == ExistingUsers::refuse) {
      return "user '" + existing->name + "' already exists (--update updates existing users)";
    }
    const NewUser user{existing->name, row.type.value_or(existing->type), row.auth.value_or(existing->auth),
                       row.email.value_or(existing->email)};
    if (user.type == existing->type && user.auth == existing->auth && user.email == existing->email) {
      ++summary.unchanged;
      return std::nullopt;
    }
    if (write) {
      m_impl.update_user(existing->id, user.type, user.auth, user.email);
      detail::audit(m_impl, m_actor, "users.import", detail::AuditTarget::user, user.name,
                           detail::describe_user(existing->type, existing->auth, existing->email),
                           detail::describe_user(user.type, user.auth, user.email));
    }
    ++summary.updated;
    return std::nullopt;
  }

private:
  detail::Store& m_impl;
  std::string_view m_actor;
  const ImportOptions& m_options;
};

void note_bad_row(ImportSummary& summary, Status& status, Status why, std::size_t line, std::string reason)
{
  if (summary.bad_rows == 0) {
    summary.failed_line = line;
  }
  ++summary.bad_rows;
  if (summary.errors.size() < k_import_error_limit) {
    summary.errors.push_back({line, std::move(reason)});
  }
  if (why == Status::invalid || status == Status::ok) {
    status = why;
  }
}

std::string failure_message(const ImportSummary& summary)
{
  if (summary.bad_rows == 1) {
    return "line " + std::to_string(summary.errors[0].line) + ": " + summary.errors[0].error;
  }
  std::string message = std::to_string(summary.bad_rows) + " bad rows";
  if (summary.bad_rows > summary.errors.size()) {
    message += " (the first " + std::to_string(summary.errors.size()) + " shown)";
  }
  return message + "; nothing was imported";
}

Result run_import(Database& db, detail::CsvReader& reader, std::string_view actor, const ImportOptions& options)
{
  ImportSummary summary;
  summary.dry_run = options.dry_run == DryRun::yes;
  std::size_t rows = 0;
  auto progress = [&](std::size_t more) {
    rows += more;
    if (options.progress) {
      options.progress({rows, reader.bytes_read()});
    }
  };
  auto header_record = reader.next();
  while (header_record && blank(*header_record)) {
    header_record = reader.next();
  }
  if (!header_record) {
    return reader.error().empty()
             ? header_failure(summary, 1,
                              "the file is empty; expected a header with a name column (and type, auth, email)")
             : header_failure(summary, reader.error_line(), reader.error());
  }
  Header header;
  if (auto problem = read_header(*header_record, header, summary.ignored_columns)) {
    return header_failure(summary, header_record->line, *problem);
  }
  progress(0);

  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    auto transaction = impl.write();
    // Names seen so far live in the store, not in memory: a file of millions
    // of users needs no more memory than one of ten.
    impl.open_name_ledger();
    Status status = Status::ok;
    {
      Importer importer(impl, actor, options);
      while (auto record = reader.next()) {
        progress(1);
        if (blank(*record)) {
          continue;
        }
        Row row;
        const std::size_t line = record->line;
        if (auto bad = check_row(*record, header, row)) {
          note_bad_row(summary, status, bad->first, line, std::move(bad->second));
          continue;
        }
        if (auto twice = importer.repeated(row, line)) {
          note_bad_row(summary, status, Status::invalid, line, std::move(*twice));
          continue;
        }
        // After a bad row nothing will be kept: check, but write no more.
        if (auto exists = importer.apply(row, summary, summary.bad_rows == 0)) {
          note_bad_row(summary, status, Status::not_allowed, line, std::move(*exists));
        }
      }
    }
    if (!reader.error().empty()) {
      note_bad_row(summary, status, Status::invalid, reader.error_line(), reader.error());
    }
    if (status != Status::ok) {
      summary.added = summary.updated = summary.unchanged = 0;
      std::string message = failure_message(summary);
      return Result::failure(status, std::move(message), std::move(summary));
    }
    if (!summary.dry_run) {
      impl.close_name_ledger();
      transaction.commit();
    }
    return Result::success(std::move(summary));
  });
}

} // namespace

Outcome<ImportSummary> import_users(Database& db, std::istream& csv, std::string_view actor,
                                    const ImportOptions& options)
{
  detail::CsvReader reader(csv);
  return run_import(db, reader, actor, options);
}

Outcome<ImportSummary> import_users(Database& db, std::string_view csv, std::string_view actor,
                                    const ImportOptions& options)
{
  detail::CsvReader reader(csv);
  return run_import(db, reader, actor, options);
}

} // namespace mfa
