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
    {"database = /a.db\nkey_file = /k\ndatabase = /b.db\n", "line 3: database is given a second time"},
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
}
