// SPDX-License-Identifier: MIT
#pragma once

// Rules shared by the commands of core/, on the storage seam.

#include "storage/store.hpp"

#include "crypto/backup_code.hpp"
#include "crypto/secret.hpp"
#include <mfa/options.hpp>
#include <mfa/users.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa::detail {

// The settings as the current transaction sees them. Every decision made
// inside a write transaction reads them here, after the transaction began,
// never from a copy read before it. A stored option mfa never writes is a
// StorageError.
Settings current_settings(Store& store);

// "internal, password, a@example.com": a user's fields as the audit log shows them.
std::string describe_user(UserType type, AuthMethod auth, const std::optional<std::string>& email);

// The outcome for a name that matches no user.
std::string no_such_user_message(std::string_view name);

// Why a user never uses MFA now (signs in with SSO, or MFA is Off for the
// user's class), or nothing.
std::optional<std::string> mfa_unavailable(const Settings& settings, const User& user);

// Whether the lock is in force at `now`.
bool is_locked(const User& user, std::int64_t now);

// A lock that only `mfa unlock` (or reset) lifts: the last second of 9999.
inline constexpr std::int64_t k_locked_until_unlock = 253402300799;
// Failures in a row after which the lock stays until unlock (NIST SP 800-63B's ceiling).
inline constexpr int k_failures_until_unlock = 100;

// "locked out until 2026-12-01T10:00:00Z", or "locked out until an admin
// runs mfa unlock" for the lock that does not end.
std::string lock_text(std::int64_t locked_until);

// Counts one failed attempt in the current transaction. Failures count in a
// row across locks, until a success or an unlock: every
// max_failed_attempts-th one locks the user, each lock twice as long as the
// one before (lockout_minutes the first time), and the
// k_failures_until_unlock-th locks until unlock. Returns the lock end when
// this failure locked the user. Notes `now` as the user's last failure.
std::optional<std::int64_t> record_failure(Store& store, const User& user, const Settings& settings,
                                           std::int64_t now);

// Clears the failure count after a success (a code accepted by verify or by
// enroll --confirm), and notes the store clock's now as the last login.
void clear_failures(Store& store, const User& user);

// Appends one row to the audit log, in the caller's transaction (so the
// change and its row land together or not at all).
void audit(Store& store, std::string_view actor, std::string_view action, AuditTarget kind, std::string_view target,
           const std::optional<std::string>& old_value, const std::optional<std::string>& new_value,
           const std::optional<std::string>& reason = std::nullopt);

struct FreshBackupCodes
{
  std::vector<std::string> codes; // as shown to the user
  std::vector<BackupCodeHash> hashes;
};

// Makes and hashes `count` codes. Slow by design: call it outside a write
// transaction.
FreshBackupCodes make_backup_codes(int count, const RandomSource& random);

// A user's secret sealed under the data key as the caller's transaction
// sees it, and opened from it (the store's data key, read again when the
// secret records another: a rotation by another process since this store
// opened). KeyError when it does not open.
Bytes seal_for(Store& store, std::int64_t user_id, const SecretBytes& secret);
SecretBytes open_for(Store& store, std::int64_t user_id, const Bytes& sealed);

// Calls `body(user, enrollment)` for every user whose enrollment is in one
// of `states` (by name within each state), in the caller's transaction. A
// user listed with an enrollment whose row is missing is damage
// (StorageError), as anywhere else.
template<typename Body>
void for_each_enrollment(Store& store, std::initializer_list<EnrollmentState> states, Body&& body)
{
  for (const auto state : states) {
    UserFilter filter;
    filter.enrollment = state;
    for (const User& user : store.list_users(filter)) {
      const auto enrollment = store.enrollment(user.id);
      if (!enrollment) {
        store.damaged("enrollments", "user_id", std::to_string(user.id), "is missing for an enrolled user");
      }
      body(user, *enrollment);
    }
  }
}

} // namespace mfa::detail
