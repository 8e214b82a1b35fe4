// SPDX-License-Identifier: MIT
// The rules of core/ against the in-memory store (tests/unit/fake_store.hpp):
// no SQLite underneath, so what is checked here is the rules alone, through
// the same public API the CLI uses.
#include "fake_store.hpp"

#include <mfa/audit.hpp>
#include <mfa/backup_codes.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/policy.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <doctest/doctest.h>

#include <stdexcept>

using namespace mfa;

namespace {

// A Database over a fresh fake store, and the store, to look inside.
struct OnFake
{
  test::FakeStore* store;
  Database db;

  OnFake() : OnFake(std::make_unique<test::FakeStore>()) {}
  explicit OnFake(std::unique_ptr<test::FakeStore> fake) : store(fake.get()), db(detail::database_on(std::move(fake))) {}

  void require_internal()
  {
    REQUIRE(set_option(db, OptionKey::internal_mfa, Mode::required, "test").ok());
  }
  void add(const std::string& name, AuthMethod auth = AuthMethod::password)
  {
    REQUIRE(add_user(db, {name, UserType::internal, auth, std::nullopt}, "test").ok());
  }
  // Enrolls and confirms; returns the enrollment's URI.
  OtpauthUri enroll(const std::string& name)
  {
    const auto start = begin_enrollment(db, name, "test");
    REQUIRE_MESSAGE(start.ok(), start.message);
    const auto uri = *parse_otpauth_uri(start.value().uri);
    REQUIRE(confirm_enrollment(db, name, code(uri, -1), "test").ok());
    return uri;
  }
  std::string code(const OtpauthUri& uri, int steps = 0) const
  {
    return totp(uri.secret, store->now() + std::int64_t{steps} * uri.params.period, uri.params);
  }
};

} // namespace

TEST_CASE("fake store: an unknown user is no such user for every rule, and nothing is written")
{
  OnFake t;
  t.require_internal();
  const auto audit_before = t.store->tables.audit.size();
  const auto status = user_status(t.db, "ghost");
  CHECK(status.status == Status::no_such_user);
  CHECK_THROWS(status.value());
  CHECK(verify_code(t.db, "ghost", "123456", "test").status == Status::no_such_user);
  CHECK(begin_enrollment(t.db, "ghost", "test").status == Status::no_such_user);
  CHECK(unlock_user(t.db, "ghost", std::nullopt, "test").status == Status::no_such_user);
  CHECK(t.store->tables.audit.size() == audit_before);
  CHECK(t.store->tables.users.empty());
}

TEST_CASE("fake store: the decision follows the class option and the sign-in method")
{
  OnFake t;
  t.add("alice");
  t.add("carol", AuthMethod::sso);
  CHECK(user_status(t.db, "alice").value().decision == Decision::none); // MFA Off
  t.require_internal();
  CHECK(user_status(t.db, "alice").value().decision == Decision::enroll_required);
  CHECK(user_status(t.db, "carol").value().decision == Decision::none); // SSO never uses MFA
  t.enroll("alice");
  CHECK(user_status(t.db, "alice").value().decision == Decision::verify);
}

TEST_CASE("fake store: a code is accepted once, and the store is asked to consume its step exactly then")
{
  OnFake t;
  t.require_internal();
  t.add("alice");
  const auto uri = t.enroll("alice");
  const auto code = t.code(uri);
  const auto first = verify_code(t.db, "alice", code, "test");
  CHECK(first.ok());
  const auto step = t.store->tables.enrollments.begin()->second.last_step;
  REQUIRE(step);
  const auto again = verify_code(t.db, "alice", code, "test");
  CHECK(again.status == Status::rejected);
  CHECK(again.details().reason == RejectReason::reused);
  CHECK(t.store->tables.enrollments.begin()->second.last_step == step);
  CHECK(t.store->tables.users.begin()->second.failed_attempts == 1);
  CHECK(t.store->tables.audit.back().action == "verify");
  CHECK(t.store->tables.audit.back().reason == "reused");
}

TEST_CASE("fake store: failures lock, a locked user is refused without the code being looked at")
{
  OnFake t;
  t.require_internal();
  REQUIRE(set_option(t.db, OptionKey::max_failed_attempts, 3, "test").ok());
  t.add("alice");
  const auto uri = t.enroll("alice");
  for (int i = 0; i < 3; ++i) {
    CHECK(verify_code(t.db, "alice", "000000", "test").status == Status::rejected);
  }
  const auto& user = t.store->tables.users.begin()->second;
  REQUIRE(user.locked_until);
  CHECK(*user.locked_until > t.store->now());
  const auto locked = verify_code(t.db, "alice", t.code(uri), "test");
  CHECK(locked.status == Status::locked);
  CHECK(user.failed_attempts == 3); // not counted
  CHECK(unlock_user(t.db, "alice", std::string("ticket 1"), "helpdesk").ok());
  CHECK(verify_code(t.db, "alice", t.code(uri), "test").ok());
}

TEST_CASE("fake store: backup codes work once, stay while disabled and come back when enabled")
{
  OnFake t;
  t.require_internal();
  t.add("alice");
  const auto start = begin_enrollment(t.db, "alice", "test");
  const auto uri = *parse_otpauth_uri(start.value().uri);
  const auto confirmed = confirm_enrollment(t.db, "alice", t.code(uri), "test");
  REQUIRE(confirmed.ok());
  const auto codes = confirmed.value().backup_codes;
  REQUIRE(codes.size() == 10);
  CHECK(verify_code(t.db, "alice", codes[0], "test").ok());
  CHECK(verify_code(t.db, "alice", codes[0], "test").details().reason == RejectReason::reused);
  REQUIRE(set_option(t.db, OptionKey::enable_backup_codes, false, "test").ok());
  CHECK(verify_code(t.db, "alice", codes[1], "test").details().reason == RejectReason::backup_codes_disabled);
  REQUIRE(set_option(t.db, OptionKey::enable_backup_codes, true, "test").ok());
  const auto back = verify_code(t.db, "alice", codes[1], "test");
  CHECK(back.ok());
  CHECK(back.value().backup_codes_left == 8);
}

TEST_CASE("fake store: a write that fails part way leaves every table as it was")
{
  OnFake t;
  t.require_internal();
  t.add("alice");
  const auto before = t.store->tables.audit.size();
  CHECK_THROWS_AS(begin_enrollment(t.db, "alice", "test",
                                   [](const EnrollmentStart&) { throw std::runtime_error("the screen broke"); }),
                  std::runtime_error);
  CHECK(t.store->tables.enrollments.empty());
  CHECK(t.store->tables.audit.size() == before);
  CHECK(user_status(t.db, "alice").value().decision == Decision::enroll_required);
}

TEST_CASE("fake store: a stored option mfa never writes is a storage error, never a default")
{
  OnFake t;
  t.store->tables.options["internalMFA"] = "Maybe";
  CHECK_THROWS_WITH_AS(load_settings(t.db), doctest::Contains("options.value of option internalMFA"), StorageError);
  t.store->tables.options.clear();
  t.store->tables.options["internalmfa"] = "Off";
  CHECK_THROWS_AS(load_settings(t.db), StorageError);
}
