// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mfa {

class Database;

// What check_key found: how many sealed secrets it opened or tried, and the
// users (by name) whose secret does not open.
struct KeyCheckReport
{
  std::int64_t checked = 0;
  std::vector<std::string> failed;

  bool ok() const { return failed.empty(); }
};

// Opens every sealed secret of the database (pending and active
// enrollments) with its key, each bound to its own user, in one read
// transaction: a secret that does not open (tampered bytes, a row sealed
// for another user, another key) is reported, never thrown. Reads only and
// audits nothing.
// Throws StorageError when the database cannot be read.
MFA_API KeyCheckReport check_key(Database& db);

} // namespace mfa
