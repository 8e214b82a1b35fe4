// SPDX-License-Identifier: MIT
#include "storage/audit_writer.hpp"
#include "util/csv.hpp"
#include "storage/database_impl.hpp"
#include "lifecycle.hpp"
#include "util/text.hpp"

#include <mfa/audit.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/text.hpp>
#include <mfa/user_import.hpp>

#include <SQLiteCpp/Statement.h>

using namespace mfa;

namespace {

// The UTF-8 encoding of one code point.
std::string utf8(std::uint32_t cp)
{
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

bool has_control_byte(const std::string& text)
{
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("text: escape_text keeps printable text and escapes control characters")
{
  CHECK(escape_text("alice") == "alice");
  CHECK(escape_text("Zoë 日本語 😀 O'Brien \"q\" DOMAIN\\user") == "Zoë 日本語 😀 O'Brien \"q\" DOMAIN\\user");
  CHECK(escape_text("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(escape_text("x\x1b[2J") == "x\\x1b[2J");
  CHECK(escape_text(std::string("nul\0!", 5)) == "nul\\x00!");
  CHECK(escape_text("del\x7f") == "del\\x7f");
  CHECK(escape_text("c1\xc2\x85") == "c1\\u0085");
  CHECK(escape_text("\xc2\x9b" "31m") == "\\u009b31m");
}

TEST_CASE("text: escape_text shows bytes that are not UTF-8 as hex")
{
  CHECK(escape_text("\xff\xfe") == "\\xff\\xfe");
  CHECK(escape_text("cut \xe6\x97") == "cut \\xe6\\x97");
  CHECK(escape_text("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
  CHECK(escape_text("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
}

TEST_CASE("text: bidirectional overrides, zero-width characters and separators are escaped and refused")
{
  for (std::uint32_t cp : {0x202Eu, 0x202Au, 0x2066u, 0x2069u, 0x200Eu, 0x200Fu, 0x061Cu, 0x200Bu, 0x200Du, 0xFEFFu,
                           0x2028u, 0x2029u, 0x00ADu}) {
    CAPTURE(cp);
    const std::string text = "a" + utf8(cp) + "b";
    CHECK_FALSE(detail::printable_utf8_length(text).has_value());
    CHECK(text_problem("a reason", text).has_value());
    const std::string escaped = escape_text(text);
    CHECK(escaped.find(utf8(cp)) == std::string::npos);
    CHECK(escaped.substr(0, 3) == "a\\u");
  }
  CHECK(escape_text("evil\xe2\x80\xae" "gpj.exe") == "evil\\u202egpj.exe");
}

TEST_CASE("text: NFC and NFD twins are both accepted and shown differently")
{
  const std::string nfc = "Zo\xc3\xab";   // ë as one code point
  const std::string nfd = "Zoe\xcc\x88";  // e + combining diaeresis
  CHECK(detail::printable_utf8_length(nfc) == 3);
  CHECK(detail::printable_utf8_length(nfd) == 4);
  CHECK(escape_text(nfc) == nfc);
  CHECK(escape_text(nfd) == "Zoe\\u0308");
  CHECK(escape_text(nfc) != escape_text(nfd));
}

TEST_CASE("text: what printable_utf8_length refuses is what escape_text changes, combining marks aside")
{
  for (std::uint32_t cp = 0; cp < 0x3000; ++cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x300 && cp <= 0x36F)) {
      continue;
    }
    CAPTURE(cp);
    const std::string text = utf8(cp);
    const bool refused = !detail::printable_utf8_length(text).has_value();
    CHECK(refused == (escape_text(text) != text));
    CHECK_FALSE(has_control_byte(escape_text(text)));
  }
}

TEST_CASE("text: text_problem quotes the text escaped and accepts printable text")
{
  CHECK_FALSE(text_problem("an actor", "alice").has_value());
  CHECK_FALSE(text_problem("a reason", "lost phone, ticket #42 — Zoë").has_value());
  const auto problem = text_problem("an actor", "evil\nmfa: accepted");
  REQUIRE(problem);
  CHECK(*problem == "an actor must be printable UTF-8 without control characters (found 'evil\\nmfa: accepted')");
}

TEST_CASE("text: trim_name removes spaces only")
{
  CHECK(detail::trim_name("  alice ") == "alice");
  CHECK(detail::trim_name("a b") == "a b");
  CHECK(detail::trim_name("   ").empty());
  CHECK(detail::trim_name("\talice") == "\talice");
}

TEST_CASE("csv: a NUL character is an error on its line")
{
  const std::string csv("name,type,auth\nok,internal,password\nb\0d,internal,password\n", 58);
  detail::CsvReader reader(csv); // keeps a view
  CHECK(reader.next());
  CHECK(reader.next());
  CHECK_FALSE(reader.next());
  CHECK(reader.error_line() == 3);
  CHECK(reader.error().find("NUL") != std::string::npos);
}

TEST_CASE("csv: a NUL inside quotes is an error too")
{
  const std::string csv("\"a\0\"\n", 5);
  detail::CsvReader reader(csv);
  CHECK_FALSE(reader.next());
  CHECK(reader.error_line() == 1);
}

TEST_CASE("import: a NUL makes a bad row with its line, and nothing is imported")
{
  test::Lifecycle t;
  const auto result = import_users(t.db, std::string("name,type,auth\nok,internal,password\nb\0d,internal,password\n", 58), "t");
  CHECK(result.status == Status::invalid);
  CHECK(result.message.rfind("line 3: a NUL character", 0) == 0);
  CHECK(list_users(t.db).empty());
}

TEST_CASE("import: a byte-order mark and CRLF are accepted and names are trimmed")
{
  test::Lifecycle t;
  const auto result = import_users(t.db, "\xEF\xBB\xBFname,type,auth\r\nalice ,internal,password\r\n\" bob \",external,sso\r\n", "t");
  REQUIRE_MESSAGE(result.ok(), result.message);
  std::vector<std::string> names;
  for (const auto& user : list_users(t.db)) {
    names.push_back(user.name);
  }
  CHECK(names == std::vector<std::string>{"alice", "bob"});
}

TEST_CASE("import: names that differ only in spaces around them are the same user")
{
  test::Lifecycle t;
  const auto twice = import_users(t.db, "name,type,auth\na,internal,password\n a ,internal,password\n", "t");
  CHECK(twice.status == Status::invalid);
  CHECK(twice.message == "line 3: user 'a' appears twice (first on line 2)");
  t.add("b");
  const auto exists = import_users(t.db, "name,type,auth\nb  ,internal,password\n", "t");
  CHECK(exists.status == Status::not_allowed);
}

TEST_CASE("users: a name is trimmed when added and found with spaces around it")
{
  test::Lifecycle t;
  const auto added = add_user(t.db, {" y ", UserType::internal, AuthMethod::password, std::nullopt}, "t");
  REQUIRE(added.ok());
  CHECK(added.value().name == "y");
  CHECK(find_user(t.db, "  y").value().name == "y");
  CHECK(add_user(t.db, {"y  ", UserType::internal, AuthMethod::password, std::nullopt}, "t").status
        == Status::not_allowed);
  CHECK(add_user(t.db, {"   ", UserType::internal, AuthMethod::password, std::nullopt}, "t").status
        == Status::invalid);
  CHECK(update_user(t.db, " y", {UserType::external, std::nullopt, std::nullopt}, "t").ok());
  CHECK(audit_log(t.db, {std::string(" y "), std::nullopt}).size() == 2);
  CHECK(audit_mentions_user(t.db, " y "));
  CHECK(unlock_user(t.db, "y ", std::nullopt, "t").ok());
  CHECK(reset_user(t.db, "y ", std::nullopt, "t").ok());
  CHECK(remove_user(t.db, " y ", "t").ok());
  CHECK(list_users(t.db).empty());
}

TEST_CASE("users: a name stored with spaces before names were trimmed is still found as given")
{
  test::Lifecycle t;
  t.add("alice");
  detail::impl_of(t.db).sql().exec("INSERT INTO users (name, type, auth, created_at) VALUES ('alice ', 'internal', 'password', 0)");
  CHECK(find_user(t.db, "alice ").value().name == "alice ");
  CHECK(find_user(t.db, "alice").value().name == "alice");
  CHECK(remove_user(t.db, "alice ", "t").ok());
  CHECK(find_user(t.db, "alice").ok());
}

TEST_CASE("users: names with bidirectional overrides are invalid, and the message shows them escaped")
{
  test::Lifecycle t;
  const auto outcome = add_user(t.db, {"evil\xe2\x80\xae" "gpj", UserType::internal, AuthMethod::password, std::nullopt}, "t");
  CHECK(outcome.status == Status::invalid);
  CHECK(outcome.message.find("evil\\u202egpj") != std::string::npos);
  CHECK(list_users(t.db).empty());
}

TEST_CASE("users: a 1 MB name is invalid with its length in the message")
{
  test::Lifecycle t;
  const auto outcome = add_user(t.db, {std::string(1 << 20, 'x'), UserType::internal, AuthMethod::password, std::nullopt}, "t");
  CHECK(outcome.status == Status::invalid);
  CHECK(outcome.message == "a user name is at most 256 characters (this one has 1048576)");
  CHECK(find_user(t.db, std::string(1 << 20, 'x')).status == Status::no_such_user);
}

TEST_CASE("users: search wildcards match literally")
{
  test::Lifecycle t;
  for (const char* name : {"100%", "a_b", "axb", "plain"}) {
    t.add(name);
  }
  auto names = [&](const char* search) {
    std::vector<std::string> out;
    for (const auto& user : list_users(t.db, search)) {
      out.push_back(user.name);
    }
    return out;
  };
  CHECK(names("%") == std::vector<std::string>{"100%"});
  CHECK(names("_") == std::vector<std::string>{"a_b"});
  CHECK(names("a_") == std::vector<std::string>{"a_b"});
}

TEST_CASE("options: search wildcards match literally")
{
  test::Lifecycle t;
  CHECK(list_options(t.db, "%").empty());
  CHECK(list_options(t.db, "_").empty());
  CHECK(list_options(t.db, "mfa%").empty());
  CHECK_FALSE(list_options(t.db, "mfa").empty());
}

TEST_CASE("helpdesk: a reason with a control or format character is invalid and changes nothing")
{
  test::Lifecycle t;
  t.add("u");
  const auto before = audit_log(t.db).size();
  for (const auto& reason : std::vector<std::string>{"a\nb", "\x1b[2J", "rtl \xe2\x80\xae", std::string("nul\0", 4)}) {
    CAPTURE(reason);
    CHECK(reset_user(t.db, "u", reason, "t").status == Status::invalid);
    CHECK(unlock_user(t.db, "u", reason, "t").status == Status::invalid);
  }
  CHECK(audit_log(t.db).size() == before);
  CHECK(unlock_user(t.db, "u", std::string("ticket #7, Zoë"), "t").ok());
}

TEST_CASE("audit: an actor or reason that no caller checked is stored escaped")
{
  test::Lifecycle t;
  t.add("u");
  auto& impl = detail::impl_of(t.db);
  impl.append_audit({"evil\nrow", "unlock", detail::AuditTarget::user, "u", std::nullopt, std::nullopt,
                     std::string("why\x1b[2J")});
  const auto log = audit_log(t.db, {std::string("u"), std::nullopt});
  REQUIRE(!log.empty());
  CHECK(log.front().actor == "evil\\nrow");
  CHECK(log.front().reason == "why\\x1b[2J");
}

TEST_CASE("text: combining marks can be kept for programs that read a name back")
{
  CHECK(escape_text("Zoe\xcc\x88\n", Combining::keep) == "Zoe\xcc\x88\\n");
  CHECK(escape_text("Zoe\xcc\x88\n", Combining::escape) == "Zoe\\u0308\\n");
}
