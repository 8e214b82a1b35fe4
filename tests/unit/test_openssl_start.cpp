// SPDX-License-Identifier: MIT
// The library starts OpenSSL with its defaults for everything that is the
// program's to decide: only the CLI's own build of the crypto layer goes
// without the error strings and the clean-up at exit (lib/CMakeLists.txt).
#include "crypto/crypto.hpp"

#include <doctest/doctest.h>

#include <openssl/err.h>

#include <string_view>

TEST_CASE("openssl start: the library leaves OpenSSL's error strings to the program that loads it")
{
  mfa::detail::init_openssl();
  // A thread's first error queue loads the strings, unless OpenSSL was
  // started without them; then this name would be missing.
  ERR_clear_error();
  const char* name = ERR_lib_error_string(ERR_PACK(ERR_LIB_EVP, 0, 0));
  REQUIRE(name != nullptr);
  CHECK(std::string_view(name) == "digital envelope routines");
}
