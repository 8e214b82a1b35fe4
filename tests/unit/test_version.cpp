// SPDX-License-Identifier: MIT
// The umbrella header first and alone: it compiles by itself.
#include <mfa/mfa.hpp>

#include <doctest/doctest.h>

#include <string>

TEST_CASE("abi: version() is the CMake project version")
{
  CHECK(std::string(mfa::version()) == MFA_PROJECT_VERSION);
}

TEST_CASE("abi: <mfa/mfa.hpp> compiles alone and declares the whole API")
{
  // A name from each layer, reached through <mfa/mfa.hpp> alone.
  CHECK_THROWS_AS(mfa::validate(mfa::TotpParams{mfa::Algorithm::sha1, 7, 30}), mfa::InvalidArgument);
  CHECK(std::string(mfa::to_string(mfa::Decision::verify)) == "verify");
  CHECK(mfa::k_schema_version > 0);
}
