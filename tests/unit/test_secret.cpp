// SPDX-License-Identifier: MIT
#include <mfa/error.hpp>
#include "crypto/secret.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <vector>

using namespace mfa;

namespace {

std::vector<std::uint8_t> key_of(std::uint8_t fill)
{
  return std::vector<std::uint8_t>(k_seal_key_size, fill);
}

} // namespace

TEST_CASE("secret: new secrets are 160 bits from the random source")
{
  int calls = 0;
  const RandomSource counting = [&](std::span<std::uint8_t> out) {
    ++calls;
    for (auto& b : out) {
      b = 0xAB;
    }
  };
  const auto secret = generate_secret(counting);
  CHECK(secret.size() == 20);
  CHECK(calls == 1);
  CHECK(secret.bytes()[19] == 0xAB);
  CHECK(generate_secret(system_random()).bytes().size() == 20);
  const auto a = generate_secret(system_random());
  const auto b = generate_secret(system_random());
  CHECK_FALSE(std::equal(a.bytes().begin(), a.bytes().end(), b.bytes().begin(), b.bytes().end()));
}

TEST_CASE("secret: seal and open round-trip, with a fresh nonce each time")
{
  const auto key = key_of(7);
  const auto secret = generate_secret(system_random());
  const auto a = seal_secret(key, 42, secret.bytes(), system_random());
  const auto b = seal_secret(key, 42, secret.bytes(), system_random());
  CHECK(a.size() == 1 + 12 + 20 + 16);
  CHECK(a != b);
  const auto opened = open_secret(key, 42, a);
  CHECK(std::equal(opened.bytes().begin(), opened.bytes().end(), secret.bytes().begin(), secret.bytes().end()));
  // The clear secret does not appear in the sealed bytes.
  CHECK(std::search(a.begin(), a.end(), secret.bytes().begin(), secret.bytes().end()) == a.end());
}

TEST_CASE("secret: any flipped byte, a wrong key or another user's id fails to open")
{
  const auto key = key_of(7);
  const auto secret = generate_secret(system_random());
  const auto sealed = seal_secret(key, 42, secret.bytes(), system_random());
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    CAPTURE(i); // version, nonce, ciphertext and tag alike
    auto damaged = sealed;
    damaged[i] ^= 0x01;
    CHECK_THROWS_AS(open_secret(key, 42, damaged), KeyError);
  }
  CHECK_THROWS_AS(open_secret(key_of(8), 42, sealed), KeyError);
  CHECK_THROWS_AS(open_secret(key, 43, sealed), KeyError);
  CHECK_THROWS_AS(open_secret(key, 42, std::vector<std::uint8_t>(sealed.begin(), sealed.begin() + 20)), KeyError);
  CHECK_THROWS_AS(open_secret(std::vector<std::uint8_t>(16, 7), 42, sealed), KeyError);
  CHECK_NOTHROW(open_secret(key, 42, sealed));
}
