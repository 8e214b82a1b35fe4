// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mfa {

class Database;

struct BackupCodeSet
{
  std::string user;
  std::vector<std::string> codes; // shown once, never stored in clear
};

// Makes a new set of mfaBackupCodeCount codes that replaces the old one, in
// one transaction (audited). not_allowed: backup codes are disabled, or the
// user is not enrolled (active). When the user still has unused codes and
// `replace_unused` is given, it is asked first (with their number) and
// false is rejected ("not confirmed"), changing nothing.
// Throws StorageError (database), mfa::Error (random source), what `replace_unused` throws.
MFA_API Outcome<BackupCodeSet> generate_backup_codes(Database& db, std::string_view name, std::string_view actor,
                                                     const std::function<bool(int unused)>& replace_unused = {});

struct BackupCodeStatus
{
  std::string user;
  int remaining = 0; // stored and unused
  int used = 0;
  bool usable = false; // backup codes are enabled and some remain
};

// Throws StorageError when the database cannot be read.
MFA_API Outcome<BackupCodeStatus> backup_code_status(Database& db, std::string_view name);

} // namespace mfa
