// SPDX-License-Identifier: MIT
#include "core/rules.hpp"
#include "storage/store.hpp"
#include "util/names.hpp"
#include "util/text.hpp"

#include <mfa/error.hpp>
#include <mfa/options.hpp>

#include <array>
#include <type_traits>
#include <variant>

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

// Where Settings keeps an option's value.
using Field = std::variant<Mode Settings::*, bool Settings::*, std::string Settings::*, Algorithm Settings::*,
                           int Settings::*>;

struct Spec
{
  OptionInfo info;
  Kind kind;
  Field field;
  int min = 0;
  int max = 0;
};

constexpr std::string_view k_mode_values = "Off, On (Required), On (Optional) (or off, required, optional)";

constexpr std::array<Spec, 11> k_specs = {{
  {{OptionKey::internal_mfa, "internalMFA", "Enable or disable MFA for users of your main application",
    k_mode_values},
   Kind::mode, &Settings::internal_mfa},
  {{OptionKey::external_mfa, "externalMFA",
    "Enable or disable MFA for external accounts, including portal users, hotline agents, and any external "
    "parties granted access to cases",
    k_mode_values},
   Kind::mode, &Settings::external_mfa},
  {{OptionKey::enable_backup_codes, "enableMFABackupCodes", "Allow or prevent users from logging in with backup codes",
    "Yes, No"},
   Kind::yes_no, &Settings::backup_codes_enabled},
  {{OptionKey::issuer, "mfaIssuer", "Issuer name shown in authenticator apps for new MFA enrollments",
    "1 to 64 printable characters, no ':'"},
   Kind::issuer, &Settings::issuer},
  {{OptionKey::algorithm, "mfaAlgorithm", "HMAC algorithm of new MFA enrollments", "SHA1, SHA256, SHA512"},
   Kind::algorithm, &Settings::algorithm},
  {{OptionKey::digits, "mfaDigits", "Number of digits in the codes of new MFA enrollments", "6, 8"},
   Kind::integer, &Settings::digits, 6, 8},
  {{OptionKey::period, "mfaPeriod", "Seconds each code of new MFA enrollments is valid for",
    "15 to 300 (seconds)"},
   Kind::integer, &Settings::period, 15, 300},
  {{OptionKey::window, "mfaWindow", "MFA time steps accepted either side of now, for clock drift", "0 to 10"},
   Kind::integer, &Settings::window, 0, 10},
  {{OptionKey::backup_code_count, "mfaBackupCodeCount", "Number of MFA backup codes generated for a user", "1 to 20"},
   Kind::integer, &Settings::backup_code_count, 1, 20},
  {{OptionKey::max_failed_attempts, "mfaMaxFailedAttempts",
    "Consecutive failed MFA attempts that lock a user (0 never locks)", "0 to 100"},
   Kind::integer, &Settings::max_failed_attempts, 0, 100},
  {{OptionKey::lockout_minutes, "mfaLockoutMinutes", "Minutes a user stays locked out after too many failed MFA attempts",
    "1 to 1440"},
   Kind::integer, &Settings::lockout_minutes, 1, 1440},
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

// As shown; parse_mode() also takes off, required and optional.
constexpr std::array<detail::Named<Mode>, 3> k_modes = {{
  {Mode::off, "Off"},
  {Mode::required, "On (Required)"},
  {Mode::optional, "On (Optional)"},
}};
constexpr std::array<detail::Named<Mode>, 3> k_mode_words = {{
  {Mode::off, "off"},
  {Mode::required, "required"},
  {Mode::optional, "optional"},
}};
constexpr std::array<detail::Named<Algorithm>, 3> k_algorithms = {{
  {Algorithm::sha1, "SHA1"},
  {Algorithm::sha256, "SHA256"},
  {Algorithm::sha512, "SHA512"},
}};

const char* mode_text(Mode mode)
{
  return detail::name_of(k_modes, mode);
}

} // namespace

const char* to_string(Algorithm algorithm)
{
  return detail::name_of(k_algorithms, algorithm);
}

std::optional<OptionValue> parse_mode(std::string_view text)
{
  if (auto mode = detail::parse_name(k_modes, text)) {
    return *mode;
  }
  if (auto mode = detail::parse_name(k_mode_words, text)) {
    return *mode;
  }
  return std::nullopt;
}

std::optional<Algorithm> parse_algorithm(std::string_view text)
{
  return detail::parse_name(k_algorithms, text);
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
  return std::visit([this](auto field) { return OptionValue(this->*field); }, spec(key).field);
}

void Settings::set(OptionKey key, const OptionValue& value)
{
  if (!valid_value(key, value)) {
    throw InvalidArgument(invalid_value_message(key, value));
  }
  std::visit(
    [&](auto field) {
      using Value = std::remove_reference_t<decltype(this->*field)>;
      this->*field = std::get<Value>(value);
    },
    spec(key).field);
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
