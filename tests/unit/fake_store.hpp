// SPDX-License-Identifier: MIT
#pragma once

// An in-memory implementation of the storage seam (storage/store.hpp), for
// unit tests of the rules in core/ with no SQLite underneath. A write
// transaction that ends uncommitted puts every table back as it was.

#include "storage/store.hpp"
#include "util/text.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>

#include <algorithm>
#include <map>
#include <memory>

namespace mfa::test {

class FakeStore final : public detail::Store
{
public:
  struct Tables
  {
    std::map<std::string, std::string> options;
    std::map<std::int64_t, User> users;
    std::map<std::int64_t, detail::EnrollmentRow> enrollments;
    std::map<std::int64_t, std::vector<detail::BackupCodeRow>> backup_codes;
    std::vector<AuditEntry> audit;
    std::map<std::string, std::int64_t> ledger;
    std::int64_t next_id = 1;
  };

  explicit FakeStore(std::int64_t now = 1'700'000'000) : m_now(now)
  {
    detail::StoreKeys keys;
    keys.file.bytes().fill(7);
    keys.data.key.bytes().fill(9);
    keys.data.id = 1;
    adopt_keys(keys);
  }

  Tables tables;
  std::int64_t m_now;
  int writes_begun = 0;
  int commits = 0;

  const std::string& name() const override { return m_name; }
  const Paths& paths() const override { return m_paths; }
  std::int64_t now() const override { return m_now; }
  const RandomSource& random() const override { return m_random; }
  void save_data_key(const detail::Key& key_file_key, const detail::DataKey& data_key) override
  {
    wrapped_data_key = detail::wrap_data_key(key_file_key, data_key, m_random);
  }
  void save_sealed_secret(std::int64_t user_id, const detail::Bytes& sealed) override
  {
    tables.enrollments.at(user_id).sealed_secret = sealed;
  }
  std::optional<detail::Bytes> data_key_row() override
  {
    if (wrapped_data_key.empty()) {
      wrapped_data_key = detail::wrap_data_key(key_file_key(), data_key(), m_random);
    }
    return wrapped_data_key;
  }
  detail::Bytes wrapped_data_key;

  detail::Transaction write() override
  {
    ++writes_begun;
    return detail::Transaction(std::make_unique<Undo>(*this));
  }
  detail::Transaction read() override { return detail::Transaction(std::make_unique<Undo>(*this)); }

  std::vector<detail::OptionRow> option_rows() override
  {
    std::vector<detail::OptionRow> rows;
    for (const auto& [key, value] : tables.options) {
      rows.push_back({key, value});
    }
    return rows;
  }
  void save_option(std::string_view key, std::string_view value) override
  {
    tables.options[std::string(key)] = std::string(value);
  }
  std::int64_t users_without_active_enrollment(UserType type) override
  {
    return std::count_if(tables.users.begin(), tables.users.end(), [&](const auto& entry) {
      const User& user = entry.second;
      return user.type == type && user.auth == AuthMethod::password && state_of(user.id) != EnrollmentState::active;
    });
  }

  std::optional<User> find_user(std::string_view user_name, detail::IndexCheck) override
  {
    for (const std::string_view wanted : {user_name, detail::trim_name(user_name)}) {
      for (const auto& [id, user] : tables.users) {
        if (user.name == wanted) {
          User found = user;
          found.enrollment = state_of(id);
          return found;
        }
      }
    }
    return std::nullopt;
  }
  std::vector<User> list_users(const UserFilter&) override
  {
    std::vector<User> users;
    for (const auto& [id, user] : tables.users) {
      users.push_back(*find_user(user.name, detail::IndexCheck::trust));
    }
    return users;
  }
  std::vector<std::string> user_names() override
  {
    std::vector<std::string> names;
    for (const auto& [id, user] : tables.users) {
      names.push_back(user.name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  std::int64_t insert_user(const NewUser& given) override
  {
    User user;
    user.id = tables.next_id++;
    user.name = given.name;
    user.type = given.type;
    user.auth = given.auth;
    user.email = given.email;
    user.created_at = m_now;
    tables.users[user.id] = user;
    return user.id;
  }
  void update_user(std::int64_t user_id, UserType type, AuthMethod auth,
                   const std::optional<std::string>& email) override
  {
    auto& user = tables.users.at(user_id);
    user.type = type;
    user.auth = auth;
    user.email = email;
  }
  void remove_user(std::int64_t user_id) override
  {
    tables.users.erase(user_id);
    tables.enrollments.erase(user_id);
    tables.backup_codes.erase(user_id);
  }
  void open_name_ledger() override { tables.ledger.clear(); }
  std::vector<std::int64_t> note_names(const std::vector<NameLine>& names) override
  {
    std::vector<std::int64_t> first_lines;
    for (const auto& [user_name, line] : names) {
      first_lines.push_back(tables.ledger.emplace(std::string(user_name), line).first->second);
    }
    return first_lines;
  }
  void insert_users(const std::vector<NewUser>& users) override
  {
    for (const auto& user : users) {
      insert_user(user);
    }
  }
  bool has_users() override { return !tables.users.empty(); }
  std::vector<User> find_users(const std::vector<std::string_view>& names) override
  {
    std::vector<User> users;
    for (const auto& [id, user] : tables.users) {
      if (std::find(names.begin(), names.end(), user.name) != names.end()) {
        users.push_back(*find_user(user.name, detail::IndexCheck::trust));
      }
    }
    return users;
  }
  void close_name_ledger() override { tables.ledger.clear(); }
  void bulk_caches(bool on) override { bulk = on; }
  bool bulk = false;

  int failed_attempts(std::int64_t user_id) override { return tables.users.at(user_id).failed_attempts; }
  void save_failure(std::int64_t user_id, int failures, std::optional<std::int64_t> locked_until,
                    std::int64_t at) override
  {
    auto& user = tables.users.at(user_id);
    user.failed_attempts = failures;
    if (locked_until) {
      user.locked_until = locked_until;
    }
    user.last_failure_at = at;
  }
  void save_login(std::int64_t user_id, std::int64_t at) override
  {
    auto& user = tables.users.at(user_id);
    user.failed_attempts = 0;
    user.last_login_at = at;
  }
  void clear_lock(std::int64_t user_id) override
  {
    auto& user = tables.users.at(user_id);
    user.failed_attempts = 0;
    user.locked_until.reset();
  }

  std::optional<detail::EnrollmentRow> enrollment(std::int64_t user_id) override
  {
    const auto it = tables.enrollments.find(user_id);
    return it == tables.enrollments.end() ? std::nullopt : std::optional(it->second);
  }
  void save_pending_enrollment(std::int64_t user_id, const detail::Bytes& sealed_secret,
                               const TotpParams& params) override
  {
    tables.enrollments[user_id] = {EnrollmentState::pending, sealed_secret, params, std::nullopt};
  }
  void activate_enrollment(std::int64_t user_id, std::int64_t step) override
  {
    auto& row = tables.enrollments.at(user_id);
    row.state = EnrollmentState::active;
    row.last_step = step;
  }
  bool consume_step(std::int64_t user_id, std::int64_t step) override
  {
    auto it = tables.enrollments.find(user_id);
    if (it == tables.enrollments.end() || it->second.state != EnrollmentState::active
        || (it->second.last_step && *it->second.last_step >= step)) {
      return false;
    }
    it->second.last_step = step;
    return true;
  }
  void remove_enrollment(std::int64_t user_id) override
  {
    tables.enrollments.erase(user_id);
    tables.backup_codes.erase(user_id);
  }

  std::vector<detail::BackupCodeRow> backup_codes(std::int64_t user_id) override
  {
    return tables.backup_codes[user_id];
  }
  detail::BackupCodeCounts count_backup_codes(std::int64_t user_id) override
  {
    detail::BackupCodeCounts counts;
    for (const auto& row : tables.backup_codes[user_id]) {
      ++(row.used ? counts.used : counts.unused);
    }
    return counts;
  }
  bool consume_backup_code(std::int64_t user_id, std::int64_t code_id) override
  {
    for (auto& row : tables.backup_codes[user_id]) {
      if (row.id == code_id && !row.used) {
        row.used = true;
        return true;
      }
    }
    return false;
  }
  void replace_backup_codes(std::int64_t user_id, const std::vector<BackupCodeHash>& hashes) override
  {
    auto& rows = tables.backup_codes[user_id];
    rows.clear();
    for (const auto& hash : hashes) {
      rows.push_back({tables.next_id++, hash, false});
    }
  }

  void append_audit(const detail::AuditRecord& entry) override
  {
    tables.audit.push_back({tables.next_id++, m_now, std::string(entry.actor), std::string(entry.action),
                            std::string(entry.target), entry.old_value, entry.new_value, entry.reason});
  }
  void append_audits(const std::vector<detail::AuditRecord>& entries) override
  {
    for (const auto& entry : entries) {
      append_audit(entry);
    }
  }
  std::vector<AuditEntry> audit_entries(const AuditQuery&, const std::vector<std::string>&) override
  {
    return {tables.audit.rbegin(), tables.audit.rend()};
  }
  bool audit_mentions_user(const std::vector<std::string>& names) override
  {
    return std::any_of(tables.audit.begin(), tables.audit.end(), [&](const AuditEntry& entry) {
      return std::find(names.begin(), names.end(), entry.target) != names.end();
    });
  }
  AuditPrunePlan audit_before(std::int64_t before) override
  {
    AuditPrunePlan plan{before, 0, 0};
    for (const auto& entry : tables.audit) {
      if (entry.at < before) {
        ++plan.rows;
        plan.last_id = entry.id;
      }
    }
    return plan;
  }
  std::int64_t remove_audit(std::int64_t before, std::int64_t last_id) override
  {
    const auto size = tables.audit.size();
    std::erase_if(tables.audit, [&](const AuditEntry& entry) { return entry.at < before && entry.id <= last_id; });
    return static_cast<std::int64_t>(size - tables.audit.size());
  }

private:
  // Puts the tables back unless committed.
  class Undo final : public detail::Transaction::Impl
  {
  public:
    explicit Undo(FakeStore& store) : m_store(store), m_saved(store.tables) {}
    ~Undo() override
    {
      if (!m_committed) {
        m_store.tables = std::move(m_saved);
      }
    }
    void commit() override
    {
      m_committed = true;
      ++m_store.commits;
    }

  private:
    FakeStore& m_store;
    Tables m_saved;
    bool m_committed = false;
  };

  EnrollmentState state_of(std::int64_t user_id) const
  {
    const auto it = tables.enrollments.find(user_id);
    return it == tables.enrollments.end() ? EnrollmentState::none : it->second.state;
  }

  std::string m_name = "fake store";
  Paths m_paths;
  // Deterministic, but never the same bytes twice.
  RandomSource m_random = [counter = std::make_shared<std::uint64_t>(0)](std::span<std::uint8_t> out) {
    for (auto& byte : out) {
      ++*counter;
      byte = static_cast<std::uint8_t>((*counter * 0x9E3779B97F4A7C15ULL) >> 56);
    }
  };
};

} // namespace mfa::test
