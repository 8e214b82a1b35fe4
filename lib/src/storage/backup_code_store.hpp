// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/backup_code.hpp>

#include <string>
#include <vector>

namespace mfa::detail {

class DatabaseImpl;

struct FreshBackupCodes
{
  std::vector<std::string> codes; // as shown to the user
  std::vector<BackupCodeHash> hashes;
};

// Makes and hashes `count` codes. Slow by design: call it outside a write
// transaction.
FreshBackupCodes make_backup_codes(int count, const RandomSource& random);

// Replaces every stored code of the user with these hashes.
void replace_backup_codes(DatabaseImpl& db, std::int64_t user_id, const FreshBackupCodes& fresh);

} // namespace mfa::detail
