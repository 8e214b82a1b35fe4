// SPDX-License-Identifier: MIT
// Hardening of the decisions verify and enroll --confirm make: one reading
// of a typed code, typed setters that refuse what the parser refuses, TOTP
// parameters checked before any arithmetic, locks that escalate, and the
// enrollment state reported by the library.
#include "otp/code_input.hpp"
#include "otp/totp.hpp"
#include "storage/database_impl.hpp"
#include "lifecycle.hpp"
#include "core/rules.hpp"
#include "storage/user_store.hpp"

#include <mfa/audit.hpp>
#include <mfa/backup_codes.hpp>
#include <mfa/error.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/policy.hpp>
#include <mfa/verify.hpp>

#include <algorithm>

using namespace mfa;
using detail::CodeKind;

namespace {

struct Enrolled : test::Lifecycle
{
  OtpauthUri uri;
  std::vector<std::string> codes;

  Enrolled()
  {
    set(OptionKey::internal_mfa, Mode::required);
    add("a");
    std::tie(uri, codes) = enroll("a");
  }

  Outcome<VerifyResult> verify(const std::string& code) { return verify_code(db, "a", code, "test"); }
  std::string wrong() const { return code(uri) == "000000" ? "111111" : "000000"; }
  User user() { return find_user(db, "a").value(); }
};

std::size_t count_audit(Database& db, const std::string& action, const std::string& new_prefix)
{
  const auto log = audit_log(db);
  return static_cast<std::size_t>(std::count_if(log.begin(), log.end(), [&](const AuditEntry& e) {
    return e.action == action && e.new_value && e.new_value->rfind(new_prefix, 0) == 0;
  }));
}

} // namespace

TEST_CASE("code input: only the canonical forms are codes")
{
  CHECK(detail::classify_code("123456").kind == CodeKind::totp);
  CHECK(detail::classify_code("123 456").text == "123456");
  CHECK(detail::classify_code(" 1234 5678\t").text == "12345678");
  CHECK(detail::classify_code("").kind == CodeKind::empty);
  CHECK(detail::classify_code(" \t ").kind == CodeKind::empty);
  CHECK(detail::classify_code("ABCDE-FGHJK").kind == CodeKind::backup);
  CHECK(detail::classify_code("ABCDE-FGHJK").text == "abcdefghjk");
  for (const std::string bad : {"+123456", "-123456", "0x1e240", "12345", "1234567", "123456789",
                                "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96",
                                "123-456", "12345a", "1e5"}) {
    CAPTURE(bad);
    CHECK(detail::classify_code(bad).kind == CodeKind::malformed);
  }
  CHECK(detail::classify_code(std::string("123\0" "456", 7)).kind == CodeKind::malformed);
  CHECK(detail::classify_code(std::string(10'000, '1')).kind == CodeKind::malformed);
  CHECK(detail::classify_code(std::string(65, ' ')).kind == CodeKind::malformed);
}

TEST_CASE("enroll confirm: a code typed with a space is read as verify reads it")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.add("a");
  const auto uri = t.begin("a");
  const std::string code = t.code(uri);
  const auto confirmed = confirm_enrollment(t.db, "a", code.substr(0, 3) + " " + code.substr(3), "test");
  REQUIRE_MESSAGE(confirmed.ok(), confirmed.message);
  CHECK(confirmed.value().state == EnrollmentState::active);
  CHECK(find_user(t.db, "a").value().failed_attempts == 0);
}

TEST_CASE("enroll confirm: the outcome carries the state the library saw")
{
  Enrolled t;
  const auto again = confirm_enrollment(t.db, "a", t.code(t.uri), "test");
  CHECK(again.status == Status::not_allowed);
  CHECK(again.details().state == EnrollmentState::active);
  t.add("b");
  CHECK(confirm_enrollment(t.db, "b", "123456", "test").details().state == EnrollmentState::none);
  t.begin("b");
  const auto wrong = confirm_enrollment(t.db, "b", "12345a", "test");
  CHECK(wrong.status == Status::rejected);
  CHECK(wrong.details().state == EnrollmentState::pending);
  CHECK(find_user(t.db, "b").value().failed_attempts == 1); // a malformed code is a failed guess
}

TEST_CASE("options: typed setters refuse what the parser refuses and store nothing")
{
  auto db = Database::create(test::config());
  CHECK(set_option(db, OptionKey::digits, 7, "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::issuer, std::string("a:b"), "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::issuer, std::string(), "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::internal_mfa, 3, "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::period, Mode::required, "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::period, 301, "t").status == Status::invalid);
  CHECK(set_option(db, OptionKey::window, -1, "t").status == Status::invalid);
  CHECK(preview_option_change(db, OptionKey::max_failed_attempts, 101).status == Status::invalid);
  CHECK(audit_log(db).empty());
  CHECK(load_settings(db).digits == 6); // every command still works
  CHECK(detail::impl_of(db).sql().execAndGet("SELECT count(*) FROM options").getInt() == 0);
  const auto ok = set_option(db, OptionKey::digits, 8, "t");
  REQUIRE(ok.ok());
  CHECK(ok.value().changed);

  Settings settings;
  CHECK_THROWS_AS(settings.set(OptionKey::internal_mfa, 3), InvalidArgument);
  CHECK_THROWS_AS(settings.set(OptionKey::digits, 7), InvalidArgument);
  CHECK(settings.digits == 6);
}

TEST_CASE("totp: parameters outside the rules are refused before any arithmetic")
{
  const std::vector<std::uint8_t> key(20, 7);
  CHECK_THROWS_AS(totp_step(1'700'000'000, 0), InvalidArgument);
  CHECK_THROWS_AS(totp_step(1'700'000'000, -30), InvalidArgument);
  CHECK_THROWS_AS(totp_step(1'700'000'000, 14), InvalidArgument);
  CHECK_THROWS_AS(totp_step(1'700'000'000, 301), InvalidArgument);
  CHECK(totp_step(1'700'000'000, 15) == 113'333'333);
  CHECK(totp_step(1'700'000'000, 300) == 5'666'666);
  CHECK_THROWS_AS(totp(key, 0, {Algorithm::sha1, 6, 0}), InvalidArgument);
  CHECK_THROWS_AS(hotp(key, 1, Algorithm::sha1, 0), InvalidArgument);
  CHECK_THROWS_AS(hotp(key, 1, Algorithm::sha1, 10), InvalidArgument);
  CHECK_THROWS_AS(verify_totp(key, "1234567", 0, {Algorithm::sha1, 7, 30}, 1), InvalidArgument);
  CHECK_THROWS_AS(verify_totp(key, "123456", 0, {}, 11), InvalidArgument);
  CHECK_THROWS_AS(verify_totp(key, "123456", 0, {}, -1), InvalidArgument);
  CHECK_NOTHROW(validate(TotpParams{Algorithm::sha512, 8, 60}));
}

TEST_CASE("verify: a code of step T after one of step T+1 is rejected")
{
  Enrolled t;
  REQUIRE(t.verify(t.code(t.uri, 1)).ok());
  const auto older = t.verify(t.code(t.uri, 0));
  CHECK(older.status == Status::rejected);
  CHECK(older.details().reason == RejectReason::reused);
}

TEST_CASE("verify: failures count across locks and every lock lasts twice as long")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 3);
  t.set(OptionKey::lockout_minutes, 1);
  for (int i = 0; i < 2; ++i) {
    CHECK(t.verify(t.wrong()).status == Status::rejected);
  }
  const auto third = t.verify(t.wrong());
  CHECK(third.status == Status::rejected);
  REQUIRE(third.details().locked_until);
  CHECK(*third.details().locked_until == *t.now + 60);
  CHECK(t.user().failed_attempts == 3); // not reset by the lock

  // A right code during the lock is refused, audited, and not counted.
  const auto during = t.verify(t.code(t.uri));
  CHECK(during.status == Status::locked);
  CHECK(t.user().failed_attempts == 3);
  CHECK(count_audit(t.db, "verify", "refused") == 1);

  *t.now += 61;
  CHECK(t.verify(t.wrong()).status == Status::rejected);
  CHECK(t.verify(t.wrong()).status == Status::rejected);
  const auto second_lock = t.verify(t.wrong());
  REQUIRE(second_lock.details().locked_until);
  CHECK(*second_lock.details().locked_until == *t.now + 120);
  CHECK(t.user().failed_attempts == 6);

  *t.now += 121;
  for (int i = 0; i < 3; ++i) {
    t.verify(t.wrong());
  }
  CHECK(*t.user().locked_until == *t.now + 240);

  // A success ends the run: the next lock is the first one again.
  *t.now += 241;
  REQUIRE(t.verify(t.code(t.uri)).ok());
  CHECK(t.user().failed_attempts == 0);
  *t.now += 30;
  for (int i = 0; i < 3; ++i) {
    t.verify(t.wrong());
  }
  CHECK(*t.user().locked_until == *t.now + 60);
}

TEST_CASE("verify: 100 failures in a row lock until an admin unlocks")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 7); // 100 is no multiple of 7
  t.set(OptionKey::lockout_minutes, 1);
  int evaluated = 0;
  while (t.user().failed_attempts < 100 && evaluated < 200) {
    const auto outcome = t.verify(t.wrong());
    if (outcome.status == Status::locked) {
      *t.now = *t.user().locked_until + 1; // wait the lock out
      continue;
    }
    CHECK(outcome.status == Status::rejected);
    ++evaluated;
  }
  CHECK(evaluated == 100);
  REQUIRE(t.user().locked_until);
  CHECK(*t.user().locked_until == detail::k_locked_until_unlock);
  *t.now += 10LL * 365 * 24 * 3600; // ten years later: still locked
  const auto later = t.verify(t.code(t.uri));
  CHECK(later.status == Status::locked);
  CHECK(later.message.find("mfa unlock") != std::string::npos);
  CHECK(user_status(t.db, "a").value().decision == Decision::locked);
  REQUIRE(unlock_user(t.db, "a", std::nullopt, "helpdesk").ok());
  CHECK(t.user().failed_attempts == 0);
  CHECK(t.verify(t.code(t.uri)).ok());
}

TEST_CASE("verify: the lock arithmetic never overflows with the longest settings")
{
  Enrolled t;
  t.set(OptionKey::max_failed_attempts, 1);
  t.set(OptionKey::lockout_minutes, 1440);
  std::int64_t previous = *t.now;
  for (int i = 0; i < 99; ++i) {
    const auto outcome = t.verify(t.wrong());
    REQUIRE(outcome.details().locked_until);
    CHECK(*outcome.details().locked_until >= previous); // ever longer, never wrapped round
    CHECK(*outcome.details().locked_until <= detail::k_locked_until_unlock);
    previous = *outcome.details().locked_until;
    *t.now = std::min(previous + 1, detail::k_locked_until_unlock - 1);
  }
}

TEST_CASE("verify: backup codes disabled in the database are refused by the next verify")
{
  Enrolled t;
  // Another process turns backup codes off; this connection holds no copy.
  {
    auto other = t.open();
    REQUIRE(set_option(other, OptionKey::enable_backup_codes, false, "admin").ok());
  }
  const auto refused = t.verify(t.codes[0]);
  CHECK(refused.status == Status::rejected);
  CHECK(refused.details().reason == RejectReason::backup_codes_disabled);
}

TEST_CASE("verify: a backup code of a set replaced since is never accepted, even with the same row ids")
{
  Enrolled t;
  const auto old_code = t.codes[0];
  auto& sql = detail::impl_of(t.db).sql();
  const auto ids_before = sql.execAndGet("SELECT group_concat(id) FROM backup_codes").getString();
  // SQLite gives the new set the old set's row ids (the old rows are gone).
  REQUIRE(generate_backup_codes(t.db, "a", "test").ok());
  CHECK(sql.execAndGet("SELECT group_concat(id) FROM backup_codes").getString() == ids_before);
  const auto outcome = t.verify(old_code);
  CHECK(outcome.status == Status::rejected);
  CHECK(outcome.details().reason == RejectReason::wrong_code);
  CHECK(sql.execAndGet("SELECT count(used_at) FROM backup_codes").getInt() == 0);
}
