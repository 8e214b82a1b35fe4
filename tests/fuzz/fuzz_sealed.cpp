// SPDX-License-Identifier: MIT
// Opening a sealed blob: any bytes as a stored secret either open or throw
// KeyError, nothing else. And the input as a secret, sealed for a user,
// opens to the same bytes for that user and data key only, and not once a
// byte changed. Wrapped data keys and version 1 secrets likewise.
#include "check.hpp"

#include <mfa/error.hpp>
#include "crypto/secret.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

namespace {

const std::vector<std::uint8_t> k_key(mfa::k_seal_key_size, 0x5a);
constexpr std::uint32_t k_key_id = 3;

// Any bytes as a wrapped data key or a version 1 secret open or throw KeyError.
void try_other_forms(std::span<const std::uint8_t> bytes, std::int64_t user_id)
{
  try {
    (void)mfa::unwrap_data_key(k_key, bytes);
  } catch (const mfa::KeyError&) {
  }
  try {
    (void)mfa::open_secret_v1(k_key, user_id, bytes);
  } catch (const mfa::KeyError&) {
  }
}

bool opens(std::int64_t user_id, std::span<const std::uint8_t> sealed, std::vector<std::uint8_t>* plain = nullptr)
{
  try {
    const auto secret = mfa::open_secret(k_key, k_key_id, user_id, sealed);
    if (plain != nullptr) {
      plain->assign(secret.bytes().begin(), secret.bytes().end());
    }
    return true;
  } catch (const mfa::KeyError&) {
    return false;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::int64_t user_id = 0;
  if (size >= sizeof user_id) {
    std::memcpy(&user_id, data, sizeof user_id);
  }
  const std::span<const std::uint8_t> input(data, size);
  opens(user_id, input.subspan(std::min(size, sizeof user_id)));
  try_other_forms(input.subspan(std::min(size, sizeof user_id)), user_id);

  // A fixed "random" source, so that every run of an input is the same.
  const mfa::RandomSource random = [](std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), 0x42); };
  auto sealed = mfa::seal_secret(k_key, k_key_id, user_id, input, random);
  std::vector<std::uint8_t> plain;
  FUZZ_CHECK(opens(user_id, sealed, &plain));
  FUZZ_CHECK(std::equal(plain.begin(), plain.end(), input.begin(), input.end()));
  FUZZ_CHECK(!opens(user_id ^ 1, sealed));
  try {
    (void)mfa::open_secret(k_key, k_key_id + 1, user_id, sealed);
    FUZZ_CHECK(false); // another data key's number
  } catch (const mfa::KeyError&) {
  }
  const std::size_t at = size == 0 ? 0 : data[size - 1] % sealed.size();
  sealed[at] ^= 0x01;
  FUZZ_CHECK(!opens(user_id, sealed));
  return 0;
}
