// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"

#include <mfa/user_import.hpp>
#include <mfa/users.hpp>

#include <algorithm>
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

// How many checked rows go to the store at once: its lookups and writes are
// a statement per batch, not per row, and memory stays that of one batch.
constexpr std::size_t k_batch_rows = 256;

// Checks names against earlier rows and the database, and writes users,
// inside the caller's transaction, a batch of rows at a time. Rows are
// judged in the file's order, as if one by one.
class Importer
{
public:
  Importer(detail::Store& store, std::string_view actor, const ImportOptions& options, ImportSummary& summary,
           Status& status)
    : m_impl(store), m_actor(actor), m_options(options), m_summary(summary), m_status(status)
  {
    m_batch.reserve(k_batch_rows);
    // Inside the write transaction no one else adds users: into a database
    // without any, a user that exists was added by an earlier row, whose
    // name the ledger gives as a repeat first.
    m_none_before = !m_impl.has_users();
  }

  // A data row, checked on its own (`bad`: why it is not a row to import).
  void add(std::size_t line, Row row, std::optional<std::pair<Status, std::string>> bad)
  {
    m_batch.push_back({line, std::move(row), std::move(bad)});
    if (m_batch.size() == k_batch_rows) {
      flush();
    }
  }

  void flush()
  {
    if (m_batch.empty()) {
      return;
    }
    note_names();
    find_existing();
    for (auto& pending : m_batch) {
      if (pending.bad) {
        bad_row(pending.line, pending.bad->first, std::move(pending.bad->second));
      } else if (auto exists = apply(pending.row, m_summary.bad_rows == 0)) {
        bad_row(pending.line, Status::not_allowed, std::move(*exists));
      }
    }
    write();
    m_batch.clear();
  }

private:
  struct Pending
  {
    std::size_t line = 0;
    Row row;
    std::optional<std::pair<Status, std::string>> bad;
  };
  // A user to audit once written.
  struct Written
  {
    std::string name;
    std::optional<std::string> old_value;
    std::string new_value;
  };

  // A name that came earlier in the file makes its row bad.
  void note_names()
  {
    std::vector<detail::Store::NameLine> names;
    for (const auto& pending : m_batch) {
      if (!pending.bad) {
        names.push_back({pending.row.name, static_cast<std::int64_t>(pending.line)});
      }
    }
    const auto first_lines = m_impl.note_names(names);
    std::size_t at = 0;
    for (auto& pending : m_batch) {
      if (pending.bad) {
        continue;
      }
      const auto first = static_cast<std::size_t>(first_lines[at++]);
      if (first != pending.line) {
        pending.bad = {Status::invalid, "user '" + pending.row.name + "' appears twice (first on line "
                                          + std::to_string(first) + ")"};
      }
    }
  }

  // The users the batch's rows name that exist. Trusting the index: a name
  // it misses is inserted, and the unique index refuses a duplicate (a scan
  // of the table per row would make a large import quadratic). No row of
  // the file can name a user an earlier row added: its name would be a
  // repeat.
  void find_existing()
  {
    if (m_none_before) {
      return;
    }
    std::vector<std::string_view> names;
    for (const auto& pending : m_batch) {
      if (!pending.bad) {
        names.push_back(pending.row.name);
      }
    }
    m_existing = m_impl.find_users(names);
    std::sort(m_existing.begin(), m_existing.end(),
              [](const User& a, const User& b) { return a.name < b.name; });
  }

  const User* existing(const std::string& name) const
  {
    const auto it = std::lower_bound(m_existing.begin(), m_existing.end(), name,
                                     [](const User& user, const std::string& wanted) { return user.name < wanted; });
    return it != m_existing.end() && it->name == name ? &*it : nullptr;
  }

  // Adds or updates the user (when `write`); a reason when the user exists
  // and may not be updated.
  std::optional<std::string> apply(const Row& row, bool write)
  {
    const User* existing = m_existing.empty() ? nullptr : this->existing(row.name);
    if (!existing) {
      NewUser user{row.name, row.type.value_or(UserType::internal), row.auth.value_or(AuthMethod::password),
                   row.email.value_or(std::nullopt)};
      if (write) {
        m_written.push_back({user.name, std::nullopt, detail::describe_user(user.type, user.auth, user.email)});
        m_added.push_back(std::move(user));
      }
      ++m_summary.added;
      return std::nullopt;
    }
    if (m_options.existing == ExistingUsers::refuse) {
      return "user '" + existing->name + "' already exists (--update updates existing users)";
    }
    const NewUser user{existing->name, row.type.value_or(existing->type), row.auth.value_or(existing->auth),
                       row.email.value_or(existing->email)};
    if (user.type == existing->type && user.auth == existing->auth && user.email == existing->email) {
      ++m_summary.unchanged;
      return std::nullopt;
    }
    if (write) {
      m_impl.update_user(existing->id, user.type, user.auth, user.email);
      m_written.push_back({user.name, detail::describe_user(existing->type, existing->auth, existing->email),
                           detail::describe_user(user.type, user.auth, user.email)});
    }
    ++m_summary.updated;
    return std::nullopt;
  }

  // The batch's new users, then an audit row for each user added or updated, in the file's order.
  void write()
  {
    m_impl.insert_users(m_added);
    std::vector<detail::AuditRecord> records;
    records.reserve(m_written.size());
    for (const auto& written : m_written) {
      records.push_back({m_actor, "users.import", detail::AuditTarget::user, written.name, written.old_value,
                         written.new_value, std::nullopt});
    }
    m_impl.append_audits(records);
    m_added.clear();
    m_written.clear();
  }

  void bad_row(std::size_t line, Status why, std::string reason)
  {
    note_bad_row(m_summary, m_status, why, line, std::move(reason));
  }

  detail::Store& m_impl;
  std::string_view m_actor;
  const ImportOptions& m_options;
  ImportSummary& m_summary;
  Status& m_status;
  std::vector<Pending> m_batch;
  bool m_none_before = false;   // no user existed when the import began
  std::vector<User> m_existing; // of the batch
  std::vector<NewUser> m_added;
  std::vector<Written> m_written;
};

// The store's caches sized for the import while it runs.
class BulkCaches
{
public:
  explicit BulkCaches(detail::Store& store) : m_store(store) { m_store.bulk_caches(true); }
  ~BulkCaches() { m_store.bulk_caches(false); }
  BulkCaches(const BulkCaches&) = delete;
  BulkCaches& operator=(const BulkCaches&) = delete;

private:
  detail::Store& m_store;
};

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
    BulkCaches caches(impl);
    // Names seen so far live in the store, not in memory: a file of millions
    // of users needs no more memory than one of ten.
    impl.open_name_ledger();
    Status status = Status::ok;
    {
      Importer importer(impl, actor, options, summary, status);
      while (auto record = reader.next()) {
        progress(1);
        if (blank(*record)) {
          continue;
        }
        Row row;
        auto bad = check_row(*record, header, row);
        importer.add(record->line, std::move(row), std::move(bad));
      }
      importer.flush();
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
