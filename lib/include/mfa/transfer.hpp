// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

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

} // namespace mfa
