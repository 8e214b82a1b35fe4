// SPDX-License-Identifier: MIT
#include "core/rules.hpp"

#include <mfa/clock.hpp>
#include <mfa/policy.hpp>

#include <algorithm>

namespace mfa::detail {

std::string describe_user(UserType type, AuthMethod auth, const std::optional<std::string>& email)
{
  return std::string(to_string(type)) + ", " + to_string(auth) + (email ? ", " + *email : std::string());
}

std::string no_such_user_message(std::string_view name)
{
  return "no such user: " + std::string(name);
}

namespace {

const char* class_option_name(UserType type)
{
  return type == UserType::external ? "externalMFA" : "internalMFA";
}

} // namespace

std::optional<std::string> mfa_unavailable(const Settings& settings, const User& user)
{
  if (user.auth == AuthMethod::sso) {
    return "user '" + user.name + "' signs in with SSO and never uses MFA";
  }
  if (class_mode(settings, user.type) == Mode::off) {
    return std::string("MFA is Off for ") + to_string(user.type) + " users; turn " + class_option_name(user.type)
           + " on first";
  }
  return std::nullopt;
}

bool is_locked(const User& user, std::int64_t now)
{
  return user.locked_until && *user.locked_until > now;
}

std::string lock_text(std::int64_t locked_until)
{
  if (locked_until >= k_locked_until_unlock) {
    return "locked out until an admin runs mfa unlock";
  }
  return "locked out until " + format_rfc3339(locked_until);
}

namespace {

// The end of the lock that the failure-th failure in a row sets, if any.
std::optional<std::int64_t> lock_end(int failures, int max_failed_attempts, int lockout_minutes, std::int64_t now)
{
  if (max_failed_attempts <= 0) {
    return std::nullopt; // 0: never lock
  }
  if (failures >= k_failures_until_unlock) {
    return k_locked_until_unlock;
  }
  if (failures % max_failed_attempts != 0) {
    return std::nullopt;
  }
  // The n-th lock lasts 2^(n-1) times the first; far enough ahead it is the
  // lock until unlock (no overflow: at most 2^40 * 1440 minutes).
  const int doublings = std::min(failures / max_failed_attempts - 1, 40);
  const std::int64_t seconds = (std::int64_t{lockout_minutes} * 60) << doublings;
  return std::min(now + seconds, k_locked_until_unlock);
}

} // namespace

std::optional<std::int64_t> record_failure(Store& store, const User& user, const Settings& settings,
                                           std::int64_t now)
{
  // The count as this transaction sees it: other processes count too.
  const int failures = store.failed_attempts(user.id) + 1;
  const auto until = lock_end(failures, settings.max_failed_attempts, settings.lockout_minutes, now);
  store.save_failure(user.id, failures, until, now);
  return until;
}

void clear_failures(Store& store, const User& user)
{
  store.save_login(user.id, store.now());
}

void audit(Store& store, std::string_view actor, std::string_view action, AuditTarget kind, std::string_view target,
           const std::optional<std::string>& old_value, const std::optional<std::string>& new_value,
           const std::optional<std::string>& reason)
{
  store.append_audit({actor, action, kind, target, old_value, new_value, reason});
}

FreshBackupCodes make_backup_codes(int count, const RandomSource& random)
{
  FreshBackupCodes fresh;
  for (int i = 0; i < count; ++i) {
    fresh.codes.push_back(generate_backup_code(random));
    fresh.hashes.push_back(hash_backup_code(*normalize_backup_code(fresh.codes.back()), random));
  }
  return fresh;
}

Bytes seal_for(Store& store, std::int64_t user_id, const SecretBytes& secret)
{
  const DataKey& key = store.current_data_key(); // not one another process has rotated away
  return seal_secret(key.key.bytes(), key.id, user_id, secret.bytes(), store.random());
}

SecretBytes open_for(Store& store, std::int64_t user_id, const Bytes& sealed)
{
  if (sealed_before_data_keys(sealed)) {
    // Sealed under the key file's own key, as before data keys: a process
    // that opened the database before it was migrated may still write one.
    // It opens as it did (a rotation seals it under the data key).
    return open_secret_v1(store.key_file_key().bytes(), user_id, sealed);
  }
  const auto recorded = sealed_key_id(sealed);
  if (recorded && *recorded != store.data_key().id) {
    const DataKey& now = store.current_data_key();
    return open_secret(now.key.bytes(), now.id, user_id, sealed);
  }
  try {
    return open_secret(store.data_key().key.bytes(), store.data_key().id, user_id, sealed);
  } catch (const KeyError&) {
    // The same number, another key (a copy's target, a database put back
    // and rotated again since this store opened): once more, as the
    // transaction sees the row.
    const Key before = store.data_key().key;
    const DataKey& now = store.current_data_key();
    if (now.key.bytes() == before.bytes()) {
      throw;
    }
    return open_secret(now.key.bytes(), now.id, user_id, sealed);
  }
}

} // namespace mfa::detail
