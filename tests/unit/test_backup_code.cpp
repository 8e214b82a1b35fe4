// SPDX-License-Identifier: MIT
#include "crypto/backup_code.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <set>

using namespace mfa;

TEST_CASE("backup code: xxxxx-xxxxx from an unambiguous alphabet, 50 bits")
{
  const std::regex shape("[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}");
  std::set<std::string> seen;
  std::set<char> symbols;
  for (int i = 0; i < 2000; ++i) {
    const auto code = generate_backup_code(system_random());
    REQUIRE(std::regex_match(code, shape));
    seen.insert(code);
    for (char c : code) {
      symbols.insert(c);
    }
  }
  CHECK(seen.size() == 2000);
  CHECK(symbols.size() == 33); // all 32 symbols and the dash
  CHECK(symbols.count('i') == 0);
  CHECK(symbols.count('l') == 0);
  CHECK(symbols.count('o') == 0);
  CHECK(symbols.count('u') == 0);
}

TEST_CASE("backup code: normalisation ignores case, spaces and dashes and maps look-alikes")
{
  CHECK(normalize_backup_code("abcde-fghjk") == "abcdefghjk");
  CHECK(normalize_backup_code("ABCDE FGHJK") == "abcdefghjk");
  CHECK(normalize_backup_code(" a-b-c-d-e-f-g-h-j-k ") == "abcdefghjk");
  CHECK(normalize_backup_code("O0IL1-abcde") == "00111abcde");
  CHECK_FALSE(normalize_backup_code("abcde-fghj").has_value());
  CHECK_FALSE(normalize_backup_code("abcde-fghjkm").has_value());
  CHECK_FALSE(normalize_backup_code("abcde-fghju").has_value());
  CHECK_FALSE(normalize_backup_code("abcde_fghjk").has_value());
  CHECK_FALSE(normalize_backup_code("").has_value());
  CHECK_FALSE(normalize_backup_code("123456").has_value());
}

TEST_CASE("backup code: salted slow hash checks the right code only")
{
  const auto code = *normalize_backup_code(generate_backup_code(system_random()));
  const auto a = hash_backup_code(code, system_random());
  const auto b = hash_backup_code(code, system_random());
  CHECK(a.iterations == k_backup_code_iterations);
  CHECK(a.salt.size() == 16);
  CHECK(a.hash.size() == 32);
  CHECK(a.salt != b.salt);
  CHECK(a.hash != b.hash);
  CHECK(check_backup_code(code, a));
  CHECK(check_backup_code(code, b));
  std::string other = code;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  CHECK_FALSE(check_backup_code(other, a));
  auto tampered = a;
  tampered.hash[5] ^= 1;
  CHECK_FALSE(check_backup_code(code, tampered));
  auto cheaper = a;
  cheaper.iterations = 1;
  CHECK_FALSE(check_backup_code(code, cheaper));
}
