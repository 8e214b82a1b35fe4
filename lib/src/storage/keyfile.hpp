// SPDX-License-Identifier: MIT
#pragma once

#include "crypto/crypto.hpp"
#include "util/file_util.hpp"

#include <mfa/clock.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mfa::detail {

inline constexpr std::size_t k_key_size = 32;

// The database key; wiped when destroyed.
class Key
{
public:
  Key() = default;
  ~Key();
  Key(const Key&) = default;
  Key& operator=(const Key&) = default;

  std::array<std::uint8_t, k_key_size>& bytes() { return m_bytes; }
  const std::array<std::uint8_t, k_key_size>& bytes() const { return m_bytes; }

private:
  std::array<std::uint8_t, k_key_size> m_bytes{};
};

enum class KeyCreation
{
  allowed,   // a new database: make the key when there is none
  forbidden, // the database already has a key: it must be found
};

struct LoadedKey
{
  Key key;
  bool created = false;
};

// Reads the key file: 64 hexadecimal digits and an optional newline, mode
// 0600 or stricter, or 0640 when its group is `database_group` (the group
// of the database file: a database shared by a group). Creates it
// atomically (never overwriting a key another process made meanwhile) when
// it does not exist and creation is allowed: 0600, or 0640 of `group`.
// Throws KeyError with a message naming the file.
LoadedKey load_key(const std::string& path, KeyCreation creation, const RandomSource& random, gid_t database_group,
                   SharedGroup group = std::nullopt);

// A value that tells whether two keys are the same, without revealing them.
// Databases before two-level keys (schema 4) stored it, to recognise their
// key file; `mfa db copy` compares the two key files with it.
Bytes key_check(const Key& key);

// Two-level keys: the key file's key wraps the database's data key (one
// row, meta 'data_key'), and the data key seals every secret. Rotating the
// key file re-wraps that row; rotating the data key re-seals the secrets
// under a new one, numbered one more, and each sealed secret records the
// number of the data key that sealed it.
struct DataKey
{
  Key key;
  std::uint32_t id = 0;
};

// The keys of a database opened with its key file.
struct StoreKeys
{
  Key file;
  DataKey data;
  Bytes wrapped; // the data key's row as last read or written (empty: not yet read)
};

// A new data key from the random source, numbered `id`.
DataKey make_data_key(std::uint32_t id, const RandomSource& random);

// The data key's row: `data_key` wrapped under `key_file_key`.
Bytes wrap_data_key(const Key& key_file_key, const DataKey& data_key, const RandomSource& random);

// The data key from its row. Throws KeyError "key file KEY_FILE does not
// belong to database DATABASE" when the key file's key does not open it.
DataKey open_data_key(const Key& key_file_key, const Bytes& wrapped, const std::string& key_file,
                      const std::string& database);

// One sealed secret as stored, for the migration to data keys.
struct SealedRow
{
  std::int64_t user_id = 0;
  Bytes sealed;
};

// The migration to data keys: each row sealed under the key file's key
// (version 1), sealed again under `data_key`. A row that does not open is
// left as it was (mfa key check names its user; nobody else is held back).
std::vector<SealedRow> reseal_under_data_key(const std::vector<SealedRow>& rows, const Key& key_file_key,
                                             const DataKey& data_key, const RandomSource& random);

// Reads the key file at `path`, or creates it (0600, or 0640 of the group
// of `like` when that key file is group-readable) when it is absent, and
// makes sure it is on disk (its folder synced) before it returns: for a key
// rotation, which commits only once the new key file cannot be lost.
LoadedKey load_or_create_key(const std::string& path, const std::string& like, const RandomSource& random);

} // namespace mfa::detail
