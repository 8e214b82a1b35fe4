// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/text.hpp"

#include <mfa/error.hpp>
#include <mfa/options.hpp>

#include <array>

namespace mfa {

namespace {

enum class Kind
{
  mode,
  yes_no,
  issuer,
  algorithm,
  integer,
};

struct Spec
{
  OptionInfo info;
  Kind kind;
  int min = 0;
  int max = 0;
};

constexpr std::string_view k_mode_values = "Off, On (Required), On (Optional) (or off, required, optional)";

constexpr std::array<Spec, 11> k_specs = {{
  {{OptionKey::internal_mfa, "internalMFA", "Enable or disable MFA for users of your main application",
    k_mode_values},
   Kind::mode},
  {{OptionKey::external_mfa, "externalMFA",
    "Enable or disable MFA for external accounts, including portal users, hotline agents, and any external "
    "parties granted access to cases",
    k_mode_values},
   Kind::mode},
  {{OptionKey::enable_backup_codes, "enableMFABackupCodes", "Allow or prevent users from logging in with backup codes",
    "Yes, No"},
   Kind::yes_no},
  {{OptionKey::issuer, "mfaIssuer", "Issuer name shown in authenticator apps for new MFA enrollments",
    "1 to 64 printable characters, no ':'"},
   Kind::issuer},
  {{OptionKey::algorithm, "mfaAlgorithm", "HMAC algorithm of new MFA enrollments", "SHA1, SHA256, SHA512"},
   Kind::algorithm},
  {{OptionKey::digits, "mfaDigits", "Number of digits in the codes of new MFA enrollments", "6, 8"}, Kind::integer, 6,
   8},
  {{OptionKey::period, "mfaPeriod", "Seconds each code of new MFA enrollments is valid for",
    "15 to 300 (seconds)"},
   Kind::integer, 15, 300},
  {{OptionKey::window, "mfaWindow", "MFA time steps accepted either side of now, for clock drift", "0 to 10"},
   Kind::integer, 0, 10},
  {{OptionKey::backup_code_count, "mfaBackupCodeCount", "Number of MFA backup codes generated for a user", "1 to 20"},
   Kind::integer, 1, 20},
  {{OptionKey::max_failed_attempts, "mfaMaxFailedAttempts",
    "Consecutive failed MFA attempts that lock a user (0 never locks)", "0 to 100"},
   Kind::integer, 0, 100},
  {{OptionKey::lockout_minutes, "mfaLockoutMinutes", "Minutes a user stays locked out after too many failed MFA attempts",
    "1 to 1440"},
   Kind::integer, 1, 1440},
}};

constexpr std::array<OptionInfo, k_specs.size()> make_infos()
{
  std::array<OptionInfo, k_specs.size()> infos{};
  for (std::size_t i = 0; i < k_specs.size(); ++i) {
    infos[i] = k_specs[i].info;
  }
  return infos;
}

constexpr auto k_infos = make_infos();

const Spec& spec(OptionKey key)
{
  return k_specs[static_cast<std::size_t>(key)];
}

const char* mode_text(Mode mode)
{
  switch (mode) {
  case Mode::off:
    return "Off";
  case Mode::required:
    return "On (Required)";
  case Mode::optional:
    return "On (Optional)";
  }
  return "Off";
}

} // namespace

const char* to_string(Algorithm algorithm)
{
  switch (algorithm) {
  case Algorithm::sha1:
    return "SHA1";
  case Algorithm::sha256:
    return "SHA256";
  case Algorithm::sha512:
    return "SHA512";
  }
  return "SHA1";
}

std::optional<OptionValue> parse_mode(std::string_view text)
{
  const std::string lower = detail::ascii_lower(text);
  if (lower == "off") {
    return Mode::off;
  }
  if (lower == "on (required)" || lower == "required") {
    return Mode::required;
  }
  if (lower == "on (optional)" || lower == "optional") {
    return Mode::optional;
  }
  return std::nullopt;
}

std::optional<Algorithm> parse_algorithm(std::string_view text)
{
  for (auto algorithm : {Algorithm::sha1, Algorithm::sha256, Algorithm::sha512}) {
    if (detail::iequals(text, to_string(algorithm))) {
      return algorithm;
    }
  }
  return std::nullopt;
}

namespace {

std::optional<OptionValue> parse_issuer(std::string_view text)
{
  const auto length = detail::printable_utf8_length(text);
  if (!length || *length < 1 || *length > 64 || text.find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(text);
}

Settings load_settings_from(detail::Store& store)
{
  Settings settings;
  for (const auto& row : store.option_rows()) {
    // Strictly as set_option writes them: the exact name and the exact
    // shown value, so that no damaged text reads as some other setting.
    const auto key = find_option(row.key);
    const auto value = key ? parse_option_value(*key, row.value) : std::nullopt;
    if (!key || option_info(*key).name != row.key) {
      store.damaged("options", "key", "option " + row.key, "names no option");
    }
    if (!value || format_option_value(*value) != row.value) {
      store.damaged("options", "value", "option " + row.key);
    }
    settings.set(*key, *value);
  }
  return settings;
}

OptionChange describe_change(detail::Store& store, const Settings& settings, OptionKey key,
                             const OptionValue& value)
{
  OptionChange change{key, settings.get(key), value, false, std::nullopt};
  change.changed = change.old_value != change.new_value;
  const bool class_option = key == OptionKey::internal_mfa || key == OptionKey::external_mfa;
  if (change.changed && class_option && std::get<Mode>(value) == Mode::required) {
    change.users_to_enroll =
      store.users_without_active_enrollment(key == OptionKey::internal_mfa ? UserType::internal : UserType::external);
  }
  return change;
}

} // namespace

std::span<const OptionInfo> option_infos()
{
  return k_infos;
}

const OptionInfo& option_info(OptionKey key)
{
  return k_infos[static_cast<std::size_t>(key)];
}

std::optional<OptionKey> find_option(std::string_view name)
{
  for (const auto& info : k_infos) {
    if (detail::iequals(info.name, name)) {
      return info.key;
    }
  }
  return std::nullopt;
}

std::optional<OptionValue> parse_option_value(OptionKey key, std::string_view text)
{
  const Spec& s = spec(key);
  switch (s.kind) {
  case Kind::mode:
    return parse_mode(detail::trim(text));
  case Kind::yes_no: {
    const std::string lower = detail::ascii_lower(detail::trim(text));
    if (lower == "yes" || lower == "no") {
      return OptionValue(lower == "yes");
    }
    return std::nullopt;
  }
  case Kind::issuer:
    return parse_issuer(text);
  case Kind::algorithm:
    if (auto algorithm = parse_algorithm(detail::trim(text))) {
      return OptionValue(*algorithm);
    }
    return std::nullopt;
  case Kind::integer: {
    const auto number = detail::parse_int(detail::trim(text));
    if (!number || *number < s.min || *number > s.max) {
      return std::nullopt;
    }
    if (key == OptionKey::digits && *number != 6 && *number != 8) {
      return std::nullopt;
    }
    return OptionValue(*number);
  }
  }
  return std::nullopt;
}

std::string format_option_value(const OptionValue& value)
{
  struct Visitor
  {
    std::string operator()(Mode mode) const { return mode_text(mode); }
    std::string operator()(bool yes) const { return yes ? "Yes" : "No"; }
    std::string operator()(Algorithm algorithm) const { return to_string(algorithm); }
    std::string operator()(int number) const { return std::to_string(number); }
    std::string operator()(const std::string& text) const { return text; }
  };
  return std::visit(Visitor{}, value);
}

namespace {

// Whether a typed value is one the parser would give for the key: the same
// spec serves both, so nothing a person could not type can be stored.
bool valid_value(OptionKey key, const OptionValue& value)
{
  const auto parsed = parse_option_value(key, format_option_value(value));
  return parsed && *parsed == value;
}

std::string invalid_value_message(OptionKey key, const OptionValue& value)
{
  const auto& info = option_info(key);
  return "invalid value '" + format_option_value(value) + "' for " + std::string(info.name)
         + "; allowed: " + std::string(info.allowed);
}

} // namespace

OptionValue default_option_value(OptionKey key)
{
  return Settings{}.get(key);
}

OptionValue Settings::get(OptionKey key) const
{
  switch (key) {
  case OptionKey::internal_mfa:
    return internal_mfa;
  case OptionKey::external_mfa:
    return external_mfa;
  case OptionKey::enable_backup_codes:
    return backup_codes_enabled;
  case OptionKey::issuer:
    return issuer;
  case OptionKey::algorithm:
    return algorithm;
  case OptionKey::digits:
    return digits;
  case OptionKey::period:
    return period;
  case OptionKey::window:
    return window;
  case OptionKey::backup_code_count:
    return backup_code_count;
  case OptionKey::max_failed_attempts:
    return max_failed_attempts;
  case OptionKey::lockout_minutes:
    return lockout_minutes;
  }
  return {};
}

void Settings::set(OptionKey key, const OptionValue& value)
{
  if (!valid_value(key, value)) {
    throw InvalidArgument(invalid_value_message(key, value));
  }
  switch (key) {
  case OptionKey::internal_mfa:
    internal_mfa = std::get<Mode>(value);
    break;
  case OptionKey::external_mfa:
    external_mfa = std::get<Mode>(value);
    break;
  case OptionKey::enable_backup_codes:
    backup_codes_enabled = std::get<bool>(value);
    break;
  case OptionKey::issuer:
    issuer = std::get<std::string>(value);
    break;
  case OptionKey::algorithm:
    algorithm = std::get<Algorithm>(value);
    break;
  case OptionKey::digits:
    digits = std::get<int>(value);
    break;
  case OptionKey::period:
    period = std::get<int>(value);
    break;
  case OptionKey::window:
    window = std::get<int>(value);
    break;
  case OptionKey::backup_code_count:
    backup_code_count = std::get<int>(value);
    break;
  case OptionKey::max_failed_attempts:
    max_failed_attempts = std::get<int>(value);
    break;
  case OptionKey::lockout_minutes:
    lockout_minutes = std::get<int>(value);
    break;
  }
}

Settings detail::current_settings(detail::Store& db)
{
  return load_settings_from(db);
}

Settings load_settings(Database& db)
{
  return detail::with_store(db, [&](detail::Store& impl) { return load_settings_from(impl); });
}

std::vector<OptionRow> list_options(Database& db, std::string_view search)
{
  const Settings settings = load_settings(db);
  std::vector<OptionRow> rows;
  for (const auto& info : k_infos) {
    if (search.empty() || detail::icontains(info.name, search) || detail::icontains(info.description, search)) {
      rows.push_back({info.key, std::string(info.name), std::string(info.description),
                      format_option_value(settings.get(info.key))});
    }
  }
  return rows;
}

OptionRow get_option(Database& db, OptionKey key)
{
  const Settings settings = load_settings(db);
  const auto& info = option_info(key);
  return {key, std::string(info.name), std::string(info.description), format_option_value(settings.get(key))};
}

Outcome<OptionChange> preview_option_change(Database& db, OptionKey key, const OptionValue& value)
{
  if (!valid_value(key, value)) {
    return Outcome<OptionChange>::failure(Status::invalid, invalid_value_message(key, value),
                                          OptionChange{key, value, value, false, std::nullopt});
  }
  return detail::with_store(db, [&](detail::Store& impl) {
    const Settings settings = load_settings_from(impl);
    return Outcome<OptionChange>::success(describe_change(impl, settings, key, value));
  });
}

Outcome<OptionChange> set_option(Database& db, OptionKey key, const OptionValue& value, std::string_view actor)
{
  if (!valid_value(key, value)) {
    return Outcome<OptionChange>::failure(Status::invalid, invalid_value_message(key, value),
                                          OptionChange{key, value, value, false, std::nullopt});
  }
  return detail::with_store(db, [&](detail::Store& impl) {
    auto transaction = impl.write();
    const Settings settings = load_settings_from(impl);
    OptionChange change = describe_change(impl, settings, key, value);
    if (change.changed) {
      const std::string name(option_info(key).name);
      const std::string shown = format_option_value(value);
      impl.save_option(name, shown);
      detail::audit(impl, actor, "options.set", detail::AuditTarget::option, name, format_option_value(change.old_value),
                    shown);
      transaction.commit();
    }
    return Outcome<OptionChange>::success(std::move(change));
  });
}

} // namespace mfa
