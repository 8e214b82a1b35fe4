// SPDX-License-Identifier: MIT
#include "audit_writer.hpp"
#include "database_impl.hpp"
#include "text.hpp"
#include "user_store.hpp"

#include <mfa/backup_code.hpp>
#include <mfa/secret.hpp>
#include <mfa/verify.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

namespace mfa {

namespace {

using Result = Outcome<VerifyResult>;

struct Candidate
{
  VerifyMethod method = VerifyMethod::none;
  std::string reason;             // set when the code is already known to be bad
  std::int64_t totp_step = 0;     // TOTP: the step to consume
  int drift = 0;
  std::int64_t backup_code_id = 0; // backup code: the row to consume
};

std::string digits_only(std::string_view code)
{
  std::string out;
  for (char c : code) {
    if (c != ' ') {
      out += c;
    }
  }
  return std::all_of(out.begin(), out.end(), [](char c) { return c >= '0' && c <= '9'; }) ? out : std::string();
}

Candidate check_totp(detail::DatabaseImpl& impl, const User& user, const std::string& code,
                     const detail::EnrollmentRow& enrollment, int window)
{
  Candidate candidate;
  candidate.method = VerifyMethod::totp;
  const SecretBytes secret = open_secret(impl.key().bytes(), user.id, enrollment.sealed_secret);
  const std::int64_t now = impl.now();
  const std::int64_t first_unused = enrollment.last_step ? *enrollment.last_step + 1 : 0;
  if (auto match = verify_totp(secret.bytes(), code, now, enrollment.params, window, first_unused)) {
    candidate.totp_step = match->step;
    candidate.drift = match->drift;
  } else if (enrollment.last_step && verify_totp(secret.bytes(), code, now, enrollment.params, window)) {
    candidate.reason = "reused";
  } else {
    candidate.reason = "wrong-code";
  }
  return candidate;
}

Candidate check_backup_code(detail::DatabaseImpl& impl, const User& user, const std::string& normalized)
{
  Candidate candidate;
  candidate.method = VerifyMethod::backup_code;
  SQLite::Statement query(impl.sql(),
                          "SELECT id, iterations, salt, hash, used_at IS NOT NULL FROM backup_codes WHERE user_id = ? "
                          "ORDER BY used_at IS NOT NULL, id");
  query.bind(1, static_cast<int64_t>(user.id));
  bool reused = false;
  while (query.executeStep()) {
    BackupCodeHash stored;
    stored.iterations = query.getColumn(1).getInt();
    const auto salt = query.getColumn(2);
    const auto hash = query.getColumn(3);
    stored.salt.assign(static_cast<const std::uint8_t*>(salt.getBlob()),
                       static_cast<const std::uint8_t*>(salt.getBlob()) + salt.getBytes());
    stored.hash.assign(static_cast<const std::uint8_t*>(hash.getBlob()),
                       static_cast<const std::uint8_t*>(hash.getBlob()) + hash.getBytes());
    if (check_backup_code(normalized, stored)) {
      if (query.getColumn(4).getInt() != 0) {
        reused = true;
      } else {
        candidate.backup_code_id = query.getColumn(0).getInt64();
        return candidate;
      }
    }
  }
  candidate.reason = reused ? "reused" : "wrong-code";
  return candidate;
}

// Consumes the time step or the backup code, unless another process did
// first. Returns whether this call consumed it.
bool consume(detail::DatabaseImpl& db, const User& user, const Candidate& candidate, std::int64_t now)
{
  if (candidate.method == VerifyMethod::totp) {
    auto update = db.statement("UPDATE enrollments SET last_step = ?1 WHERE user_id = ?2 AND state = 'active' "
                               "AND (last_step IS NULL OR last_step < ?1)");
    update->bind(1, static_cast<int64_t>(candidate.totp_step));
    update->bind(2, static_cast<int64_t>(user.id));
    return update->exec() == 1;
  }
  auto update = db.statement("UPDATE backup_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL");
  update->bind(1, static_cast<int64_t>(now));
  update->bind(2, static_cast<int64_t>(candidate.backup_code_id));
  update->bind(3, static_cast<int64_t>(user.id));
  return update->exec() == 1;
}

std::optional<int> unused_backup_codes(detail::DatabaseImpl& db, const User& user, const Settings& settings)
{
  if (!settings.backup_codes_enabled) {
    return std::nullopt;
  }
  auto query = db.statement("SELECT count(*) FROM backup_codes WHERE user_id = ? AND used_at IS NULL");
  query->bind(1, static_cast<int64_t>(user.id));
  query->executeStep();
  return query->getColumn(0).getInt();
}

// The refusals that come before any code is looked at.
std::optional<Result> refusal(const Settings& settings, const std::optional<User>& user, std::string_view name,
                              std::int64_t now)
{
  if (!user) {
    return Result::failure(Status::no_such_user, detail::no_such_user_message(name));
  }
  VerifyResult value;
  value.user = user->name;
  if (auto why = detail::mfa_unavailable(settings, *user)) {
    return Result::failure(Status::not_allowed, *why, value);
  }
  if (user->enrollment == EnrollmentState::none) {
    return Result::failure(Status::not_allowed, "user '" + user->name + "' is not enrolled", value);
  }
  if (user->enrollment == EnrollmentState::pending) {
    return Result::failure(Status::not_allowed,
                           "user '" + user->name + "' has a pending enrollment; confirm it with the first code",
                           value);
  }
  if (detail::is_locked(*user, now)) {
    value.reason = "locked";
    value.locked_until = user->locked_until;
    return Result::failure(Status::locked,
                           "user '" + user->name + "' is locked out until " + format_rfc3339(*user->locked_until),
                           value);
  }
  return std::nullopt;
}

} // namespace

const char* to_string(VerifyMethod method)
{
  switch (method) {
  case VerifyMethod::totp:
    return "totp";
  case VerifyMethod::backup_code:
    return "backup-code";
  case VerifyMethod::none:
    break;
  }
  return "";
}

Outcome<VerifyResult> verify_code(Database& db, std::string_view name, std::string_view code, std::string_view actor)
{
  const std::string typed(detail::trim(code));
  if (typed.empty()) {
    return Result::failure(Status::invalid, "no code given");
  }
  const std::string digits = digits_only(typed);
  const bool totp_like = digits.size() == 6 || digits.size() == 8; // backup codes have 10 characters
  const auto normalized = totp_like ? std::nullopt : normalize_backup_code(typed);
  const Settings settings = load_settings(db);
  return detail::with_sql(db, [&](detail::DatabaseImpl& impl) -> Result {
    auto& sql = impl.sql();
    const std::int64_t now = impl.now();

    // A backup code is checked against the slow hashes before the write
    // lock is taken, so that other logins do not wait for it.
    Candidate candidate;
    if (normalized && settings.backup_codes_enabled) {
      const auto user = detail::load_user(impl, name);
      if (auto refused = refusal(settings, user, name, now)) {
        return *refused;
      }
      candidate = check_backup_code(impl, *user, *normalized);
    }

    // One write transaction: consume the step or code exactly once, or
    // count the failure.
    SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto user = detail::load_user(impl, name);
    if (auto refused = refusal(settings, user, name, now)) {
      return *refused;
    }
    if (totp_like) {
      const auto enrollment = detail::load_enrollment(impl, user->id);
      if (digits.size() == static_cast<std::size_t>(enrollment->params.digits)) {
        candidate = check_totp(impl, *user, digits, *enrollment, settings.window);
      } else {
        candidate.reason = "malformed";
      }
    } else if (normalized && !settings.backup_codes_enabled) {
      candidate.method = VerifyMethod::backup_code;
      candidate.reason = "backup-codes-disabled";
    } else if (!normalized) {
      candidate.reason = "malformed";
    }
    VerifyResult result;
    result.user = user->name;
    if (candidate.reason.empty() && !consume(impl, *user, candidate, now)) {
      candidate.reason = "reused";
    }
    if (candidate.reason.empty()) {
      detail::clear_failures(impl, *user);
      result.accepted = true;
      result.method = candidate.method;
      if (candidate.method == VerifyMethod::totp) {
        result.drift_steps = candidate.drift;
      }
      result.backup_codes_left = unused_backup_codes(impl, *user, settings);
      detail::append_audit(impl, actor, "verify", detail::AuditTarget::user, user->name, std::nullopt,
                           std::string("accepted (") + to_string(candidate.method) + ")");
      transaction.commit();
      return Result::success(std::move(result));
    }
    result.method = candidate.method;
    result.reason = candidate.reason;
    result.locked_until =
      detail::record_failure(impl, *user, settings.max_failed_attempts, settings.lockout_minutes, now);
    result.backup_codes_left = unused_backup_codes(impl, *user, settings);
    detail::append_audit(impl, actor, "verify", detail::AuditTarget::user, user->name, std::nullopt,
                         result.locked_until ? "rejected; locked until " + format_rfc3339(*result.locked_until)
                                             : std::string("rejected"),
                         candidate.reason);
    transaction.commit();
    std::string message = "code rejected (" + candidate.reason + ")";
    if (result.locked_until) {
      message += "; too many failures: locked out until " + format_rfc3339(*result.locked_until);
    }
    return Result::failure(Status::rejected, message, std::move(result));
  });
}

} // namespace mfa
