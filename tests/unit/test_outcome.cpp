// SPDX-License-Identifier: MIT
// The C++ API fails closed: a failed outcome has no value to read.
#include "lifecycle.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>
#include <mfa/outcome.hpp>
#include <mfa/policy.hpp>
#include <mfa/verify.hpp>

#include <string>
#include <type_traits>

using namespace mfa;

namespace {

// What a fail-open caller wrote before: the value read as a member.
template<typename T>
concept value_is_a_member = requires(const T& outcome) { outcome.value.decision; };

template<typename T>
concept has_public_impl = requires(T& db) { db.impl(); };

} // namespace

static_assert(!value_is_a_member<Outcome<UserStatus>>, "the value of an Outcome is reached through value() only");
static_assert(!has_public_impl<Database>, "Database::impl() is not public API");

TEST_CASE("outcome: value() of a failed outcome throws BadOutcomeAccess, details() still tells")
{
  const auto failed = Outcome<int>::failure(Status::rejected, "code rejected (reused)", 7);
  CHECK_FALSE(failed.ok());
  CHECK_THROWS_AS(static_cast<void>(failed.value()), BadOutcomeAccess);
  CHECK_THROWS_AS(static_cast<void>(Outcome<int>::failure(Status::locked, "locked").value()), Error);
  try {
    static_cast<void>(failed.value());
    FAIL("value() returned");
  } catch (const BadOutcomeAccess& e) {
    CHECK(e.status() == Status::rejected);
    CHECK(std::string(e.what()) == "value() of a failed outcome (rejected): code rejected (reused)");
  }
  CHECK(failed.details() == 7);
  CHECK(failed.status == Status::rejected);
  CHECK(failed.message == "code rejected (reused)");

  auto good = Outcome<std::string>::success("yes");
  CHECK(good.value() == "yes");
  CHECK(good.details() == "yes");
  CHECK(std::move(good).value() == "yes");
}

TEST_CASE("outcome: user_status of an unknown user is no_such_user and its value() throws")
{
  test::Lifecycle t;
  const auto status = user_status(t.db, "ghost");
  CHECK(status.status == Status::no_such_user);
  CHECK(status.message == "no such user: ghost");
  CHECK_THROWS_AS(static_cast<void>(status.value()), BadOutcomeAccess);
}

TEST_CASE("outcome: the decision for an unknown user is never read as none")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  // A login that skips MFA when the decision is none, without testing ok():
  // it throws for an unknown user instead of letting them in.
  const auto skips_mfa = [&](const char* name) { return user_status(t.db, name).value().decision == Decision::none; };
  CHECK_THROWS_AS(static_cast<void>(skips_mfa("ghost")), BadOutcomeAccess);
  t.add("a");
  CHECK_FALSE(skips_mfa("a"));

  const auto verified = verify_code(t.db, "ghost", "123456", "test");
  CHECK(verified.status == Status::no_such_user);
  CHECK_THROWS_AS(static_cast<void>(verified.value().accepted), BadOutcomeAccess);
  CHECK_FALSE(verified.details().accepted);
}

TEST_CASE("outcome: a rejected code says why in details(), by the reasons' fixed words")
{
  CHECK(std::string(to_string(RejectReason::wrong_code)) == "wrong-code");
  CHECK(std::string(to_string(RejectReason::reused)) == "reused");
  CHECK(std::string(to_string(RejectReason::malformed)) == "malformed");
  CHECK(std::string(to_string(RejectReason::backup_codes_disabled)) == "backup-codes-disabled");
  CHECK(std::string(to_string(RejectReason::locked)) == "locked");
  CHECK(std::string(to_string(RejectReason::none)).empty());

  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  const auto uri = t.begin("a");
  REQUIRE(confirm_enrollment(t.db, "a", t.code(uri), "test").ok());
  const auto replay = verify_code(t.db, "a", t.code(uri), "test");
  CHECK(replay.status == Status::rejected);
  CHECK(replay.message == "code rejected (reused)");
  CHECK_THROWS_AS(static_cast<void>(replay.value()), BadOutcomeAccess);
  CHECK(replay.details().reason == RejectReason::reused);
  CHECK_FALSE(replay.details().accepted);
}

TEST_CASE("outcome: a refused confirmation says why in details()")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  const auto uri = t.begin("a");
  const std::string right = t.code(uri);
  const auto wrong = confirm_enrollment(t.db, "a", right == "000000" ? "111111" : "000000", "test");
  CHECK(wrong.status == Status::rejected);
  CHECK_THROWS_AS(static_cast<void>(wrong.value()), BadOutcomeAccess);
  CHECK(wrong.details().reason == RejectReason::wrong_code);
  CHECK(wrong.details().state == EnrollmentState::pending);
  const auto malformed = confirm_enrollment(t.db, "a", "12345a", "test");
  CHECK(malformed.details().reason == RejectReason::malformed);
  const auto confirmed = confirm_enrollment(t.db, "a", right, "test");
  REQUIRE(confirmed.ok());
  CHECK(confirmed.value().reason == RejectReason::none);
  CHECK(confirmed.value().state == EnrollmentState::active);
}
