// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "otp/totp.hpp"
#include "otp/code_input.hpp"
#include "storage/store.hpp"
#include "crypto/backup_code.hpp"
#include "crypto/secret.hpp"

#include <mfa/verify.hpp>

#include <algorithm>
#include <vector>

namespace mfa {

namespace {

using Result = Outcome<VerifyResult>;

struct Candidate
{
  VerifyMethod method = VerifyMethod::none;
  RejectReason reason = RejectReason::none; // set when the code is already known to be bad
  std::int64_t totp_step = 0;     // TOTP: the step to consume
  int drift = 0;
  std::int64_t backup_code_id = 0; // backup code: the row to consume
};

Candidate check_totp(detail::Store& impl, const User& user, const std::string& code,
                     const detail::EnrollmentRow& enrollment, int window)
{
  Candidate candidate;
  candidate.method = VerifyMethod::totp;
  const SecretBytes secret = detail::open_for(impl, user.id, enrollment.sealed_secret);
  const std::int64_t now = impl.now();
  const std::int64_t first_unused = enrollment.last_step ? *enrollment.last_step + 1 : 0;
  if (auto match = verify_totp(secret.bytes(), code, now, enrollment.params, window, first_unused)) {
    candidate.totp_step = match->step;
    candidate.drift = match->drift;
  } else if (enrollment.last_step && verify_totp(secret.bytes(), code, now, enrollment.params, window)) {
    candidate.reason = RejectReason::reused;
  } else {
    candidate.reason = RejectReason::wrong_code;
  }
  return candidate;
}

// A user's stored backup codes as one snapshot saw them.
using detail::BackupCodeRow;

struct BackupCodeSnapshot
{
  std::int64_t user_id = 0;
  std::vector<BackupCodeRow> rows; // by id

  // The same codes: the same rows with the same salts and hashes, whether
  // or not some were used since (a use changes no hash).
  bool same_codes(const BackupCodeSnapshot& other) const
  {
    return user_id == other.user_id
           && std::equal(rows.begin(), rows.end(), other.rows.begin(), other.rows.end(),
                         [](const BackupCodeRow& a, const BackupCodeRow& b) { return a.id == b.id && a.stored == b.stored; });
  }
  bool used(std::int64_t id) const
  {
    return std::any_of(rows.begin(), rows.end(), [&](const BackupCodeRow& row) { return row.id == id && row.used; });
  }
};

BackupCodeSnapshot read_backup_codes(detail::Store& store, std::int64_t user_id)
{
  return BackupCodeSnapshot{user_id, store.backup_codes(user_id)};
}

// Runs the slow hashes of a snapshot against the code.
Candidate match_backup_code(const BackupCodeSnapshot& snapshot, const std::string& normalized)
{
  Candidate candidate;
  candidate.method = VerifyMethod::backup_code;
  bool reused = false;
  for (const auto& row : snapshot.rows) {
    if (check_backup_code(normalized, row.stored)) {
      if (!row.used) {
        candidate.backup_code_id = row.id;
        return candidate;
      }
      reused = true;
    }
  }
  candidate.reason = reused ? RejectReason::reused : RejectReason::wrong_code;
  return candidate;
}

// A backup code checked against the slow hashes before the write lock, so
// that other logins do not wait for the hashing: the snapshot it was checked
// against travels with the result.
struct BackupPrecheck
{
  BackupCodeSnapshot snapshot;
  Candidate candidate;
};

// Decides on a backup code inside the write transaction. The precheck
// counts only when the rows it hashed are still the codes this transaction
// sees (same ids, salts and hashes); a row it matched that another process
// used meanwhile makes the code reused. After a regeneration they are other
// codes, and the code is hashed again here, against what the transaction
// sees (rare: a race with an admin; the losers of a race on one code never
// hash again inside the lock).
Candidate decide_backup_code(detail::Store& impl, const User& user, const std::string& normalized,
                             const std::optional<BackupPrecheck>& precheck)
{
  const BackupCodeSnapshot now_seen = read_backup_codes(impl, user.id);
  if (!precheck || !precheck->snapshot.same_codes(now_seen)) {
    return match_backup_code(now_seen, normalized);
  }
  Candidate candidate = precheck->candidate;
  if (candidate.reason == RejectReason::none && now_seen.used(candidate.backup_code_id)) {
    candidate.backup_code_id = 0;
    candidate.reason = RejectReason::reused;
  }
  return candidate;
}

// Consumes the time step or the backup code; the write transaction has
// already seen it unused. Returns whether this call consumed it.
bool consume(detail::Store& store, const User& user, const Candidate& candidate)
{
  if (candidate.method == VerifyMethod::totp) {
    return store.consume_step(user.id, candidate.totp_step);
  }
  return store.consume_backup_code(user.id, candidate.backup_code_id);
}

std::optional<int> unused_backup_codes(detail::Store& store, const User& user, const Settings& settings)
{
  if (!settings.backup_codes_enabled) {
    return std::nullopt;
  }
  return store.count_backup_codes(user.id).unused;
}

// The refusals that come before any code is looked at, but the lock.
std::optional<Result> refusal(const Settings& settings, const std::optional<User>& user, std::string_view name)
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
  return std::nullopt;
}

std::optional<BackupPrecheck> precheck_backup_code(detail::Store& impl, std::string_view name,
                                                   const std::string& normalized)
{
  const Settings settings = detail::current_settings(impl);
  const auto user = impl.find_user(name);
  if (!settings.backup_codes_enabled || refusal(settings, user, name)) {
    return std::nullopt;
  }
  if (normalized.size() != k_backup_code_length) { // eight digits: a scratch code only for a 6-digit enrollment
    const auto enrollment = impl.enrollment(user->id);
    if (!enrollment || enrollment->params.digits != 6) {
      return std::nullopt;
    }
  }
  BackupPrecheck precheck{read_backup_codes(impl, user->id), {}};
  precheck.candidate = match_backup_code(precheck.snapshot, normalized);
  return precheck;
}

// Eight digits: a TOTP code of an 8-digit enrollment, or for a 6-digit one
// a scratch code google-authenticator made (imported as a backup code).
bool is_scratch_length(const detail::TypedCode& typed)
{
  return typed.kind == detail::CodeKind::totp && typed.text.size() == 8;
}

Candidate backup_candidate(detail::Store& impl, const User& user, const Settings& settings,
                           const std::string& normalized, const std::optional<BackupPrecheck>& precheck)
{
  if (settings.backup_codes_enabled) {
    return decide_backup_code(impl, user, normalized, precheck);
  }
  Candidate candidate;
  candidate.method = VerifyMethod::backup_code;
  candidate.reason = RejectReason::backup_codes_disabled;
  return candidate;
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

const char* to_string(RejectReason reason)
{
  switch (reason) {
  case RejectReason::wrong_code:
    return "wrong-code";
  case RejectReason::reused:
    return "reused";
  case RejectReason::malformed:
    return "malformed";
  case RejectReason::backup_codes_disabled:
    return "backup-codes-disabled";
  case RejectReason::locked:
    return "locked";
  case RejectReason::none:
    break;
  }
  return "";
}

Outcome<VerifyResult> code_needed(Database& db, std::string_view name)
{
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (auto refused = refusal(settings, user, name)) {
      return *refused;
    }
    VerifyResult result;
    result.user = user->name;
    if (detail::is_locked(*user, impl.now())) {
      result.reason = RejectReason::locked;
      result.locked_until = user->locked_until;
      return Result::failure(Status::locked, "user '" + user->name + "' is " + detail::lock_text(*user->locked_until),
                             std::move(result));
    }
    return Result::success(std::move(result));
  });
}

Outcome<std::size_t> code_offset(Database& db, std::string_view name, std::string_view response)
{
  return detail::with_store(db, [&](detail::Store& impl) -> Outcome<std::size_t> {
    auto snapshot = impl.read(); // the user and the enrollment agree
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (auto refused = refusal(settings, user, name)) {
      return Outcome<std::size_t>::failure(refused->status, refused->message);
    }
    const auto enrollment = impl.enrollment(user->id);
    const std::size_t digits = enrollment ? static_cast<std::size_t>(enrollment->params.digits) : 0;
    const std::size_t size = response.size();
    const auto ends_in = [&](std::size_t length) { return size >= length ? response.substr(size - length) : ""; };
    // A backup code as printed (its dash is what tells it from digits);
    // then the enrollment's digits; then a backup code without its dash.
    constexpr std::size_t printed = k_backup_code_length + 1;
    if (size >= printed && response[size - printed + k_backup_code_length / 2] == '-'
        && normalize_backup_code(ends_in(printed))) {
      return Outcome<std::size_t>::success(size - printed);
    }
    const std::string_view tail = ends_in(digits);
    if (digits > 0 && tail.size() == digits
        && std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Outcome<std::size_t>::success(size - digits);
    }
    if (normalize_backup_code(ends_in(k_backup_code_length))) {
      return Outcome<std::size_t>::success(size - k_backup_code_length);
    }
    return Outcome<std::size_t>::failure(Status::rejected, "no code at the end of what user '" + user->name
                                                               + "' typed");
  });
}

Outcome<VerifyResult> verify_code(Database& db, std::string_view name, std::string_view code, std::string_view actor)
{
  const detail::TypedCode typed = detail::classify_code(code);
  if (typed.kind == detail::CodeKind::empty) {
    return Result::failure(Status::invalid, "no code given");
  }
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    std::optional<BackupPrecheck> precheck;
    if (typed.kind == detail::CodeKind::backup || is_scratch_length(typed)) {
      precheck = precheck_backup_code(impl, name, typed.text);
    }

    // One write transaction: every decision below is made on what it sees
    // (settings included), and consumes the step or code exactly once, or
    // counts the failure.
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    const auto user = impl.find_user(name);
    if (auto refused = refusal(settings, user, name)) {
      return *refused;
    }
    const std::int64_t now = impl.now();
    VerifyResult result;
    result.user = user->name;
    if (detail::is_locked(*user, now)) {
      // Refused without looking at the code, not counted, but audited.
      result.reason = RejectReason::locked;
      result.locked_until = user->locked_until;
      detail::audit(impl, actor, "verify", detail::AuditTarget::user, user->name, std::nullopt,
                           "refused; " + detail::lock_text(*user->locked_until), to_string(RejectReason::locked));
      transaction.commit();
      return Result::failure(Status::locked, "user '" + user->name + "' is " + detail::lock_text(*user->locked_until),
                             std::move(result));
    }
    Candidate candidate;
    switch (typed.kind) {
    case detail::CodeKind::totp: {
      const auto enrollment = impl.enrollment(user->id);
      if (typed.text.size() == static_cast<std::size_t>(enrollment->params.digits)) {
        candidate = check_totp(impl, *user, typed.text, *enrollment, settings.window);
      } else if (is_scratch_length(typed) && enrollment->params.digits == 6) {
        candidate = backup_candidate(impl, *user, settings, typed.text, precheck);
      } else {
        candidate.reason = RejectReason::malformed;
      }
      break;
    }
    case detail::CodeKind::backup:
      candidate = backup_candidate(impl, *user, settings, typed.text, precheck);
      break;
    case detail::CodeKind::empty:
    case detail::CodeKind::malformed:
      candidate.reason = RejectReason::malformed;
      break;
    }
    if (candidate.reason == RejectReason::none && !consume(impl, *user, candidate)) {
      candidate.reason = RejectReason::reused;
    }
    if (candidate.reason == RejectReason::none) {
      detail::clear_failures(impl, *user);
      result.accepted = true;
      result.method = candidate.method;
      if (candidate.method == VerifyMethod::totp) {
        result.drift_steps = candidate.drift;
      }
      result.backup_codes_left = unused_backup_codes(impl, *user, settings);
      detail::audit(impl, actor, "verify", detail::AuditTarget::user, user->name, std::nullopt,
                           std::string("accepted (") + to_string(candidate.method) + ")");
      transaction.commit();
      return Result::success(std::move(result));
    }
    result.method = candidate.method;
    result.reason = candidate.reason;
    result.locked_until = detail::record_failure(impl, *user, settings, now);
    result.backup_codes_left = unused_backup_codes(impl, *user, settings);
    detail::audit(impl, actor, "verify", detail::AuditTarget::user, user->name, std::nullopt,
                         result.locked_until ? "rejected; " + detail::lock_text(*result.locked_until)
                                             : std::string("rejected"),
                         to_string(candidate.reason));
    transaction.commit();
    std::string message = std::string("code rejected (") + to_string(candidate.reason) + ")";
    if (result.locked_until) {
      message += "; too many failures: " + detail::lock_text(*result.locked_until);
    }
    return Result::failure(Status::rejected, message, std::move(result));
  });
}

} // namespace mfa
