// SPDX-License-Identifier: MIT
#include "helpers.hpp"

#include <mfa/error.hpp>
#include <mfa/paths.hpp>

#include <doctest/doctest.h>

using namespace mfa;

TEST_CASE("config file: key = value lines, comments and blank lines")
{
  test::write_file("mfa.conf", "# the shared database\n\n  database = /srv/mfa/team.db  \r\nkey_file=/etc/mfa/team.key\n"
                               "\t# indented comment\n");
  const auto config = read_config_file("mfa.conf", true);
  CHECK(config.path == "mfa.conf");
  CHECK(config.database == "/srv/mfa/team.db");
  CHECK(config.key_file == "/etc/mfa/team.key");
}

TEST_CASE("config file: a bad line names the file and the line, whatever is wrong")
{
  const std::pair<const char*, const char*> bad[] = {
    {"database = /a.db\nthis is not a setting\n", "line 2 is not 'key = value'"},
    {"# c\n\ndatabse = /a.db\n", "line 3: unknown key 'databse'"},
    {"database =\n", "line 1: database has no value"},
    {"key_file = relative/mfa.key\n", "line 1: key_file must be an absolute path"},
    {"database = /a\x01.db\n", "line 1:"},
  };
  for (const auto& [text, message] : bad) {
    CAPTURE(text);
    test::write_file("bad.conf", text);
    const std::string expected = std::string("bad.conf ") + message;
    CHECK_THROWS_WITH_AS(read_config_file("bad.conf", true), doctest::Contains(expected.c_str()), ConfigError);
  }
}

TEST_CASE("config file: the default is ignored when absent, a named one must exist")
{
  CHECK(read_config_file("absent.conf", false).path.empty());
  CHECK_FALSE(read_config_file("absent.conf", false).database);
  CHECK_THROWS_WITH_AS(read_config_file("absent.conf", true), doctest::Contains("absent.conf"), ConfigError);
  test::write_file("named.conf", "database = /named.db\n");
  CHECK(load_config(std::string("named.conf"), test::fake_env({{"MFA_CONFIG", "absent.conf"}})).database
        == "/named.db");
  CHECK(load_config(std::nullopt, test::fake_env({{"MFA_CONFIG", "named.conf"}})).database == "/named.db");
  CHECK_THROWS_AS(load_config(std::nullopt, test::fake_env({{"MFA_CONFIG", "absent.conf"}})), ConfigError);
}

TEST_CASE("config file: a flag beats the environment, which beats the file, which beats the default")
{
  ConfigFile file;
  file.database = "/file/f.db";
  file.key_file = "/file/f.key";
  const auto env = test::fake_env({{"MFA_DB", "/env/e.db"}, {"MFA_KEY_FILE", "/env/e.key"}, {"HOME", "/h"}});
  const auto home = test::fake_env({{"HOME", "/h"}});
  CHECK(resolve_paths(std::string("/flag/x.db"), std::nullopt, env, file).database == "/flag/x.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env, file).database == "/env/e.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, file).database == "/file/f.db");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home).database == "/h/.local/share/mfa/mfa.db");
  CHECK(resolve_paths(std::nullopt, std::string("/flag/k"), env, file).key_file == "/flag/k");
  CHECK(resolve_paths(std::nullopt, std::nullopt, env, file).key_file == "/env/e.key");
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, file).key_file == "/file/f.key");
  ConfigFile only_database;
  only_database.database = "/file/f.db";
  CHECK(resolve_paths(std::nullopt, std::nullopt, home, only_database).key_file == "/file/mfa.key");
}
