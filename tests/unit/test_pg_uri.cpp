// SPDX-License-Identifier: MIT
// What needs no server: which names are PostgreSQL URIs, how they are shown
// (never with a password), where their key file is, and refusals made
// before connecting. The store itself is tested on a real server by the CLI
// suite ("cli on postgres: ...").
#include "storage/pg_connection.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>
#include <mfa/paths.hpp>

#include <doctest/doctest.h>

using namespace mfa;

TEST_CASE("postgres: libpq URIs are told apart from SQLite paths")
{
  CHECK(is_postgres_uri("postgresql://db.example.com/mfa"));
  CHECK(is_postgres_uri("postgres:///mfa?host=/run/postgresql"));
  CHECK_FALSE(is_postgres_uri("/var/lib/mfa/mfa.db"));
  CHECK_FALSE(is_postgres_uri("postgresql.db"));
  CHECK_FALSE(is_postgres_uri("./postgres://x"));
}

TEST_CASE("postgres: a URI is shown without its password")
{
  CHECK(detail::uri_without_password("postgresql://mfa:s3cret@db/mfa") == "postgresql://mfa:***@db/mfa");
  CHECK(detail::uri_without_password("postgresql://mfa@db/mfa?sslmode=require") == "postgresql://mfa@db/mfa?sslmode=require");
  CHECK(detail::uri_without_password("postgresql:///mfa?user=mfa&password=s3cret&sslmode=require")
        == "postgresql:///mfa?user=mfa&password=***&sslmode=require");
  CHECK(detail::uri_without_password("postgres://db/mfa?password=s3cret") == "postgres://db/mfa?password=***");
  // libpq ends the user information at the last @ before the first /.
  CHECK(detail::uri_without_password("postgresql://mfa:se?cret@/mfa?host=/run") == "postgresql://mfa:***@/mfa?host=/run");
  // Keys are percent-decoded by libpq; sslpassword is a password too.
  CHECK(detail::uri_without_password("postgresql:///mfa?pass%77ord=hunter2&sslpassword=hunter3")
        == "postgresql:///mfa?pass%77ord=***&sslpassword=***");
  // libpq's messages quote what it could not parse: passwords are masked there too.
  CHECK(detail::without_passwords("invalid percent-encoded token: \"hunter%zz9\"", "postgresql://mfa:hunter%zz9@/mfa")
        == "invalid percent-encoded token: \"***\"");
  // An @ after the host part is not a password's end.
  CHECK(detail::uri_without_password("postgresql://db/mfa?options=a:b@c") == "postgresql://db/mfa?options=a:b@c");
}

TEST_CASE("postgres: a URI has no key file beside it, and opening without one is a key error before connecting")
{
  CHECK(default_key_file("postgresql://db/mfa").empty());
  CHECK(default_key_file("/var/lib/mfa/mfa.db") == "/var/lib/mfa/mfa.key");
  Database::Config config;
  // Port 1 of a host that does not resolve: a connection would fail differently.
  config.paths.database = "postgresql://nowhere.invalid:1/mfa";
  CHECK_THROWS_WITH_AS(Database::open(config), doctest::Contains("key file has no default place"), KeyError);
  CHECK_THROWS_AS(Database::create(config), KeyError);
}

TEST_CASE("postgres: a server that cannot be reached is a storage error naming the URI without its password")
{
  Database::Config config;
  config.paths.database = "postgresql://mfa:s3cret@/mfa?host=/nonexistent-socket-folder&port=1&connect_timeout=2";
  config.paths.key_file = "/nonexistent/mfa.key";
  try {
    (void)Database::open(config);
    FAIL("opened a database that is not there");
  } catch (const StorageError& e) {
    const std::string message = e.what();
    CHECK(message.find("cannot connect to database postgresql://mfa:***@/mfa") != std::string::npos);
    CHECK(message.find("s3cret") == std::string::npos);
  }
}
