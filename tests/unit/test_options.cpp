// SPDX-License-Identifier: MIT
#include "storage/database_impl.hpp"
#include "helpers.hpp"

#include <mfa/audit.hpp>
#include <mfa/options.hpp>

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

#include <map>
#include <string>
#include <vector>

using namespace mfa;

namespace {

std::string shown(OptionKey key, std::string_view text)
{
  auto value = parse_option_value(key, text);
  REQUIRE_MESSAGE(value.has_value(), "rejected: ", std::string(text));
  return format_option_value(*value);
}

bool rejects(OptionKey key, std::string_view text)
{
  return !parse_option_value(key, text).has_value();
}

} // namespace

TEST_CASE("options: defaults are the contract's")
{
  const std::map<std::string, std::string> expected = {
    {"internalMFA", "Off"},      {"externalMFA", "Off"},          {"enableMFABackupCodes", "Yes"},
    {"mfaIssuer", "MFA"},        {"mfaAlgorithm", "SHA1"},        {"mfaDigits", "6"},
    {"mfaPeriod", "30"},         {"mfaWindow", "1"},              {"mfaBackupCodeCount", "10"},
    {"mfaMaxFailedAttempts", "5"}, {"mfaLockoutMinutes", "15"},
  };
  REQUIRE(option_infos().size() == expected.size());
  for (const auto& info : option_infos()) {
    CAPTURE(info.name);
    REQUIRE(expected.count(std::string(info.name)) == 1);
    CHECK(format_option_value(default_option_value(info.key)) == expected.at(std::string(info.name)));
    CHECK(!info.description.empty());
    CHECK(!info.allowed.empty());
  }
}

TEST_CASE("options: keys are found without regard to case")
{
  CHECK(find_option("internalMFA") == OptionKey::internal_mfa);
  CHECK(find_option("INTERNALmfa") == OptionKey::internal_mfa);
  CHECK(find_option("enablemfabackupcodes") == OptionKey::enable_backup_codes);
  CHECK(find_option("MFALOCKOUTMINUTES") == OptionKey::lockout_minutes);
  CHECK_FALSE(find_option("internal").has_value());
  CHECK_FALSE(find_option("").has_value());
  CHECK_FALSE(find_option("internalMFA ").has_value());
}

TEST_CASE("options: class modes accept the shown and short forms in any case")
{
  for (auto key : {OptionKey::internal_mfa, OptionKey::external_mfa}) {
    CHECK(shown(key, "Off") == "Off");
    CHECK(shown(key, "off") == "Off");
    CHECK(shown(key, "OFF") == "Off");
    CHECK(shown(key, "On (Required)") == "On (Required)");
    CHECK(shown(key, "on (required)") == "On (Required)");
    CHECK(shown(key, "required") == "On (Required)");
    CHECK(shown(key, "REQUIRED") == "On (Required)");
    CHECK(shown(key, "On (Optional)") == "On (Optional)");
    CHECK(shown(key, "Optional") == "On (Optional)");
    CHECK(shown(key, "oN (oPTIONAL)") == "On (Optional)");
    for (auto bad : {"", "on", "On", "yes", "true", "0", "On(Required)", "required!", "On (Mandatory)"}) {
      CAPTURE(bad);
      CHECK(rejects(key, bad));
    }
  }
}

TEST_CASE("options: backup codes take Yes or No")
{
  const auto key = OptionKey::enable_backup_codes;
  CHECK(shown(key, "Yes") == "Yes");
  CHECK(shown(key, "yes") == "Yes");
  CHECK(shown(key, "YES") == "Yes");
  CHECK(shown(key, "No") == "No");
  CHECK(shown(key, "no") == "No");
  for (auto bad : {"", "y", "n", "true", "false", "1", "0", "off", "on", "yess"}) {
    CAPTURE(bad);
    CHECK(rejects(key, bad));
  }
}

TEST_CASE("options: algorithm, digits, period, window and counts keep their ranges")
{
  CHECK(shown(OptionKey::algorithm, "sha256") == "SHA256");
  CHECK(shown(OptionKey::algorithm, "SHA512") == "SHA512");
  CHECK(shown(OptionKey::algorithm, "Sha1") == "SHA1");
  CHECK(rejects(OptionKey::algorithm, "MD5"));
  CHECK(rejects(OptionKey::algorithm, "SHA-1"));
  CHECK(rejects(OptionKey::algorithm, "SHA384"));

  CHECK(shown(OptionKey::digits, "6") == "6");
  CHECK(shown(OptionKey::digits, "8") == "8");
  for (auto bad : {"7", "5", "9", "10", "", "6.0", "-6", "+6", "six", "0x6"}) {
    CAPTURE(bad);
    CHECK(rejects(OptionKey::digits, bad));
  }

  struct Range
  {
    OptionKey key;
    int min;
    int max;
  };
  for (const auto& r : {Range{OptionKey::period, 15, 300}, Range{OptionKey::window, 0, 10},
                        Range{OptionKey::backup_code_count, 1, 20}, Range{OptionKey::max_failed_attempts, 0, 100},
                        Range{OptionKey::lockout_minutes, 1, 1440}}) {
    CAPTURE(option_info(r.key).name);
    CHECK(shown(r.key, std::to_string(r.min)) == std::to_string(r.min));
    CHECK(shown(r.key, std::to_string(r.max)) == std::to_string(r.max));
    CHECK(shown(r.key, std::to_string((r.min + r.max) / 2)) == std::to_string((r.min + r.max) / 2));
    CHECK(rejects(r.key, std::to_string(r.max + 1)));
    CHECK(rejects(r.key, std::to_string(r.min - 1)));
    CHECK(rejects(r.key, ""));
    CHECK(rejects(r.key, "12abc"));
    CHECK(rejects(r.key, "99999999999999999999"));
  }
}

TEST_CASE("options: issuer is 1 to 64 printable characters without a colon")
{
  const auto key = OptionKey::issuer;
  CHECK(shown(key, "Case IQ") == "Case IQ");
  CHECK(shown(key, "Zoë & Co") == "Zoë & Co");
  CHECK(shown(key, std::string(64, 'x')) == std::string(64, 'x'));
  CHECK(shown(key, std::string(32, 'x') + "é" + std::string(31, 'y')).size() == 65); // 64 characters, 65 bytes
  CHECK(rejects(key, ""));
  CHECK(rejects(key, std::string(65, 'x')));
  CHECK(rejects(key, "Acme:Corp"));
  CHECK(rejects(key, "tab\there"));
  CHECK(rejects(key, "new\nline"));
  CHECK(rejects(key, "del\x7f"));
  CHECK(rejects(key, "bad\xff utf8"));
  CHECK(rejects(key, "\xc3"));
}

TEST_CASE("options: settings get what they set")
{
  Settings settings;
  for (const auto& info : option_infos()) {
    CHECK(settings.get(info.key) == default_option_value(info.key));
  }
  settings.set(OptionKey::external_mfa, Mode::optional);
  settings.set(OptionKey::period, 60);
  settings.set(OptionKey::issuer, std::string("Acme"));
  CHECK(settings.external_mfa == Mode::optional);
  CHECK(settings.period == 60);
  CHECK(settings.issuer == "Acme");
  CHECK(settings.get(OptionKey::period) == OptionValue(60));
}

TEST_CASE("options: list searches key and description ignoring case")
{
  auto db = Database::create(test::config());
  CHECK(list_options(db).size() == option_infos().size());
  CHECK(list_options(db, "MFA").size() == option_infos().size());
  CHECK(list_options(db, "mfa").size() == option_infos().size());

  auto backup = list_options(db, "BACKUP");
  REQUIRE(backup.size() == 2);
  CHECK(backup[0].name == "enableMFABackupCodes");
  CHECK(backup[1].name == "mfaBackupCodeCount");

  auto portal = list_options(db, "portal users");
  REQUIRE(portal.size() == 1);
  CHECK(portal[0].name == "externalMFA");
  CHECK(list_options(db, "no such thing").empty());
}

TEST_CASE("options: a change is stored, survives reopening and is audited with old and new")
{
  {
    auto db = Database::create(test::config());
    auto change = set_option(db, OptionKey::internal_mfa, Mode::required, "alice").value();
    CHECK(change.changed);
    CHECK(change.old_value == OptionValue(Mode::off));
    CHECK(change.users_to_enroll == 0);
  }
  auto db = Database::create(test::config());
  CHECK(get_option(db, OptionKey::internal_mfa).value == "On (Required)");
  CHECK(load_settings(db).internal_mfa == Mode::required);

  const auto log = audit_log(db);
  REQUIRE(log.size() == 1);
  CHECK(log[0].actor == "alice");
  CHECK(log[0].action == "options.set");
  CHECK(log[0].target == "internalMFA");
  CHECK(log[0].old_value == "Off");
  CHECK(log[0].new_value == "On (Required)");
  CHECK(log[0].at == 1'700'000'000);
}

TEST_CASE("options: setting the current value changes nothing and is not audited")
{
  auto db = Database::create(test::config());
  auto change = set_option(db, OptionKey::period, 30, "alice").value();
  CHECK_FALSE(change.changed);
  CHECK(audit_log(db).empty());
}

TEST_CASE("options: preview counts password users of the class who are not enrolled")
{
  auto db = Database::create(test::config());
  auto& sql = detail::impl_of(db).sql();
  sql.exec(R"sql(
    INSERT INTO users (id, name, type, auth, created_at) VALUES
      (1, 'a', 'internal', 'password', 0), (2, 'b', 'internal', 'password', 0),
      (3, 'c', 'internal', 'sso', 0), (4, 'd', 'external', 'password', 0),
      (5, 'e', 'internal', 'password', 0), (6, 'f', 'internal', 'password', 0);
    INSERT INTO enrollments (user_id, state, secret, algorithm, digits, period, created_at) VALUES
      (5, 'active', x'00', 'SHA1', 6, 30, 0), (6, 'pending', x'00', 'SHA1', 6, 30, 0);
  )sql");
  auto internal = preview_option_change(db, OptionKey::internal_mfa, Mode::required).value();
  CHECK(internal.changed);
  CHECK(internal.users_to_enroll == 3); // a, b and pending f; not SSO c, not active e
  auto external = preview_option_change(db, OptionKey::external_mfa, Mode::required).value();
  CHECK(external.users_to_enroll == 1);
  auto optional = preview_option_change(db, OptionKey::internal_mfa, Mode::optional).value();
  CHECK_FALSE(optional.users_to_enroll.has_value());
  CHECK(audit_log(db).empty());
  CHECK(load_settings(db).internal_mfa == Mode::off);
}

TEST_CASE("options: an invalid stored value is a storage fault, not a silent default")
{
  auto db = Database::create(test::config());
  detail::impl_of(db).sql().exec("INSERT INTO options (key, value) VALUES ('mfaDigits', '7')");
  CHECK_THROWS_AS(load_settings(db), StorageError);
}
