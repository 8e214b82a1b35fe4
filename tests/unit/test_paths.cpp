// SPDX-License-Identifier: MIT
#include "helpers.hpp"

#include <mfa/clock.hpp>
#include <mfa/paths.hpp>

#include <doctest/doctest.h>

using namespace mfa;

TEST_CASE("paths: flag, then environment, then XDG, then home")
{
  const auto env = test::fake_env({{"MFA_DB", "/env/m.db"}, {"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/u"}});
  CHECK(resolve_paths(std::string("/flag/f.db"), std::nullopt, env).database == "/flag/f.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env).database == "/env/m.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, test::fake_env({{"XDG_DATA_HOME", "/xdg"}, {"HOME", "/h"}}))
          .database
        == "/xdg/mfa/mfa.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, test::fake_env({{"XDG_DATA_HOME", ""}, {"HOME", "/h"}})).database
        == "/h/.local/share/mfa/mfa.db");
}

TEST_CASE("paths: the key file sits beside the database unless given")
{
  const auto env = test::fake_env({{"HOME", "/h"}});
  CHECK(resolve_paths(std::string("/d/x.db"), std::nullopt, env).key_file == "/d/mfa.key");
  CHECK(resolve_paths(std::string("/d/x.db"), std::string("/k/key"), env).key_file == "/k/key");
  CHECK(resolve_paths(std::string("/d/x.db"), std::nullopt, test::fake_env({{"MFA_KEY_FILE", "/e/key"}})).key_file
        == "/e/key");
}

TEST_CASE("actor: flag, then MFA_ACTOR, then SUDO_USER, then the login name")
{
  CHECK(resolve_actor(std::string("flag"), test::fake_env({{"MFA_ACTOR", "env"}})) == "flag");
  CHECK(resolve_actor(std::nullopt, test::fake_env({{"MFA_ACTOR", "env"}, {"SUDO_USER", "sudo"}})) == "env");
  CHECK(resolve_actor(std::nullopt, test::fake_env({{"SUDO_USER", "sudo"}})) == "sudo");
  CHECK_FALSE(resolve_actor(std::nullopt, test::fake_env({})).empty());
}

TEST_CASE("clock: RFC 3339 UTC")
{
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(1'700'000'000) == "2023-11-14T22:13:20Z");
  CHECK(format_rfc3339(20'000'000'000) == "2603-10-11T11:33:20Z");
}
