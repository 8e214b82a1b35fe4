// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <cstdint>
#include <string>
#include <string_view>
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

// What a key rotation did.
struct KeyRotation
{
  std::string key_file;      // the key file that opens the database now
  bool key_file_created = false;
  std::uint32_t data_key = 0; // the data key's number now
  std::int64_t resealed = 0;  // secrets sealed again (rotate_data_key)
};

// Two-level keys: the key file wraps the database's data key (one row of
// the database), and the data key seals every secret.
//
// rotate_key_file wraps the data key under the key file at `new_key_file`
// instead: it reads that file, or creates it (0600, or 0640 of the current
// key file's group when that one is group-readable) and syncs it to disk,
// then replaces the one row and audits it (key.rotate) in one write
// transaction. From its commit on only the new key file opens the database;
// a crash before it leaves the old one in use (the new file then opens
// nothing). invalid: the path is the current key file's, or its key is the
// current one. Throws KeyError (the new file cannot be read or made),
// StorageError.
MFA_API Outcome<KeyRotation> rotate_key_file(Database& db, std::string_view new_key_file, std::string_view actor);

// rotate_data_key seals every secret (pending and active) again under a new
// data key, numbered one more, in one write transaction that first opens
// every one under the old: when any does not open, nothing changes and it
// throws KeyError naming those users (mfa key check lists them). Audited
// (key.rotate). The key file stays the same.
MFA_API Outcome<KeyRotation> rotate_data_key(Database& db, std::string_view actor);

} // namespace mfa
