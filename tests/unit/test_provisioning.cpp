// SPDX-License-Identifier: MIT
#include "util/csv.hpp"
#include "storage/database_impl.hpp"
#include "lifecycle.hpp"
#include "storage/schema.hpp"

#include <mfa/audit.hpp>
#include <mfa/database.hpp>
#include <mfa/policy.hpp>
#include <mfa/user_import.hpp>
#include <mfa/verify.hpp>

#include <SQLiteCpp/Database.h>

#include <sstream>
#include <streambuf>

using namespace mfa;

namespace {

// A CSV that never ends: a reader that slurped its input would never return.
class EndlessCsv : public std::streambuf
{
public:
  std::size_t served = 0;

protected:
  int_type underflow() override
  {
    m_line = m_rows++ == 0 ? "name,type\n" : "user" + std::to_string(m_rows) + ",internal\n";
    served += m_line.size();
    setg(m_line.data(), m_line.data(), m_line.data() + m_line.size());
    return traits_type::to_int_type(m_line[0]);
  }

private:
  std::string m_line;
  std::size_t m_rows = 0;
};

std::vector<std::string> names(const std::vector<User>& users)
{
  std::vector<std::string> out;
  for (const auto& user : users) {
    out.push_back(user.name);
  }
  return out;
}

} // namespace

TEST_CASE("csv: a stream is read one record at a time")
{
  EndlessCsv source;
  std::istream in(&source);
  detail::CsvReader reader(in);
  REQUIRE(reader.next());
  const auto second = reader.next();
  REQUIRE(second);
  CHECK(second->fields == std::vector<std::string>{"user2", "internal"});
  CHECK(second->line == 2);
  CHECK(reader.bytes_read() == std::string("name,type\nuser2,internal\n").size());
  CHECK(source.served < 100);
}

TEST_CASE("csv: a stream and a view give the same records")
{
  const std::string text = "\xEF\xBB\xBFname,email\r\n\"Smith, Jo\",\"a\"\"b\"\r\n\"two\nlines\",x\n";
  std::istringstream in(text);
  detail::CsvReader from_stream(in);
  detail::CsvReader from_view(text);
  for (int i = 0; i < 4; ++i) {
    const auto a = from_stream.next();
    const auto b = from_view.next();
    REQUIRE(a.has_value() == b.has_value());
    if (a) {
      CHECK(a->fields == b->fields);
      CHECK(a->line == b->line);
    }
  }
  CHECK(from_stream.bytes_read() == text.size());
}

TEST_CASE("csv: text that only begins like a byte-order mark is kept")
{
  const std::string text = "\xEF\xBB\xC3\xA9,\xEF\xBD\x8E\n";
  std::istringstream in(text);
  detail::CsvReader reader(in);
  const auto record = reader.next();
  REQUIRE(record);
  CHECK(record->fields == std::vector<std::string>{"\xEF\xBB\xC3\xA9", "\xEF\xBD\x8E"});
  CHECK(reader.error().empty());
  CHECK(reader.bytes_read() == text.size());
}

TEST_CASE("users: the last login and the last failure are noted at the clock's time")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  CHECK_FALSE(find_user(t.db, "a").value().last_login_at);
  const auto confirmed_at = *t.now;
  const auto [uri, codes] = t.enroll("a");
  CHECK(find_user(t.db, "a").value().last_login_at == confirmed_at);
  CHECK_FALSE(find_user(t.db, "a").value().last_failure_at);

  *t.now += 300;
  const std::string wrong = t.code(uri) == "000000" ? "111111" : "000000";
  CHECK(verify_code(t.db, "a", wrong, "t").status == Status::rejected);
  auto user = find_user(t.db, "a").value();
  CHECK(user.last_failure_at == *t.now);
  CHECK(user.last_login_at == confirmed_at);
  CHECK(user.failed_attempts == 1);

  *t.now += 60;
  REQUIRE(verify_code(t.db, "a", t.code(uri), "t").ok());
  user = find_user(t.db, "a").value();
  CHECK(user.last_login_at == *t.now);
  CHECK(user.last_failure_at == *t.now - 60);
  CHECK(user.failed_attempts == 0);
}

TEST_CASE("storage: a version 2 database gets the last login and failure from its audit log")
{
  {
    test::Lifecycle t("old.db");
    t.add("a");
    t.add("b");
    auto& sql = detail::impl_of(t.db).sql();
    sql.exec("INSERT INTO audit (at, actor, action, target_kind, target, old_value, new_value) VALUES "
             "(10, 'x', 'verify', 'user', 'a', NULL, 'accepted (totp)'),"
             "(20, 'x', 'verify', 'user', 'a', NULL, 'rejected'),"
             "(30, 'x', 'verify', 'user', 'a', NULL, 'accepted (backup-code)'),"
             "(40, 'x', 'verify', 'user', 'a', NULL, 'refused; locked out until 2026-01-01T00:00:00Z'),"
             "(50, 'x', 'verify', 'user', 'b', NULL, 'rejected; locked out until 2026-01-01T00:00:00Z')");
    sql.exec("ALTER TABLE users DROP COLUMN last_login_at");
    sql.exec("ALTER TABLE users DROP COLUMN last_failure_at");
    sql.exec("DROP INDEX audit_by_at"); // the rest of step 3
    sql.exec("DROP INDEX users_by_name_check"); // step 4
    sql.exec("PRAGMA user_version = 2");
  }
  test::Lifecycle t("old.db");
  CHECK(detail::schema_version(detail::impl_of(t.db).sql()) == k_schema_version);
  const auto a = find_user(t.db, "a").value();
  CHECK(a.last_login_at == 30);
  CHECK(a.last_failure_at == 20);
  const auto b = find_user(t.db, "b").value();
  CHECK_FALSE(b.last_login_at);
  CHECK(b.last_failure_at == 50);
}

TEST_CASE("users: list filters combine, and the lock is judged at the clock's time")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.set(OptionKey::external_mfa, Mode::required);
  t.set(OptionKey::max_failed_attempts, 1);
  t.add("ann");
  t.add("bob", UserType::external);
  t.add("cat", UserType::internal, AuthMethod::sso);
  const auto [uri, codes] = t.enroll("bob");
  t.begin("ann");
  CHECK(verify_code(t.db, "bob", t.code(uri) == "000000" ? "111111" : "000000", "t").status == Status::rejected);

  UserFilter locked;
  locked.locked = true;
  CHECK(names(list_users(t.db, locked)) == std::vector<std::string>{"bob"});
  UserFilter pending;
  pending.enrollment = EnrollmentState::pending;
  CHECK(names(list_users(t.db, pending)) == std::vector<std::string>{"ann"});
  UserFilter internal_password;
  internal_password.type = UserType::internal;
  internal_password.auth = AuthMethod::password;
  CHECK(names(list_users(t.db, internal_password)) == std::vector<std::string>{"ann"});
  UserFilter locked_internal = locked;
  locked_internal.type = UserType::internal;
  CHECK(list_users(t.db, locked_internal).empty());
  UserFilter none;
  none.enrollment = EnrollmentState::none;
  none.search = "C";
  CHECK(names(list_users(t.db, none)) == std::vector<std::string>{"cat"});

  *t.now += 24 * 3600; // the lock has ended
  CHECK(list_users(t.db, locked).empty());
  CHECK(parse_enrollment_state("Active") == EnrollmentState::active);
  CHECK_FALSE(parse_enrollment_state("done"));
}

TEST_CASE("import: progress follows every record and a dry run writes nothing")
{
  test::Lifecycle t;
  t.add("ann");
  const std::string csv = "name,type\nann,external\nbob,internal\n\ncat,internal\n";
  std::vector<std::size_t> rows;
  ImportOptions options;
  options.existing = ExistingUsers::update;
  options.dry_run = DryRun::yes;
  options.progress = [&](const ImportProgress& done) { rows.push_back(done.rows); };
  const auto audit_rows = audit_log(t.db).size();
  const auto result = import_users(t.db, csv, "t", options);
  REQUIRE_MESSAGE(result.ok(), result.message);
  CHECK(rows == std::vector<std::size_t>{0, 1, 2, 3, 4});
  CHECK(result.value().dry_run);
  CHECK(result.value().added == 2);
  CHECK(result.value().updated == 1);
  CHECK(names(list_users(t.db)) == std::vector<std::string>{"ann"});
  CHECK(find_user(t.db, "ann").value().type == UserType::internal);
  CHECK(audit_log(t.db).size() == audit_rows);

  options.dry_run = DryRun::no;
  REQUIRE(import_users(t.db, csv, "t", options).ok());
  CHECK(names(list_users(t.db)) == std::vector<std::string>{"ann", "bob", "cat"});
  CHECK(audit_log(t.db).size() == audit_rows + 3);
  // The same file again: every user is as the file gives them.
  const auto again = import_users(t.db, csv, "t", options);
  CHECK(again.value().unchanged == 3);
  CHECK(again.value().added + again.value().updated == 0);
  CHECK(audit_log(t.db).size() == audit_rows + 3);
}

TEST_CASE("import: every bad row is counted and the first 20 kept, with the status of the worst")
{
  test::Lifecycle t;
  t.add("ann");
  std::string csv = "name,type\nann,internal\n";
  for (int i = 0; i < 25; ++i) {
    csv += "u" + std::to_string(i) + ",staff\n";
  }
  const auto result = import_users(t.db, csv, "t");
  CHECK(result.status == Status::invalid);
  CHECK(result.details().bad_rows == 26);
  REQUIRE(result.details().errors.size() == k_import_error_limit);
  CHECK(result.details().errors[0].line == 2);
  CHECK(result.details().errors[0].error.starts_with("user 'ann' already exists"));
  CHECK(result.details().failed_line == 2);
  CHECK(result.message == "26 bad rows (the first 20 shown); nothing was imported");
  CHECK(list_users(t.db).size() == 1);
  // The unknown column is named even when the import fails.
  const auto ignored = import_users(t.db, "name,Dept,\nann,x,y\n", "t");
  CHECK(ignored.status == Status::not_allowed);
  CHECK(ignored.details().ignored_columns == std::vector<std::string>{"Dept", "(column 3, unnamed)"});
}
