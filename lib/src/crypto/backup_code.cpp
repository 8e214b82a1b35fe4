// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include "crypto/backup_code.hpp"
#include <mfa/error.hpp>

#include <openssl/evp.h>

namespace mfa {

namespace {

constexpr std::string_view k_alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr std::size_t k_salt_size = 16;
constexpr std::size_t k_hash_size = 32;

std::vector<std::uint8_t> derive(std::string_view normalized, std::span<const std::uint8_t> salt, int iterations)
{
  detail::init_openssl();
  std::vector<std::uint8_t> out(k_hash_size);
  if (iterations < 1
      || PKCS5_PBKDF2_HMAC(normalized.data(), static_cast<int>(normalized.size()), salt.data(),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(), static_cast<int>(out.size()),
                           out.data())
           != 1) {
    throw Error("OpenSSL failed to hash a backup code");
  }
  return out;
}

} // namespace

std::string generate_backup_code(const RandomSource& random)
{
  std::vector<std::uint8_t> bytes(k_backup_code_length);
  random(bytes);
  std::string code;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == k_backup_code_length / 2) {
      code += '-';
    }
    code += k_alphabet[bytes[i] & 31]; // 32 symbols: no modulo bias
  }
  detail::cleanse(bytes);
  return code;
}

std::optional<std::string> normalize_backup_code(std::string_view text)
{
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') {
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c == 'o') {
      c = '0';
    } else if (c == 'i' || c == 'l') {
      c = '1';
    }
    if (k_alphabet.find(c) == std::string_view::npos || out.size() == k_backup_code_length) {
      return std::nullopt;
    }
    out += c;
  }
  if (out.size() != k_backup_code_length) {
    return std::nullopt;
  }
  return out;
}

BackupCodeHash hash_backup_code(std::string_view normalized, const RandomSource& random, int iterations)
{
  BackupCodeHash stored;
  stored.iterations = iterations;
  stored.salt.resize(k_salt_size);
  random(stored.salt);
  stored.hash = derive(normalized, stored.salt, iterations);
  return stored;
}

bool check_backup_code(std::string_view normalized, const BackupCodeHash& stored)
{
  const auto hash = derive(normalized, stored.salt, stored.iterations);
  return detail::equal_constant_time(hash, stored.hash);
}

} // namespace mfa
