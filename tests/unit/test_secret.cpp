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
  const auto a = seal_secret(key, 5, 42, secret.bytes(), system_random());
  const auto b = seal_secret(key, 5, 42, secret.bytes(), system_random());
  CHECK(a.size() == 1 + 4 + 12 + 20 + 16);
  CHECK(a[0] == 2); // version 2: the data key's number follows
  CHECK((a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 5));
  CHECK(a != b);
  const auto opened = open_secret(key, 5, 42, a);
  CHECK(std::equal(opened.bytes().begin(), opened.bytes().end(), secret.bytes().begin(), secret.bytes().end()));
  // The clear secret does not appear in the sealed bytes.
  CHECK(std::search(a.begin(), a.end(), secret.bytes().begin(), secret.bytes().end()) == a.end());
}

TEST_CASE("secret: any flipped byte, a wrong key or another user's id fails to open")
{
  const auto key = key_of(7);
  const auto secret = generate_secret(system_random());
  const auto sealed = seal_secret(key, 5, 42, secret.bytes(), system_random());
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    CAPTURE(i); // version, nonce, ciphertext and tag alike
    auto damaged = sealed;
    damaged[i] ^= 0x01;
    CHECK_THROWS_AS(open_secret(key, 5, 42, damaged), KeyError);
  }
  CHECK_THROWS_AS(open_secret(key_of(8), 5, 42, sealed), KeyError);
  CHECK_THROWS_AS(open_secret(key, 5, 43, sealed), KeyError);
  CHECK_THROWS_AS(open_secret(key, 5, 42, std::vector<std::uint8_t>(sealed.begin(), sealed.begin() + 20)), KeyError);
  CHECK_THROWS_AS(open_secret(std::vector<std::uint8_t>(16, 7), 5, 42, sealed), KeyError);
  CHECK_NOTHROW(open_secret(key, 5, 42, sealed));
}

TEST_CASE("secret: a secret opens only under the data key number it records")
{
  const auto key = key_of(7);
  const auto secret = generate_secret(system_random());
  auto sealed = seal_secret(key, 5, 42, secret.bytes(), system_random());
  CHECK_THROWS_WITH_AS(open_secret(key, 6, 42, sealed), doctest::Contains("data key 5"), KeyError);
  sealed[4] = 6; // the number changed to match: the tag binds it
  CHECK_THROWS_AS(open_secret(key, 6, 42, sealed), KeyError);
}

TEST_CASE("secret: version 1 secrets (before data keys) open only with open_secret_v1")
{
  const auto key = key_of(7);
  const auto secret = generate_secret(system_random());
  const auto old = seal_secret_v1(key, 42, secret.bytes(), system_random());
  CHECK(old.size() == 1 + 12 + 20 + 16);
  CHECK(old[0] == 1);
  const auto opened = open_secret_v1(key, 42, old);
  CHECK(std::equal(opened.bytes().begin(), opened.bytes().end(), secret.bytes().begin(), secret.bytes().end()));
  CHECK_THROWS_AS(open_secret_v1(key, 43, old), KeyError);
  CHECK_THROWS_WITH_AS(open_secret(key, 1, 42, old), doctest::Contains("unknown format"), KeyError);
  const auto current = seal_secret(key, 1, 42, secret.bytes(), system_random());
  CHECK_THROWS_AS(open_secret_v1(key, 42, current), KeyError);
}

TEST_CASE("secret: a wrapped data key opens with its key file's key only, with its number")
{
  const auto file_key = key_of(7);
  const auto data_key = key_of(9);
  const auto wrapped = wrap_data_key(file_key, 12, data_key, system_random());
  CHECK(wrapped.size() == 1 + 4 + 12 + 32 + 16);
  const auto opened = unwrap_data_key(file_key, wrapped);
  CHECK(opened.id == 12);
  CHECK(std::equal(opened.key.bytes().begin(), opened.key.bytes().end(), data_key.begin(), data_key.end()));
  CHECK_THROWS_AS(unwrap_data_key(key_of(8), wrapped), KeyError);
  for (std::size_t i = 0; i < wrapped.size(); ++i) {
    CAPTURE(i);
    auto damaged = wrapped;
    damaged[i] ^= 0x01;
    CHECK_THROWS_AS(unwrap_data_key(file_key, damaged), KeyError);
  }
  CHECK_THROWS_AS(wrap_data_key(file_key, 1, std::vector<std::uint8_t>(16, 1), system_random()), KeyError);
}
