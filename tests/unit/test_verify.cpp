// SPDX-License-Identifier: MIT
#include "lifecycle.hpp"

#include <mfa/audit.hpp>
#include <mfa/backup_codes.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/policy.hpp>
#include <mfa/verify.hpp>

using namespace mfa;

namespace {

struct Enrolled : test::Lifecycle
{
  OtpauthUri uri;
  std::vector<std::string> codes;

  explicit Enrolled(const std::string& db_file = "mfa.db") : test::Lifecycle(db_file)
  {
    set(OptionKey::internal_mfa, Mode::required);
    add("a");
    std::tie(uri, codes) = enroll("a");
  }

  Outcome<VerifyResult> verify(const std::string& code) { return verify_code(db, "a", code, "test"); }

  std::string wrong() const { return code(uri) == "000000" ? "111111" : "000000"; }
};

} // namespace

TEST_CASE("verify: a current code is accepted once, the next step's code after it")
{
  Enrolled t;
  const auto first = t.verify(t.code(t.uri));
  REQUIRE_MESSAGE(first.ok(), first.message);
  CHECK(first.value().accepted);
  CHECK(first.value().method == VerifyMethod::totp);
  CHECK(first.value().drift_steps == 0);
  CHECK(first.value().backup_codes_left == 10);
  const auto replay = t.verify(t.code(t.uri));
  CHECK(replay.status == Status::rejected);
  CHECK(replay.details().reason == RejectReason::reused);
  CHECK_FALSE(replay.details().accepted);
  *t.now += 30;
  CHECK(t.verify(t.code(t.uri)).ok());
}

TEST_CASE("verify: the drift window accepts its edges and nothing past them")
{
  for (int window : {0, 1, 2}) {
    Enrolled t("window" + std::to_string(window) + ".db");
    t.set(OptionKey::window, window);
    *t.now += 30 * (window + 1); // clear of the step the confirmation used
    CAPTURE(window);
    const auto past_edge = t.verify(t.code(t.uri, -window - 1));
    CHECK(past_edge.status == Status::rejected);
    const auto early = t.verify(t.code(t.uri, -window));
    REQUIRE_MESSAGE(early.ok(), early.message);
    CHECK(early.value().drift_steps == -window);
    if (window > 0) {
      const auto late = t.verify(t.code(t.uri, window));
      REQUIRE_MESSAGE(late.ok(), late.message);
      CHECK(late.value().drift_steps == window);
      // Steps only move forward: an older step inside the window is now used.
      CHECK(t.verify(t.code(t.uri, 0)).details().reason == RejectReason::reused);
    }
    CHECK(t.verify(t.code(t.uri, window + 1)).status == Status::rejected);
  }
}

TEST_CASE("verify: consecutive failures lock the user, even against a right code, until the time passes")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 3);
  t.set(OptionKey::lockout_minutes, 10);
  CHECK(t.verify(t.wrong()).details().reason == RejectReason::wrong_code);
  CHECK(t.verify("abc").details().reason == RejectReason::malformed);
  const auto third = t.verify(t.wrong());
  CHECK(third.status == Status::rejected);
  REQUIRE(third.details().locked_until.has_value());
  CHECK(*third.details().locked_until == *t.now + 600);
  const auto locked = t.verify(t.code(t.uri));
  CHECK(locked.status == Status::locked);
  CHECK(locked.details().reason == RejectReason::locked);
  *t.now += 599;
  CHECK(t.verify(t.code(t.uri)).status == Status::locked);
  *t.now += 1;
  CHECK(t.verify(t.code(t.uri)).ok());
}

TEST_CASE("verify: a success resets the count, failures are counted across processes")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 3);
  t.verify(t.wrong());
  t.verify(t.wrong());
  REQUIRE(t.verify(t.code(t.uri)).ok());
  CHECK(find_user(t.db, "a").value().failed_attempts == 0);
  t.verify(t.wrong());
  {
    // Another process (connection) counts into the same row.
    auto other = t.open();
    verify_code(other, "a", "000001", "other");
  }
  CHECK(find_user(t.db, "a").value().failed_attempts == 2);
  t.verify(t.wrong());
  CHECK(user_status(t.db, "a").value().locked);
}

TEST_CASE("verify: max failed attempts 0 never locks, unlock clears lock and count")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 0);
  for (int i = 0; i < 30; ++i) {
    t.verify(t.wrong());
  }
  CHECK_FALSE(user_status(t.db, "a").value().locked);
  t.set(OptionKey::max_failed_attempts, 2);
  t.verify(t.wrong());
  t.verify(t.wrong());
  CHECK(t.verify(t.code(t.uri)).status == Status::locked);
  REQUIRE(unlock_user(t.db, "a", std::string("called in"), "helpdesk").ok());
  CHECK(t.verify(t.code(t.uri)).ok());
  const auto log = audit_log(t.db, {std::string("a"), std::nullopt});
  const bool unlocked = std::any_of(log.begin(), log.end(), [](const AuditEntry& e) {
    return e.action == "unlock" && e.reason == "called in" && e.actor == "helpdesk";
  });
  CHECK(unlocked);
}

TEST_CASE("verify: an empty code is a usage error and is not counted")
{
  Enrolled t;
  CHECK(t.verify("").status == Status::invalid);
  CHECK(t.verify("   ").status == Status::invalid);
  CHECK(find_user(t.db, "a").value().failed_attempts == 0);
}

TEST_CASE("verify: refusals before any code is looked at")
{
  Enrolled t;
  t.add("pending");
  t.begin("pending");
  t.add("none");
  t.add("sso", UserType::internal, AuthMethod::sso);
  CHECK(verify_code(t.db, "nobody", "123456", "t").status == Status::no_such_user);
  CHECK(verify_code(t.db, "pending", "123456", "t").status == Status::not_allowed);
  CHECK(verify_code(t.db, "none", "123456", "t").status == Status::not_allowed);
  CHECK(verify_code(t.db, "sso", "123456", "t").status == Status::not_allowed);
  t.set(OptionKey::internal_mfa, Mode::off);
  CHECK(t.verify(t.code(t.uri)).status == Status::not_allowed);
  CHECK(find_user(t.db, "pending").value().failed_attempts == 0);
}

TEST_CASE("verify: backup codes work once each, typed in any case with spaces or dashes")
{
  Enrolled t;
  REQUIRE(t.codes.size() == 10);
  std::string shouted = t.codes[0];
  std::transform(shouted.begin(), shouted.end(), shouted.begin(), ::toupper);
  const auto used = t.verify(shouted);
  REQUIRE_MESSAGE(used.ok(), used.message);
  CHECK(used.value().method == VerifyMethod::backup_code);
  CHECK(used.value().backup_codes_left == 9);
  CHECK(t.verify(t.codes[0]).details().reason == RejectReason::reused);
  std::string spaced = t.codes[1];
  spaced.erase(std::remove(spaced.begin(), spaced.end(), '-'), spaced.end());
  spaced = spaced.substr(0, 3) + " " + spaced.substr(3);
  CHECK(t.verify(spaced).ok());
  CHECK(t.verify("zzzzz-zzzzz").details().reason == RejectReason::wrong_code);
  const auto status = backup_code_status(t.db, "a").value();
  CHECK(status.remaining == 8);
  CHECK(status.used == 2);
  CHECK(status.usable);
}

TEST_CASE("verify: disabling backup codes keeps them unusable, enabling restores exactly the unused ones")
{
  Enrolled t;
  REQUIRE(t.verify(t.codes[0]).ok());
  t.set(OptionKey::enable_backup_codes, false);
  const auto refused = t.verify(t.codes[1]);
  CHECK(refused.status == Status::rejected);
  CHECK(refused.details().reason == RejectReason::backup_codes_disabled);
  CHECK(backup_code_status(t.db, "a").value().remaining == 9);
  CHECK_FALSE(backup_code_status(t.db, "a").value().usable);
  CHECK(generate_backup_codes(t.db, "a", "t").status == Status::not_allowed);
  t.set(OptionKey::enable_backup_codes, true);
  CHECK(t.verify(t.codes[0]).details().reason == RejectReason::reused);
  CHECK(t.verify(t.codes[1]).ok());
  CHECK(backup_code_status(t.db, "a").value().remaining == 8);
}

TEST_CASE("verify: enrolling while backup codes are disabled makes none")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.set(OptionKey::enable_backup_codes, false);
  t.add("a");
  auto [uri, codes] = t.enroll("a");
  CHECK(codes.empty());
  t.set(OptionKey::enable_backup_codes, true);
  CHECK(backup_code_status(t.db, "a").value().remaining == 0);
}

TEST_CASE("verify: generate replaces the old set with mfaBackupCodeCount new codes")
{
  Enrolled t;
  t.set(OptionKey::backup_code_count, 3);
  const auto fresh = generate_backup_codes(t.db, "a", "t");
  REQUIRE(fresh.ok());
  CHECK(fresh.value().codes.size() == 3);
  CHECK(t.verify(t.codes[2]).details().reason == RejectReason::wrong_code);
  CHECK(t.verify(fresh.value().codes[0]).ok());
  CHECK(backup_code_status(t.db, "a").value().remaining == 2);
  t.add("b");
  CHECK(generate_backup_codes(t.db, "b", "t").status == Status::not_allowed);
  CHECK(generate_backup_codes(t.db, "nobody", "t").status == Status::no_such_user);
}

TEST_CASE("verify: every attempt is audited with its outcome")
{
  Enrolled t;
  t.verify(t.wrong());
  t.verify(t.code(t.uri));
  const auto log = audit_log(t.db, {std::string("a"), 2});
  REQUIRE(log.size() == 2);
  CHECK(log[1].action == "verify");
  CHECK(log[1].new_value == "rejected");
  CHECK(log[1].reason == "wrong-code");
  CHECK(log[0].new_value == "accepted (totp)");
}
