// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstddef>
#include <string_view>

namespace mfa {

class Database;

struct ImportSummary
{
  std::size_t imported = 0;
  std::size_t failed_line = 0; // on failure: the line the bad row starts on
};

// Imports users from CSV text with the header name,type,auth[,email]
// (type: internal|external, auth: password|sso; any case). RFC 4180
// quoting, CRLF or LF line ends, a UTF-8 byte-order mark and blank lines are
// accepted. All or nothing, in one transaction: one bad row imports nothing,
// and the message names its line and the reason. invalid: a malformed row;
// not_allowed: a user that already exists. Each user is audited.
MFA_API Outcome<ImportSummary> import_users(Database& db, std::string_view csv, std::string_view actor);

} // namespace mfa
