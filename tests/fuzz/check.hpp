// SPDX-License-Identifier: MIT
// What the fuzz targets share: a property check that stops the run with a
// message (libFuzzer then saves the input as a crash file).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition)                                                                       \
  do {                                                                                              \
    if (!(condition)) {                                                                             \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition);        \
      std::abort();                                                                                 \
    }                                                                                               \
  } while (false)

namespace fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size)
{
  return {reinterpret_cast<const char*>(data), size};
}

} // namespace fuzz
