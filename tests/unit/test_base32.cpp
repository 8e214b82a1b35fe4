// SPDX-License-Identifier: MIT
#include <mfa/base32.hpp>
#include <mfa/clock.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace mfa;

namespace {

std::vector<std::uint8_t> bytes(std::string_view text)
{
  return {text.begin(), text.end()};
}

} // namespace

TEST_CASE("base32: RFC 4648 section 10 vectors")
{
  const std::pair<const char*, const char*> vectors[] = {
    {"", ""},          {"f", "MY======"},       {"fo", "MZXQ===="},         {"foo", "MZXW6==="},
    {"foob", "MZXW6YQ="}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [plain, padded] : vectors) {
    CAPTURE(plain);
    std::string unpadded(padded);
    unpadded.erase(unpadded.find_last_not_of('=') + 1);
    CHECK(base32_encode(bytes(plain)) == unpadded);
    auto decoded = base32_decode(padded);
    REQUIRE(decoded);
    CHECK(*decoded == bytes(plain));
    auto decoded_unpadded = base32_decode(unpadded);
    REQUIRE(decoded_unpadded);
    CHECK(*decoded_unpadded == bytes(plain));
  }
}

TEST_CASE("base32: decoding ignores case and spaces")
{
  auto decoded = base32_decode("mzxw 6ytb oi");
  REQUIRE(decoded);
  CHECK(*decoded == bytes("foobar"));
}

TEST_CASE("base32: random byte strings of every length 0-64 round-trip")
{
  const auto random = system_random();
  for (std::size_t length = 0; length <= 64; ++length) {
    std::vector<std::uint8_t> data(length);
    random(data);
    const std::string text = base32_encode(data);
    CHECK(text.find('=') == std::string::npos);
    auto back = base32_decode(text);
    REQUIRE(back);
    CHECK(*back == data);
  }
}

TEST_CASE("base32: rejects characters outside the alphabet, stray padding and trailing bits")
{
  for (const char* bad : {"MZXW0YTB", "MZXW1YTB", "MZXW8YTB", "MZXW9YTB", "MZXW6YT!", "MZ-W6YTB", "MZXW6YTB\n"}) {
    CAPTURE(bad);
    auto result = base32_decode(bad);
    CHECK_FALSE(result);
    CHECK(result.error().find("invalid base32 character") != std::string::npos);
  }
  CHECK_FALSE(base32_decode("MY=A"));      // padding in the middle
  CHECK_FALSE(base32_decode("="));         // padding with nothing to pad
  CHECK_FALSE(base32_decode("MZXW6YTB=")); // a full group needs none
  CHECK_FALSE(base32_decode("MZ"));        // 'f' with trailing bits set
  CHECK(base32_decode("MY"));
  CHECK_FALSE(base32_decode("M"));   // no encoder makes 1, 3 or 6 symbols
  CHECK_FALSE(base32_decode("MZX")); // "
  CHECK_FALSE(base32_decode("MZXW6Y"));
  CHECK(base32_decode("MZXW6YQ").error().empty());
}
