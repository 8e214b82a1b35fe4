// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

class Database;

struct EnrollmentStart
{
  std::string user;
  std::string secret; // base32, for typing into an app by hand
  std::string uri;    // otpauth://totp/...
  TotpParams params;  // fixed into the enrollment
};

// Makes a new secret (160 random bits), stores it sealed, marks the
// enrollment pending, and returns the secret and its otpauth URI. The
// algorithm, digits and period of the current settings are fixed into it.
// Running it again while pending replaces the pending secret.
// no_such_user; not_allowed: SSO user, MFA Off for the class, already active.
//
// `deliver`, when given, is called with the new secret inside the write
// transaction, before the commit: it shows or writes the secret (a QR code,
// an SVG file). Whatever it throws rolls the enrollment back and is thrown on,
// so a secret nobody received is never stored.
// Throws StorageError, KeyError (the key file), and what `deliver` throws.
MFA_API Outcome<EnrollmentStart> begin_enrollment(Database& db, std::string_view name, std::string_view actor,
                                                  const std::function<void(const EnrollmentStart&)>& deliver = {});

// The pending enrollment's secret and URI again, without replacing it (for a
// user who closed the window before scanning). The URI carries the current
// mfaIssuer and the parameters fixed into the enrollment. Changes nothing.
// no_such_user; not_allowed: not pending (an active secret is never shown
// again), SSO user, MFA Off for the class.
// Throws StorageError, KeyError (the key file, or a stored secret that does not open).
MFA_API Outcome<EnrollmentStart> show_enrollment(Database& db, std::string_view name);

struct BatchEnrollment
{
  std::vector<EnrollmentStart> started;
  std::size_t failed_index = 0; // on failure: which name failed
};

// begin_enrollment for many users in one transaction: one unknown (no_such_user),
// ineligible (not_allowed) or repeated (invalid) name enrolls nobody; nor
// does anything `deliver` throws (called once with every user's secret,
// before the commit). `progress`, when given, is called after each user with
// how many of the names are done and how many there are; it must not throw.
// Throws StorageError, KeyError (the key file), and what `deliver` throws.
MFA_API Outcome<BatchEnrollment> begin_enrollments(
  Database& db, const std::vector<std::string>& names, std::string_view actor,
  const std::function<void(const BatchEnrollment&)>& deliver = {},
  const std::function<void(std::size_t done, std::size_t total)>& progress = {});

struct Confirmation
{
  std::string user;
  // The enrollment's state after the call, as the library saw it: active on
  // success; on failure whatever it was (none, pending or active).
  EnrollmentState state = EnrollmentState::none;
  std::vector<std::string> backup_codes; // shown once; empty when backup codes are disabled
  // Why the code was refused (rejected: wrong_code or malformed; locked);
  // none otherwise. Read it from details().
  RejectReason reason = RejectReason::none;
};

// Confirms a pending enrollment with the first code from the app: it
// becomes active, the code's time step counts as used, and when backup
// codes are enabled a new set is made. A wrong code keeps it pending and
// counts as a failed attempt. invalid: empty code; rejected: wrong code;
// locked; not_allowed: not enrolled, already active, SSO, MFA Off.
// Throws StorageError, KeyError (the key file, or a stored secret that does not open).
MFA_API Outcome<Confirmation> confirm_enrollment(Database& db, std::string_view name, std::string_view code,
                                                 std::string_view actor);

} // namespace mfa
