// SPDX-License-Identifier: MIT
#include "storage/database_impl.hpp"
#include "lifecycle.hpp"

#include <mfa/audit.hpp>
#include <mfa/user_import.hpp>

using namespace mfa;

TEST_CASE("users: odd names round-trip byte for byte")
{
  test::Lifecycle t;
  const std::vector<std::string> names = {"O'Brien", "\"quoted\"", "Robert'); DROP TABLE users;--", "Zoë", "日本語",
                                          "a b", "%_", std::string(256, 'x'), std::string(128, 'e') + "é",
                                          "emoji 😀"};
  for (const auto& name : names) {
    CAPTURE(name);
    REQUIRE_MESSAGE(add_user(t.db, {name, UserType::internal, AuthMethod::password, std::nullopt}, "t").ok(), name);
    CHECK(find_user(t.db, name).value().name == name);
  }
  CHECK(list_users(t.db).size() == names.size());
  CHECK(find_user(t.db, "zoë").status == Status::no_such_user); // exact, not case-folded
}

TEST_CASE("users: bad names and e-mails are invalid")
{
  test::Lifecycle t;
  for (const auto& name : {std::string(), std::string(257, 'x'), std::string("tab\there"), std::string("nl\n"),
                           std::string("del\x7f"), std::string("\xff\xfe"), std::string("c1\xc2\x85")}) {
    CHECK(add_user(t.db, {name, UserType::internal, AuthMethod::password, std::nullopt}, "t").status
          == Status::invalid);
  }
  for (const char* email : {"no-at", "@x", "x@", "a@b@c", "sp ace@x"}) {
    CHECK(add_user(t.db, {"u", UserType::internal, AuthMethod::password, std::string(email)}, "t").status
          == Status::invalid);
  }
  CHECK(list_users(t.db).empty());
}

TEST_CASE("users: add, set, list, remove, each audited")
{
  test::Lifecycle t;
  REQUIRE(add_user(t.db, {"ann", UserType::external, AuthMethod::sso, std::string("ann@x.org")}, "admin").ok());
  CHECK(add_user(t.db, {"ann", UserType::internal, AuthMethod::password, std::nullopt}, "admin").status
        == Status::not_allowed);
  t.add("bob");
  const auto changed = update_user(t.db, "ann", {UserType::internal, AuthMethod::password, std::string("")}, "admin");
  REQUIRE(changed.ok());
  CHECK(changed.value().type == UserType::internal);
  CHECK(changed.value().auth == AuthMethod::password);
  CHECK_FALSE(changed.value().email.has_value());
  CHECK(update_user(t.db, "nobody", {}, "admin").status == Status::no_such_user);
  CHECK(list_users(t.db, "AN").size() == 1);
  CHECK(list_users(t.db, "").size() == 2);
  REQUIRE(remove_user(t.db, "ann", "admin").ok());
  CHECK(find_user(t.db, "ann").status == Status::no_such_user);
  CHECK(remove_user(t.db, "ann", "admin").status == Status::no_such_user);
  const auto log = audit_log(t.db, {std::string("ann"), std::nullopt});
  std::vector<std::string> actions;
  for (const auto& e : log) {
    actions.push_back(e.action);
  }
  CHECK(actions == std::vector<std::string>{"users.remove", "users.set", "users.set", "users.set", "users.add"});
  CHECK(audit_mentions_user(t.db, "ann"));
}

TEST_CASE("users: removing a user removes the enrollment and backup codes")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  t.enroll("a");
  REQUIRE(remove_user(t.db, "a", "t").ok());
  auto& sql = detail::impl_of(t.db).sql();
  CHECK(sql.execAndGet("SELECT count(*) FROM enrollments").getInt() == 0);
  CHECK(sql.execAndGet("SELECT count(*) FROM backup_codes").getInt() == 0);
}

TEST_CASE("import: RFC 4180 quoting, CRLF, a byte-order mark and blank lines")
{
  test::Lifecycle t;
  const std::string csv = "\xEF\xBB\xBFName,Type,Auth,Email\r\n"
                          "alice,internal,password,alice@x.org\r\n"
                          "\"Smith, Jo\",External,SSO,\r\n"
                          "\r\n"
                          "\"say \"\"hi\"\"\",internal,password,\"q@x.org\"\r\n";
  const auto result = import_users(t.db, csv, "t");
  REQUIRE_MESSAGE(result.ok(), result.message);
  CHECK(result.value().added == 3);
  CHECK(find_user(t.db, "Smith, Jo").value().type == UserType::external);
  CHECK(find_user(t.db, "Smith, Jo").value().auth == AuthMethod::sso);
  CHECK_FALSE(find_user(t.db, "Smith, Jo").value().email.has_value());
  CHECK(find_user(t.db, "say \"hi\"").value().email == "q@x.org");
  CHECK(import_users(t.db, "name,type,auth\ncarol,internal,password\n", "t").ok());
}

TEST_CASE("import: one bad row imports nothing and the message names its line")
{
  test::Lifecycle t;
  t.add("exists");
  const std::pair<std::string, std::string> bad[] = {
    {"name,type,auth\na,internal,password\nb,internal\n", "line 3: expected 3 fields"},
    {"name,type,auth\na,internal,password\nb,staff,password\n", "line 3: type must be"},
    {"name,type,auth\na,internal,password\nb,internal,kerberos\n", "line 3: auth must be"},
    {"name,type,auth,email\na,internal,password,\nb,internal,password,nope\n", "line 3: 'nope' is not an e-mail"},
    {"name,type,auth\na,internal,password\n,internal,password\n", "line 3: a user name cannot be empty"},
    {"name,type,auth\na,internal,password\nexists,internal,password\n", "line 3: user 'exists' already exists"},
    {"name,type,auth\na,internal,password\na,internal,password\n", "line 3: user 'a' appears twice (first on line 2)"},
    {"name,type,auth\na,internal,password\nb,internal,\"open\n", "line 3: a quoted field is not closed"},
    {"name,type,auth\na,internal,password\nb,inte\"rnal,password\n", "line 3: a quote inside an unquoted field"},
    {"user,kind,auth\n", "line 1: the header has no name column"},
    {"", "line 1: the file is empty"},
  };
  for (const auto& [csv, message] : bad) {
    CAPTURE(csv);
    const auto result = import_users(t.db, csv, "t");
    REQUIRE_FALSE(result.ok());
    CHECK_MESSAGE(result.message.starts_with(message), result.message);
    CHECK(list_users(t.db).size() == 1);
  }
  CHECK(import_users(t.db, "name,type,auth\nexists,internal,password\n", "t").status == Status::not_allowed);
}
