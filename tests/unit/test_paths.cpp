// SPDX-License-Identifier: MIT
#include <mfa/clock.hpp>

#include <doctest/doctest.h>

using namespace mfa;

TEST_CASE("clock: RFC 3339 UTC")
{
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(1'700'000'000) == "2023-11-14T22:13:20Z");
  CHECK(format_rfc3339(20'000'000'000) == "2603-10-11T11:33:20Z");
}
