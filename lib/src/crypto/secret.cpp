// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include <mfa/error.hpp>
#include "crypto/secret.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace mfa {

namespace {

constexpr std::uint8_t k_version = 1;
constexpr std::size_t k_nonce_size = 12;
constexpr std::size_t k_tag_size = 16;

struct CipherDeleter
{
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

// "mfa secret v1" and the user id, big-endian.
std::array<std::uint8_t, 21> associated_data(std::int64_t user_id)
{
  std::array<std::uint8_t, 21> aad{'m', 'f', 'a', ' ', 's', 'e', 'c', 'r', 'e', 't', ' ', 'v', '1'};
  auto id = static_cast<std::uint64_t>(user_id);
  for (int i = 20; i >= 13; --i) {
    aad[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id & 0xFF);
    id >>= 8;
  }
  return aad;
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

std::vector<std::uint8_t> seal_secret(std::span<const std::uint8_t> key, std::int64_t user_id,
                                      std::span<const std::uint8_t> secret, const RandomSource& random)
{
  check_key(key);
  std::vector<std::uint8_t> out(1 + k_nonce_size + secret.size() + k_tag_size);
  out[0] = k_version;
  const std::span<std::uint8_t> nonce(out.data() + 1, k_nonce_size);
  random(nonce);
  const auto aad = associated_data(user_id);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1
      || EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1
      || EVP_EncryptUpdate(ctx.get(), out.data() + 1 + k_nonce_size, &length, secret.data(),
                           static_cast<int>(secret.size()))
           != 1
      || EVP_EncryptFinal_ex(ctx.get(), out.data() + 1 + k_nonce_size + length, &length) != 1
      || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(k_tag_size),
                             out.data() + out.size() - k_tag_size)
           != 1) {
    throw Error("OpenSSL failed to encrypt a secret");
  }
  return out;
}

SecretBytes open_secret(std::span<const std::uint8_t> key, std::int64_t user_id, std::span<const std::uint8_t> sealed)
{
  check_key(key);
  if (sealed.size() < 1 + k_nonce_size + k_tag_size || sealed[0] != k_version) {
    throw KeyError("a stored secret is damaged (unknown format)");
  }
  const auto nonce = sealed.subspan(1, k_nonce_size);
  const auto ciphertext = sealed.subspan(1 + k_nonce_size, sealed.size() - 1 - k_nonce_size - k_tag_size);
  std::array<std::uint8_t, k_tag_size> tag{};
  std::copy(sealed.end() - static_cast<std::ptrdiff_t>(k_tag_size), sealed.end(), tag.begin());
  const auto aad = associated_data(user_id);
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
    throw KeyError("a stored secret does not open: the key file is wrong or the data was tampered with");
  }
  plain.resize(static_cast<std::size_t>(length + final_length));
  return SecretBytes(std::move(plain));
}

} // namespace mfa
