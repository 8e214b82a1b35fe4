// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

class Database;

// One active enrollment as an authenticator app reads it, for moving out.
struct ExportedEnrollment
{
  std::string user;
  std::string uri; // otpauth://totp/...: the secret in the clear, with the enrollment's parameters
};

// Every active enrollment (or only the user `name`'s), by name, as
// otpauth:// URIs with the current mfaIssuer, in one write transaction that
// audits each user exported (enroll.export; the row names the user, never
// the secret). no_such_user; not_allowed: `name` has no active enrollment,
// or SSO. With no name and no active enrollment: ok, an empty list.
// Throws StorageError, KeyError (a secret that does not open: nothing is
// exported or audited).
MFA_API Outcome<std::vector<ExportedEnrollment>> export_enrollments(Database& db, std::optional<std::string_view> name,
                                                                     std::string_view actor);

// The files `enroll --import` reads.
enum class ImportFormat
{
  google_authenticator, // one user's ~/.google_authenticator
  users_oath,           // pam_oath's users file (oath-toolkit's usersfile)
  otpauth,              // lines of "NAME otpauth://totp/..."
};

// "google-authenticator", "users.oath", "otpauth". Throws nothing.
MFA_API std::optional<ImportFormat> parse_import_format(std::string_view name);

struct ImportReport
{
  std::int64_t imported = 0;     // users given an active enrollment
  std::int64_t backup_codes = 0; // scratch codes kept as backup codes
  std::int64_t pins_dropped = 0; // users.oath lines with a PIN, which mfa does not keep
};

// Gives each user the file names an *active* enrollment with the secret and
// parameters the file holds (nobody scans again), all or nothing, in one
// write transaction that audits each user (enroll.import; never the
// secret). A user with a pending enrollment gets the imported one instead.
//
// google_authenticator: `text` is one user's file and `user` names the user
// (required; refused with the other formats): the base32 secret line, the
// '" ' option lines (TOTP_AUTH, STEP_SIZE, WINDOW_SIZE, DISALLOW_REUSE,
// RATE_LIMIT; HOTP_COUNTER is refused: counter-based), then 8-digit scratch
// codes (at most 10, none twice), kept as backup codes (hashed). SHA1 and 6
// digits, the period the STEP_SIZE line gives (30 by default); the newest of
// the steps DISALLOW_REUSE lists that is not in the future is taken as used.
// users_oath: "HOTP/T30[/6|/8] USER PIN HEXSECRET [...]" lines; '#' lines
// and blank ones skipped; counter-based types (HOTP, HOTP/E) and 7 digits
// are refused; the PIN field is not imported.
// otpauth: "NAME otpauth://totp/..." lines, split at the last
// " otpauth://"; blank lines skipped.
//
// Failures name the line: invalid (a malformed line, a secret shorter than
// 80 bits, a user twice, unsupported parameters, empty file),
// no_such_user, not_allowed (a user who is SSO or already active).
// Throws StorageError, KeyError.
MFA_API Outcome<ImportReport> import_enrollments(Database& db, ImportFormat format, std::string_view text,
                                                 std::optional<std::string_view> user, std::string_view actor);

} // namespace mfa
