// SPDX-License-Identifier: MIT
#pragma once

#include "crypto/crypto.hpp"
#include "util/file_util.hpp"

#include <mfa/clock.hpp>

#include <array>
#include <cstdint>
#include <string>

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

// A value stored in the database that tells whether a key is the right one,
// without revealing it.
Bytes key_check(const Key& key);

} // namespace mfa::detail
