// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/database.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace mfa::test {

inline std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file's or folder's permission bits, setgid and sticky included ("0600", "02770").
inline unsigned mode_of(const std::string& path)
{
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

inline void write_file(const std::string& path, const std::string& text)
{
  std::ofstream(path, std::ios::binary) << text;
}

// A database in the current (scratch) folder with a fixed clock.
inline Database::Config config(const std::string& name = "mfa.db", std::int64_t now = 1'700'000'000)
{
  Database::Config c;
  c.paths = {name, name + ".key"};
  c.clock = [now] { return now; };
  return c;
}

} // namespace mfa::test
