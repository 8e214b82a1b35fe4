// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include <mfa/error.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdint>
#include <memory>

namespace mfa::detail {

namespace {

// The system's OpenSSL configuration is read (it may enable the FIPS
// provider or set default properties); the legacy tables of every cipher and
// digest are not made (fetches by name need none of them).
constexpr std::uint64_t k_openssl_options =
  OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS
#ifdef MFA_SHORT_LIVED_PROCESS
  // The CLI (lib/CMakeLists.txt) never shows OpenSSL's error text and ends
  // soon: loading the error strings (0.9 M instructions) and freeing
  // OpenSSL's memory at exit (0.8 M) are work for nothing. Options of the
  // whole process: the shared libmfa leaves them to the program.
  | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_ATEXIT
#endif
  ;

struct MacDeleter
{
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// Fetching the HMAC implementation is the costly part; do it once per process.
EVP_MAC* hmac_implementation()
{
  init_openssl();
  static const std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) {
    throw Error("OpenSSL has no HMAC implementation");
  }
  return mac.get();
}

} // namespace

void init_openssl()
{
  static const bool done = OPENSSL_init_crypto(k_openssl_options, nullptr) == 1;
  if (!done) {
    throw Error("OpenSSL failed to initialise");
  }
}

Bytes hmac(Algorithm algorithm, std::span<const std::uint8_t> key, std::span<const std::uint8_t> message)
{
  std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(hmac_implementation()));
  if (!ctx) {
    throw Error("OpenSSL could not allocate an HMAC context");
  }
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(to_string(algorithm)), 0),
    OSSL_PARAM_construct_end(),
  };
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t length = 0;
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1
      || EVP_MAC_update(ctx.get(), message.data(), message.size()) != 1
      || EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1) {
    throw Error("OpenSSL failed to compute an HMAC");
  }
  out.resize(length);
  return out;
}

bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b)
{
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void cleanse(std::span<std::uint8_t> buffer)
{
  OPENSSL_cleanse(buffer.data(), buffer.size());
}

} // namespace mfa::detail
