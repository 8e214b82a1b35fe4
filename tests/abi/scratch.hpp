// SPDX-License-Identifier: MIT
// The scratch folder of a test program over the shared libmfa: its only
// argument, emptied first. Nothing when the usage is wrong (said on stderr).
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace mfa::test {

inline std::optional<std::string> scratch_folder(int argc, char** argv, const char* program)
{
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SCRATCH_FOLDER\n", program);
    return std::nullopt;
  }
  std::filesystem::remove_all(argv[1]);
  std::filesystem::create_directories(argv[1]);
  return std::string(argv[1]);
}

} // namespace mfa::test
