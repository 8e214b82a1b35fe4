// SPDX-License-Identifier: MIT
#include "storage/database_impl.hpp"
#include "lifecycle.hpp"
#include "crypto/backup_code.hpp"

#include <mfa/backup_codes.hpp>
#include <mfa/base32.hpp>
#include <mfa/error.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/verify.hpp>

#include <SQLiteCpp/Statement.h>

using namespace mfa;

TEST_CASE("enrollment: begin makes a pending 160-bit secret with the settings' parameters")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::optional);
  t.set(OptionKey::issuer, std::string("Case IQ"));
  t.set(OptionKey::algorithm, Algorithm::sha256);
  t.set(OptionKey::digits, 8);
  t.set(OptionKey::period, 60);
  t.add("zoë");
  const auto start = begin_enrollment(t.db, "zoë", "test");
  REQUIRE(start.ok());
  CHECK(base32_decode(start.value().secret)->size() == 20);
  CHECK(start.value().uri.starts_with("otpauth://totp/Case%20IQ:zo%C3%AB?secret=" + start.value().secret));
  CHECK(start.value().uri.ends_with("&issuer=Case%20IQ&algorithm=SHA256&digits=8&period=60"));
  CHECK(find_user(t.db, "zoë").value().enrollment == EnrollmentState::pending);
}

TEST_CASE("enrollment: parameters are fixed into the enrollment, later option changes do not break it")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  auto [uri, codes] = t.enroll("a");
  t.set(OptionKey::digits, 8);
  t.set(OptionKey::algorithm, Algorithm::sha512);
  t.set(OptionKey::period, 90);
  CHECK(uri.params.digits == 6);
  const auto result = verify_code(t.db, "a", t.code(uri), "test");
  CHECK_MESSAGE(result.ok(), result.message);
}

TEST_CASE("enrollment: refused for SSO users, a class that is Off, an active one and unknown users")
{
  test::Lifecycle t;
  t.add("sso", UserType::internal, AuthMethod::sso);
  t.add("ext", UserType::external);
  t.add("in");
  t.set(OptionKey::internal_mfa, Mode::required);
  CHECK(begin_enrollment(t.db, "sso", "test").status == Status::not_allowed);
  CHECK(begin_enrollment(t.db, "ext", "test").status == Status::not_allowed); // externalMFA is Off
  CHECK(begin_enrollment(t.db, "nobody", "test").status == Status::no_such_user);
  t.enroll("in");
  const auto again = begin_enrollment(t.db, "in", "test");
  CHECK(again.status == Status::not_allowed);
  CHECK(again.message.find("already enrolled") != std::string::npos);
}

TEST_CASE("enrollment: a wrong confirmation code keeps it pending, re-enrolling replaces the secret")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  const auto first = t.begin("a");
  const auto wrong = confirm_enrollment(t.db, "a", t.code(first) == "123456" ? "654321" : "123456", "test");
  CHECK(wrong.status == Status::rejected);
  CHECK(find_user(t.db, "a").value().enrollment == EnrollmentState::pending);
  CHECK(find_user(t.db, "a").value().failed_attempts == 1);
  const auto second = t.begin("a");
  CHECK(second.secret != first.secret);
  CHECK(confirm_enrollment(t.db, "a", t.code(first), "test").status == Status::rejected);
  CHECK(confirm_enrollment(t.db, "a", "", "test").status == Status::invalid);
  const auto right = confirm_enrollment(t.db, "a", t.code(second), "test");
  REQUIRE(right.ok());
  CHECK(right.value().backup_codes.size() == 10);
  CHECK(find_user(t.db, "a").value().failed_attempts == 0);
  CHECK(confirm_enrollment(t.db, "a", t.code(second), "test").status == Status::not_allowed);
}

TEST_CASE("enrollment: the confirming code cannot be used again to log in")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  const auto uri = t.begin("a");
  const std::string code = t.code(uri);
  REQUIRE(confirm_enrollment(t.db, "a", code, "test").ok());
  const auto replay = verify_code(t.db, "a", code, "test");
  CHECK(replay.status == Status::rejected);
  CHECK(replay.details().reason == RejectReason::reused);
}

TEST_CASE("enrollment: a batch is all or nothing")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  t.add("b");
  t.add("s", UserType::internal, AuthMethod::sso);
  const auto bad = begin_enrollments(t.db, {"a", "b", "nobody"}, "test");
  CHECK(bad.status == Status::no_such_user);
  CHECK(bad.details().failed_index == 2);
  CHECK(find_user(t.db, "a").value().enrollment == EnrollmentState::none);
  CHECK(begin_enrollments(t.db, {"a", "s"}, "test").status == Status::not_allowed);
  CHECK(begin_enrollments(t.db, {"a", "a"}, "test").status == Status::invalid);
  CHECK(find_user(t.db, "a").value().enrollment == EnrollmentState::none);
  const auto good = begin_enrollments(t.db, {"a", "b"}, "test");
  REQUIRE(good.ok());
  CHECK(good.value().started.size() == 2);
  CHECK(good.value().started[0].secret != good.value().started[1].secret);
  CHECK(find_user(t.db, "b").value().enrollment == EnrollmentState::pending);
}

TEST_CASE("enrollment: reset removes everything and the next enrollment has a new secret")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  auto [uri, codes] = t.enroll("a");
  REQUIRE(reset_user(t.db, "a", std::string("lost phone"), "helpdesk").ok());
  const auto user = find_user(t.db, "a").value();
  CHECK(user.enrollment == EnrollmentState::none);
  CHECK(backup_code_status(t.db, "a").value().remaining == 0);
  CHECK(verify_code(t.db, "a", t.code(uri), "test").status == Status::not_allowed);
  const auto again = t.begin("a");
  CHECK(again.secret != uri.secret);
  CHECK(reset_user(t.db, "nobody", std::nullopt, "helpdesk").status == Status::no_such_user);
}

TEST_CASE("enrollment: a sealed secret moved to another user's row does not open")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  t.add("b");
  auto [uri_a, codes_a] = t.enroll("a");
  t.enroll("b");
  detail::impl_of(t.db).sql().exec(
    "UPDATE enrollments SET secret = (SELECT secret FROM enrollments WHERE user_id = 1) WHERE user_id = 2");
  CHECK_THROWS_AS(verify_code(t.db, "b", t.code(uri_a), "test"), KeyError);
}

TEST_CASE("enrollment: the database file and its WAL never hold a secret or backup code in clear")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  std::vector<std::string> needles;
  for (const char* name : {"a", "b", "c"}) {
    t.add(name);
    auto [uri, codes] = t.enroll(name);
    needles.emplace_back(uri.secret.begin(), uri.secret.end());
    needles.push_back(base32_encode(uri.secret));
    for (const auto& code : codes) {
      needles.push_back(code);
      needles.push_back(*normalize_backup_code(code));
    }
  }
  const std::string bytes = test::read_file("mfa.db") + test::read_file("mfa.db-wal");
  CHECK(bytes.size() > 4096);
  for (const auto& needle : needles) {
    CHECK(bytes.find(needle) == std::string::npos);
  }
}
