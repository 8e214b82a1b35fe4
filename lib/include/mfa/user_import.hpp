// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

class Database;

// How many bad rows an import reports; it still counts them all.
inline constexpr std::size_t k_import_error_limit = 20;

enum class ExistingUsers
{
  refuse, // a user that exists is a bad row
  update, // a user that exists gets the row's type, auth and email
};

enum class DryRun
{
  no,
  yes, // check every row, write nothing
};

struct ImportProgress
{
  std::size_t rows = 0;  // records read so far after the header
  std::size_t bytes = 0; // bytes read so far
};

struct ImportOptions
{
  ExistingUsers existing = ExistingUsers::refuse;
  DryRun dry_run = DryRun::no;
  // Called after each record, inside the transaction; it must not throw.
  std::function<void(const ImportProgress&)> progress;
};

struct ImportError
{
  std::size_t line = 0; // where the bad row starts, from 1
  std::string error;
};

struct ImportSummary
{
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0; // existing users already as the row gives them (with update)
  bool dry_run = false;
  std::vector<std::string> ignored_columns; // header names that are not name, type, auth or email
  // On failure: the first k_import_error_limit bad rows, how many there were
  // in all, and the line of the first.
  std::vector<ImportError> errors;
  std::size_t bad_rows = 0;
  std::size_t failed_line = 0;
};

// Imports users from CSV with a header row. Columns are found by name in any
// order and case: name (required), type (internal|external; internal when
// the column is absent), auth (password|sso; password when absent), email
// (optional; an empty cell is no address). Other columns are ignored and
// named in ignored_columns. With ExistingUsers::update a column left out of
// the file leaves that field of an existing user as it is.
//
// RFC 4180 quoting, CRLF or LF line ends, a UTF-8 byte-order mark and blank
// lines are accepted; the stream is read record by record. All or nothing,
// in one transaction: one bad row imports nothing. Every row is checked;
// the message is "line N: reason" for one bad row, else says how many.
// invalid: a malformed header or row (any); not_allowed: otherwise, a user
// that already exists (without update). Each user added or updated is audited
// as users.import (the old value empty for an added user).
// Throws StorageError when the database cannot be written.
MFA_API Outcome<ImportSummary> import_users(Database& db, std::istream& csv, std::string_view actor,
                                            const ImportOptions& options = {});
MFA_API Outcome<ImportSummary> import_users(Database& db, std::string_view csv, std::string_view actor,
                                            const ImportOptions& options = {});

} // namespace mfa
