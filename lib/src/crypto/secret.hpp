// SPDX-License-Identifier: MIT
#pragma once

// Private to libmfa (no application needs these primitives; the public
// API seals, hashes and checks through enrollment, verify and backup codes).

#include <mfa/clock.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mfa {

// Bytes that are wiped (OPENSSL_cleanse) when they go away.
class SecretBytes
{
public:
  SecretBytes() = default;
  // Its members throw nothing (but std::bad_alloc on a copy).
  explicit SecretBytes(std::vector<std::uint8_t> bytes);
  ~SecretBytes();
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&&) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  std::span<const std::uint8_t> bytes() const { return m_bytes; }
  std::size_t size() const { return m_bytes.size(); }

private:
  std::vector<std::uint8_t> m_bytes;
};

// Size of a new TOTP secret: 160 bits, as RFC 4226 recommends.
inline constexpr std::size_t k_secret_size = 20;
inline constexpr std::size_t k_seal_key_size = 32;

// A new TOTP secret from the random source.
// Throws what `random` throws (system_random(): mfa::Error).
SecretBytes generate_secret(const RandomSource& random);

// Encrypts a secret with AES-256-GCM under a database's data key (32 bytes,
// numbered `key_id`): a fresh random 96-bit nonce per call, and the user's id
// and the data key's number bound as associated data, so a sealed secret
// moved to another user's row, or kept from before a data key rotation, does
// not open. The result records which data key sealed it:
// version 2 (1 byte) | key_id (4, big-endian) | nonce (12) | ciphertext | tag (16).
// Throws KeyError for a key that is not 32 bytes, mfa::Error when OpenSSL fails, what `random` throws.
std::vector<std::uint8_t> seal_secret(std::span<const std::uint8_t> key, std::uint32_t key_id, std::int64_t user_id,
                                      std::span<const std::uint8_t> secret, const RandomSource& random);

// Decrypts what seal_secret made with the data key numbered `key_id`. Throws
// KeyError when it does not open: another data key, another user's id, or
// tampered bytes (never a "wrong code").
SecretBytes open_secret(std::span<const std::uint8_t> key, std::uint32_t key_id, std::int64_t user_id,
                        std::span<const std::uint8_t> sealed);

// The data key number a sealed secret (version 2) records, unchecked (its
// tag is checked when it is opened); nothing for another format.
std::optional<std::uint32_t> sealed_key_id(std::span<const std::uint8_t> sealed);

// Whether a sealed secret is of version 1 (sealed under the key file's own
// key, before two-level keys).
bool sealed_before_data_keys(std::span<const std::uint8_t> sealed);

// Version 1, before two-level keys: sealed under the key file's own key,
// version 1 (1 byte) | nonce (12) | ciphertext | tag (16), with the user's
// id bound. Only the migration to data keys opens these (and the tests make
// them); KeyError when one does not open.
std::vector<std::uint8_t> seal_secret_v1(std::span<const std::uint8_t> key, std::int64_t user_id,
                                         std::span<const std::uint8_t> secret, const RandomSource& random);
SecretBytes open_secret_v1(std::span<const std::uint8_t> key, std::int64_t user_id,
                           std::span<const std::uint8_t> sealed);

// A data key wrapped (AES-256-GCM) under the key file's key, with its number:
// version 1 (1 byte) | key_id (4, big-endian) | nonce (12) | ciphertext (32) | tag (16).
std::vector<std::uint8_t> wrap_data_key(std::span<const std::uint8_t> key_file_key, std::uint32_t key_id,
                                        std::span<const std::uint8_t> data_key, const RandomSource& random);

struct UnwrappedKey
{
  SecretBytes key;
  std::uint32_t id = 0;
};

// The data key and its number; KeyError when it does not open (another key
// file, or a damaged row).
UnwrappedKey unwrap_data_key(std::span<const std::uint8_t> key_file_key, std::span<const std::uint8_t> wrapped);

} // namespace mfa
