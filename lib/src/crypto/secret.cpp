// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include <mfa/error.hpp>
#include "crypto/secret.hpp"

#include <openssl/evp.h>

#include <array>
#include <string>
#include <string_view>
#include <memory>

namespace mfa {

namespace {

constexpr std::size_t k_nonce_size = 12;
constexpr std::size_t k_tag_size = 16;

struct CipherDeleter
{
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

// `label` followed by `value`, big-endian, in `bytes` bytes.
std::vector<std::uint8_t> labelled(std::string_view label, std::uint64_t value, std::size_t bytes)
{
  std::vector<std::uint8_t> out(label.begin(), label.end());
  for (std::size_t i = bytes; i > 0; --i) {
    out.push_back(static_cast<std::uint8_t>((value >> (8 * (i - 1))) & 0xFF));
  }
  return out;
}

void append(std::vector<std::uint8_t>& to, std::span<const std::uint8_t> bytes)
{
  to.insert(to.end(), bytes.begin(), bytes.end());
}

// Fetched once by name from the provider: cheaper than the implicit fetch
// behind aes_256_gcm(), which goes through the legacy name tables.
const EVP_CIPHER* aes_256_gcm()
{
  struct Deleter
  {
    void operator()(EVP_CIPHER* cipher) const { EVP_CIPHER_free(cipher); }
  };
  detail::init_openssl();
  static const std::unique_ptr<EVP_CIPHER, Deleter> cipher(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  if (!cipher) {
    throw Error("OpenSSL has no AES-256-GCM implementation");
  }
  return cipher.get();
}

void check_key(std::span<const std::uint8_t> key)
{
  detail::init_openssl();
  if (key.size() != k_seal_key_size) {
    throw KeyError("the sealing key must be 32 bytes");
  }
}

// header | nonce | AES-256-GCM(plain) | tag, with `aad` as associated data.
std::vector<std::uint8_t> seal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> header,
                               const std::vector<std::uint8_t>& aad, std::span<const std::uint8_t> plain,
                               const RandomSource& random)
{
  check_key(key);
  std::vector<std::uint8_t> out(header.size() + k_nonce_size + plain.size() + k_tag_size);
  std::copy(header.begin(), header.end(), out.begin());
  std::uint8_t* const nonce = out.data() + header.size();
  random(std::span<std::uint8_t>(nonce, k_nonce_size));
  std::uint8_t* const ciphertext = nonce + k_nonce_size;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), aes_256_gcm(), nullptr, key.data(), nonce) != 1
      || EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1
      || EVP_EncryptUpdate(ctx.get(), ciphertext, &length, plain.data(), static_cast<int>(plain.size())) != 1
      || EVP_EncryptFinal_ex(ctx.get(), ciphertext + length, &length) != 1
      || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(k_tag_size),
                             out.data() + out.size() - k_tag_size)
           != 1) {
    throw Error("OpenSSL failed to encrypt a secret");
  }
  return out;
}

// What seal() made with a header of `header_size` bytes (the caller checked
// it); KeyError with `failure` when it does not open.
SecretBytes open(std::span<const std::uint8_t> key, std::size_t header_size, const std::vector<std::uint8_t>& aad,
                 std::span<const std::uint8_t> sealed, const char* failure)
{
  check_key(key);
  if (sealed.size() < header_size + k_nonce_size + k_tag_size) {
    throw KeyError("a stored secret is damaged (it is too short)");
  }
  const auto nonce = sealed.subspan(header_size, k_nonce_size);
  const auto ciphertext = sealed.subspan(header_size + k_nonce_size, sealed.size() - header_size - k_nonce_size - k_tag_size);
  std::array<std::uint8_t, k_tag_size> tag{};
  std::copy(sealed.end() - static_cast<std::ptrdiff_t>(k_tag_size), sealed.end(), tag.begin());
  std::vector<std::uint8_t> plain(ciphertext.size() + 16);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool ok =
    ctx && EVP_DecryptInit_ex(ctx.get(), aes_256_gcm(), nullptr, key.data(), nonce.data()) == 1
    && EVP_DecryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1
    && EVP_DecryptUpdate(ctx.get(), plain.data(), &length, ciphertext.data(), static_cast<int>(ciphertext.size()))
         == 1
    && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(k_tag_size), tag.data()) == 1
    && EVP_DecryptFinal_ex(ctx.get(), plain.data() + length, &final_length) == 1;
  if (!ok) {
    detail::cleanse(plain);
    throw KeyError(failure);
  }
  plain.resize(static_cast<std::size_t>(length + final_length));
  return SecretBytes(std::move(plain));
}

// A version byte and a data key's number: the header of version 2 secrets
// and of wrapped data keys.
std::array<std::uint8_t, 5> numbered_header(std::uint8_t version, std::uint32_t key_id)
{
  return {version, static_cast<std::uint8_t>(key_id >> 24), static_cast<std::uint8_t>(key_id >> 16),
          static_cast<std::uint8_t>(key_id >> 8), static_cast<std::uint8_t>(key_id)};
}

std::uint32_t header_key_id(std::span<const std::uint8_t> sealed)
{
  return (std::uint32_t{sealed[1]} << 24) | (std::uint32_t{sealed[2]} << 16) | (std::uint32_t{sealed[3]} << 8)
         | std::uint32_t{sealed[4]};
}

// Version 2's associated data: "mfa secret v2", the user's id (8 bytes,
// big-endian) and the header (the version and the data key's number).
std::vector<std::uint8_t> bound(std::span<const std::uint8_t> header, std::int64_t user_id)
{
  auto aad = labelled("mfa secret v2", static_cast<std::uint64_t>(user_id), 8);
  append(aad, header);
  return aad;
}

constexpr std::uint8_t k_secret_v1 = 1;
constexpr std::uint8_t k_secret_v2 = 2;
constexpr std::uint8_t k_wrapped_v1 = 1;
constexpr const char* k_does_not_open =
  "a stored secret does not open: the key file is wrong or the data was tampered with";

} // namespace

SecretBytes::SecretBytes(std::vector<std::uint8_t> bytes) : m_bytes(std::move(bytes))
{
}

SecretBytes::~SecretBytes()
{
  detail::cleanse(m_bytes);
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other)
{
  if (this != &other) {
    detail::cleanse(m_bytes);
    m_bytes = other.m_bytes;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
  if (this != &other) {
    detail::cleanse(m_bytes);
    m_bytes = std::move(other.m_bytes);
  }
  return *this;
}

SecretBytes generate_secret(const RandomSource& random)
{
  std::vector<std::uint8_t> bytes(k_secret_size);
  random(bytes);
  return SecretBytes(std::move(bytes));
}

std::vector<std::uint8_t> seal_secret(std::span<const std::uint8_t> key, std::uint32_t key_id, std::int64_t user_id,
                                      std::span<const std::uint8_t> secret, const RandomSource& random)
{
  const auto header = numbered_header(k_secret_v2, key_id);
  return seal(key, header, bound(header, user_id), secret, random);
}

SecretBytes open_secret(std::span<const std::uint8_t> key, std::uint32_t key_id, std::int64_t user_id,
                        std::span<const std::uint8_t> sealed)
{
  if (sealed.size() < 5 || sealed[0] != k_secret_v2) {
    throw KeyError("a stored secret is damaged (unknown format)");
  }
  if (header_key_id(sealed) != key_id) {
    throw KeyError("a stored secret is sealed under data key " + std::to_string(header_key_id(sealed))
                   + ", not the database's (" + std::to_string(key_id) + ")");
  }
  return open(key, 5, bound(numbered_header(k_secret_v2, key_id), user_id), sealed, k_does_not_open);
}

std::optional<std::uint32_t> sealed_key_id(std::span<const std::uint8_t> sealed)
{
  if (sealed.size() < 5 || sealed[0] != k_secret_v2) {
    return std::nullopt;
  }
  return header_key_id(sealed);
}

bool sealed_before_data_keys(std::span<const std::uint8_t> sealed)
{
  return !sealed.empty() && sealed[0] == k_secret_v1;
}

std::vector<std::uint8_t> seal_secret_v1(std::span<const std::uint8_t> key, std::int64_t user_id,
                                         std::span<const std::uint8_t> secret, const RandomSource& random)
{
  const std::array<std::uint8_t, 1> header{k_secret_v1};
  return seal(key, header, labelled("mfa secret v1", static_cast<std::uint64_t>(user_id), 8), secret, random);
}

SecretBytes open_secret_v1(std::span<const std::uint8_t> key, std::int64_t user_id,
                           std::span<const std::uint8_t> sealed)
{
  if (!sealed_before_data_keys(sealed)) {
    throw KeyError("a stored secret is damaged (unknown format)");
  }
  return open(key, 1, labelled("mfa secret v1", static_cast<std::uint64_t>(user_id), 8), sealed, k_does_not_open);
}

std::vector<std::uint8_t> wrap_data_key(std::span<const std::uint8_t> key_file_key, std::uint32_t key_id,
                                        std::span<const std::uint8_t> data_key, const RandomSource& random)
{
  check_key(data_key);
  const auto header = numbered_header(k_wrapped_v1, key_id);
  auto aad = labelled("mfa data key v1", 0, 0);
  append(aad, header);
  return seal(key_file_key, header, aad, data_key, random);
}

UnwrappedKey unwrap_data_key(std::span<const std::uint8_t> key_file_key, std::span<const std::uint8_t> wrapped)
{
  if (wrapped.size() != 5 + k_nonce_size + k_seal_key_size + k_tag_size || wrapped[0] != k_wrapped_v1) {
    throw KeyError("the database's data key is damaged (unknown format)");
  }
  auto aad = labelled("mfa data key v1", 0, 0);
  append(aad, wrapped.first(5));
  auto key = open(key_file_key, 5, aad, wrapped,
                  "the key file does not open the database's data key");
  return {std::move(key), header_key_id(wrapped)};
}

} // namespace mfa
