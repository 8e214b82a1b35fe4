// SPDX-License-Identifier: MIT
#pragma once

#include <mfa/export.hpp>
#include <mfa/outcome.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mfa {

class Database;

// How MFA applies to one class of users (the article's Off / On (Required) /
// On (Optional)).
enum class Mode
{
  off,
  required,
  optional,
};

enum class Algorithm
{
  sha1,
  sha256,
  sha512,
};

enum class OptionKey
{
  internal_mfa,
  external_mfa,
  enable_backup_codes,
  issuer,
  algorithm,
  digits,
  period,
  window,
  backup_code_count,
  max_failed_attempts,
  lockout_minutes,
};

using OptionValue = std::variant<Mode, bool, Algorithm, int, std::string>;

// "SHA1", "SHA256" or "SHA512": the names of the settings, the otpauth URI
// and OpenSSL alike.
// Throws nothing.
MFA_API const char* to_string(Algorithm algorithm);
// One of those names, in any case.
// Throws nothing.
MFA_API std::optional<Algorithm> parse_algorithm(std::string_view text);

struct OptionInfo
{
  OptionKey key;
  std::string_view name;        // e.g. "internalMFA"
  std::string_view description; // one sentence
  std::string_view allowed;     // the accepted values, for an error message
};

// Every option, in the order they are listed.
// option_infos and option_info throw nothing.
MFA_API std::span<const OptionInfo> option_infos();
MFA_API const OptionInfo& option_info(OptionKey key);

// Finds an option by name, ignoring case.
// Throws nothing.
MFA_API std::optional<OptionKey> find_option(std::string_view name);

// Parses a value given by a person: the shown form or a short form, in any
// case. Returns nothing when the value is not allowed for the key.
// Throws nothing.
MFA_API std::optional<OptionValue> parse_option_value(OptionKey key, std::string_view text);

// The shown form: "On (Required)", "Yes", "SHA256", "30".
// Throws nothing.
MFA_API std::string format_option_value(const OptionValue& value);

// Throws nothing.
MFA_API OptionValue default_option_value(OptionKey key);

// The typed settings every operation reads.
struct MFA_API Settings
{
  Mode internal_mfa = Mode::off;
  Mode external_mfa = Mode::off;
  bool backup_codes_enabled = true;
  std::string issuer = "MFA";
  Algorithm algorithm = Algorithm::sha1;
  int digits = 6;
  int period = 30;
  int window = 1;
  int backup_code_count = 10;
  int max_failed_attempts = 5;
  int lockout_minutes = 15;

  // Throws nothing.
  OptionValue get(OptionKey key) const;
  // Throws InvalidArgument for a value the option's spec refuses.
  void set(OptionKey key, const OptionValue& value);
};

// Reads the settings as they are stored now (defaults for unset keys).
// Throws StorageError when the database cannot be read or holds a damaged option.
MFA_API Settings load_settings(Database& db);

struct OptionRow
{
  OptionKey key;
  std::string name;
  std::string description;
  std::string value;
};

// Every option whose name or description contains `search`, ignoring case.
// list_options and get_option throw StorageError when the database cannot be read.
MFA_API std::vector<OptionRow> list_options(Database& db, std::string_view search = {});
MFA_API OptionRow get_option(Database& db, OptionKey key);

struct OptionChange
{
  OptionKey key;
  OptionValue old_value;
  OptionValue new_value;
  bool changed = false;
  // When a class is turned to On (Required): how many password users of that
  // class have no active enrollment and will have to enroll at next login.
  std::optional<long long> users_to_enroll;
};

// What set_option would do, without doing it. invalid: as set_option.
// Throws StorageError when the database cannot be read.
MFA_API Outcome<OptionChange> preview_option_change(Database& db, OptionKey key, const OptionValue& value);

// Stores the value and writes an audit row in the same transaction. Setting
// the current value changes nothing and writes no audit row.
// invalid: a value parse_option_value would not give for the key (digits 7,
// an issuer with ':', a Mode for a number option); nothing is stored.
// Throws StorageError when the database cannot be written.
MFA_API Outcome<OptionChange> set_option(Database& db, OptionKey key, const OptionValue& value,
                                         std::string_view actor);

} // namespace mfa
