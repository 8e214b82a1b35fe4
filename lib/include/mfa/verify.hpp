// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mfa {

class Database;

enum class VerifyMethod
{
  none,
  totp,
  backup_code,
};

// Throws nothing.
MFA_API const char* to_string(VerifyMethod method); // "totp", "backup-code", or "" for none

// Why a code was rejected (none: it was not).
enum class RejectReason
{
  none,
  wrong_code,
  reused,
  malformed,
  backup_codes_disabled,
  locked,
};

// "wrong-code", "reused", "malformed", "backup-codes-disabled", "locked",
// or "" for none: the words of the CLI's JSON and the audit log.
// Throws nothing.
MFA_API const char* to_string(RejectReason reason);

struct VerifyResult
{
  std::string user;
  bool accepted = false;
  VerifyMethod method = VerifyMethod::none;
  // Why it was rejected; none when accepted.
  RejectReason reason = RejectReason::none;
  std::optional<int> drift_steps;      // TOTP: matched step minus the current step
  std::optional<int> backup_codes_left; // unused codes, when backup codes are enabled
  std::optional<std::int64_t> locked_until; // set when the user is (now) locked
};

// The login check. Accepts a TOTP code of the enrollment within mfaWindow
// steps, each time step once (the last used step only moves forward, by a
// conditional update, so concurrent processes accept a code once), or an
// unused backup code while backup codes are enabled (once). Every rejected
// attempt counts as a failure; mfaMaxFailedAttempts consecutive failures
// lock the user for mfaLockoutMinutes; a success resets the count. Every
// attempt is audited.
//
// ok: accepted (value()). Otherwise details() says why: accepted false,
// the reason, drift, locked_until, backup_codes_left. rejected: wrong, reused, malformed, or a backup code while
// disabled. locked: locked out (even for a right code; not counted).
// invalid: empty code (not counted). no_such_user. not_allowed: SSO, MFA Off
// for the class, not enrolled, enrollment pending.
// Throws StorageError, KeyError (the key file, or a stored secret that does not open).
MFA_API Outcome<VerifyResult> verify_code(Database& db, std::string_view name, std::string_view code,
                                          std::string_view actor);

// Whether a login of the user needs a code now: ok when it does, else what
// verify_code would refuse before looking at any code (no_such_user;
// not_allowed: SSO, MFA Off for the class, not enrolled, pending; locked).
// Reads only, audits nothing: for a front end that asks for the code only
// after this (so an SSO user is never prompted). verify_code decides again.
// Throws StorageError when the database cannot be read.
MFA_API Outcome<VerifyResult> code_needed(Database& db, std::string_view name);

// Where the code starts in `response`, a password with a code typed right
// after it in one answer (pam_mfa's forward_pass): the code is the end of
// the response, read as a backup code in its printed form (with its dash),
// else as many ASCII digits as the user's enrollment has (6 or 8), else a
// backup code typed without its dash. ok: the offset, so the password is
// the bytes before it (possibly none). rejected: nothing at the end reads
// as a code. no_such_user; not_allowed as code_needed. Reads only, audits
// nothing, counts no failure: verify_code then checks the code itself.
// Throws StorageError when the database cannot be read.
MFA_API Outcome<std::size_t> code_offset(Database& db, std::string_view name, std::string_view response);

} // namespace mfa
