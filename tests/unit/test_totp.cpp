// SPDX-License-Identifier: MIT
#include "crypto/crypto.hpp"

#include "otp/totp.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace mfa;

namespace {

std::vector<std::uint8_t> seed(std::size_t length)
{
  // RFC 6238 Appendix A: "12345678901234567890" repeated to the hash's size.
  const std::string digits = "1234567890";
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(static_cast<std::uint8_t>(digits[i % 10]));
  }
  return out;
}

} // namespace

TEST_CASE("totp: RFC 6238 appendix B vectors")
{
  struct Vector
  {
    std::int64_t time;
    Algorithm algorithm;
    const char* code;
  };
  const Vector vectors[] = {
    {59, Algorithm::sha1, "94287082"},          {59, Algorithm::sha256, "46119246"},
    {59, Algorithm::sha512, "90693936"},        {1111111109, Algorithm::sha1, "07081804"},
    {1111111109, Algorithm::sha256, "68084774"}, {1111111109, Algorithm::sha512, "25091201"},
    {1111111111, Algorithm::sha1, "14050471"},  {1111111111, Algorithm::sha256, "67062674"},
    {1111111111, Algorithm::sha512, "99943326"}, {1234567890, Algorithm::sha1, "89005924"},
    {1234567890, Algorithm::sha256, "91819424"}, {1234567890, Algorithm::sha512, "93441116"},
    {2000000000, Algorithm::sha1, "69279037"},  {2000000000, Algorithm::sha256, "90698825"},
    {2000000000, Algorithm::sha512, "38618901"}, {20000000000, Algorithm::sha1, "65353130"},
    {20000000000, Algorithm::sha256, "77737706"}, {20000000000, Algorithm::sha512, "47863826"},
  };
  CHECK(std::size(vectors) == 18);
  for (const auto& v : vectors) {
    const std::size_t size = v.algorithm == Algorithm::sha1 ? 20 : v.algorithm == Algorithm::sha256 ? 32 : 64;
    CAPTURE(v.time);
    CAPTURE(size);
    CHECK(totp(seed(size), v.time, {v.algorithm, 8, 30}) == v.code);
  }
}

TEST_CASE("totp: RFC 4226 appendix D HOTP values")
{
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    CHECK(hotp(seed(20), counter, Algorithm::sha1, 6) == expected[counter]);
  }
}

TEST_CASE("totp: steps are 64-bit and floor toward the past")
{
  CHECK(totp_step(0, 30) == 0);
  CHECK(totp_step(29, 30) == 0);
  CHECK(totp_step(30, 30) == 1);
  CHECK(totp_step(2147483648LL, 30) == 71582788);
  CHECK(totp_step(20000000000LL, 30) == 666666666);
  CHECK(totp_step(20000000000LL, 15) == 1333333333);
  CHECK(totp_step(-1, 30) == -1);
}

TEST_CASE("totp: the window accepts exactly its edges and reports the step")
{
  const auto key = seed(20);
  const TotpParams params{Algorithm::sha1, 6, 30};
  for (std::int64_t now : {std::int64_t{3000}, std::int64_t{2147483648LL}, std::int64_t{20000000000LL}}) {
    for (int window : {0, 1, 3}) {
      CAPTURE(now);
      CAPTURE(window);
      const std::int64_t step = totp_step(now, 30);
      for (int drift = -window - 1; drift <= window + 1; ++drift) {
        const std::string code = hotp(key, static_cast<std::uint64_t>(step + drift), Algorithm::sha1, 6);
        const auto match = verify_totp(key, code, now, params, window);
        if (drift < -window || drift > window) {
          // Another step in the window could share the code by chance (1 in 10^6).
          if (match) {
            CHECK(match->drift != drift);
          }
        } else {
          REQUIRE(match.has_value());
          CHECK(match->drift == drift);
          CHECK(match->step == step + drift);
        }
      }
    }
  }
}

TEST_CASE("totp: time 0 works and no step before it is tried")
{
  const auto key = seed(20);
  const std::string code = totp(key, 0, {});
  const auto match = verify_totp(key, code, 0, {}, 1);
  REQUIRE(match.has_value());
  CHECK(match->step == 0);
  CHECK(match->drift == 0);
}

TEST_CASE("totp: steps below the first usable one never match (replay)")
{
  const auto key = seed(20);
  const std::int64_t now = 1'700'000'000;
  const std::string code = totp(key, now, {});
  const std::int64_t step = totp_step(now, 30);
  CHECK(verify_totp(key, code, now, {}, 1, step).has_value());
  CHECK_FALSE(verify_totp(key, code, now, {}, 1, step + 1).has_value());
}

TEST_CASE("totp: codes of the wrong length or with other characters never match")
{
  const auto key = seed(20);
  const std::int64_t now = 1'700'000'000;
  const std::string code = totp(key, now, {});
  CHECK_FALSE(verify_totp(key, code + "0", now, {}, 1).has_value());
  CHECK_FALSE(verify_totp(key, code.substr(1), now, {}, 1).has_value());
  CHECK_FALSE(verify_totp(key, "", now, {}, 1).has_value());
  CHECK_FALSE(verify_totp(key, "abcdef", now, {}, 1).has_value());
  const std::string eight = totp(key, now, {Algorithm::sha1, 8, 30});
  CHECK(verify_totp(key, eight, now, {Algorithm::sha1, 8, 30}, 0).has_value());
  CHECK_FALSE(verify_totp(key, eight, now, {Algorithm::sha1, 6, 30}, 0).has_value());
}
