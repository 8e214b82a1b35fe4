// SPDX-License-Identifier: MIT
// Moving enrollments out (otpauth:// URIs an authenticator app or another
// MFA server reads) and in (google-authenticator's and pam_oath's files,
// and such URIs).
#include "core/rules.hpp"
#include "storage/store.hpp"

#include "crypto/backup_code.hpp"
#include "otp/totp.hpp"
#include "util/text.hpp"

#include <mfa/base32.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/transfer.hpp>
#include <mfa/users.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace mfa {

Outcome<std::vector<ExportedEnrollment>> export_enrollments(Database& db, std::optional<std::string_view> name,
                                                            std::string_view actor)
{
  using Result = Outcome<std::vector<ExportedEnrollment>>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    // One write transaction: what is exported is what is audited.
    auto transaction = impl.write();
    const Settings settings = detail::current_settings(impl);
    std::vector<ExportedEnrollment> exported;
    const auto export_one = [&](const User& user, const detail::EnrollmentRow& enrollment) {
      const SecretBytes secret = detail::open_for(impl, user.id, enrollment.sealed_secret);
      exported.push_back({user.name, build_otpauth_uri({settings.issuer, user.name,
                                                         {secret.bytes().begin(), secret.bytes().end()},
                                                         enrollment.params})});
      detail::audit(impl, actor, "enroll.export", detail::AuditTarget::user, user.name, "active", "exported",
                    "otpauth URI");
    };
    if (name) {
      auto user = impl.find_user(*name);
      if (!user) {
        return Result::failure(Status::no_such_user, detail::no_such_user_message(*name));
      }
      if (user->enrollment != EnrollmentState::active) {
        return Result::failure(Status::not_allowed, "user '" + user->name + "' has no active enrollment to export");
      }
      const auto enrollment = impl.enrollment(user->id);
      if (!enrollment) {
        impl.damaged("enrollments", "user_id", std::to_string(user->id), "is missing for an enrolled user");
      }
      export_one(*user, *enrollment);
    } else {
      detail::for_each_enrollment(impl, {EnrollmentState::active}, export_one);
    }
    transaction.commit();
    return Result::success(std::move(exported));
  });
}

namespace {

// The longest secret imported (RFC 4226 asks for at least 128 bits; mfa's
// own are 160; 512 bits is SHA-512's block).
constexpr std::size_t k_max_import_secret = 64;
constexpr std::size_t k_min_import_secret = 10; // 80 bits, as parse_otpauth_uri

// One user's enrollment as a file gave it.
struct ImportEntry
{
  std::int64_t line = 0;
  std::string user;
  SecretBytes secret;
  TotpParams params;
  std::vector<std::string> scratch_codes;
  std::vector<std::int64_t> used_steps; // DISALLOW_REUSE's
  bool pin_dropped = false;             // users.oath: a PIN mfa does not keep
};

// google-authenticator makes at most 10 scratch codes.
constexpr std::size_t k_max_scratch_codes = 10;

using Entries = Outcome<std::vector<ImportEntry>>;

Entries line_error(std::int64_t line, const std::string& problem)
{
  return Entries::failure(Status::invalid, "line " + std::to_string(line) + ": " + problem);
}

// The file's lines, numbered from 1, without their line ends.
std::vector<std::pair<std::int64_t, std::string_view>> numbered_lines(std::string_view text)
{
  std::vector<std::pair<std::int64_t, std::string_view>> lines;
  std::int64_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.emplace_back(++number, line);
  }
  return lines;
}

std::vector<std::string_view> fields_of(std::string_view line)
{
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      ++i;
    }
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      ++i;
    }
    if (i > start) {
      fields.push_back(line.substr(start, i - start));
    }
  }
  return fields;
}

bool has_control_character(std::string_view line)
{
  return std::any_of(line.begin(), line.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  });
}

std::optional<std::int64_t> number_of(std::string_view text)
{
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> secret_problem(std::size_t size)
{
  if (size < k_min_import_secret) {
    return "the secret is shorter than 80 bits";
  }
  if (size > k_max_import_secret) {
    return "the secret is longer than 512 bits";
  }
  return std::nullopt;
}

bool is_digits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ~/.google_authenticator, as google-authenticator(1) writes it.
Entries parse_google_authenticator(std::string_view text, std::string_view user)
{
  ImportEntry entry;
  entry.user = std::string(user);
  entry.line = 1;
  bool have_secret = false;
  std::map<std::string, std::int64_t, std::less<>> scratch_lines;
  for (const auto& [number, line] : numbered_lines(text)) {
    if (has_control_character(line)) {
      return line_error(number, "a control character");
    }
    if (detail::trim(line).empty()) {
      continue;
    }
    if (!have_secret) {
      const auto secret = base32_decode(detail::trim(line));
      if (!secret) {
        return line_error(number, "not a base32 secret (" + secret.error() + ")");
      }
      if (auto problem = secret_problem(secret->size())) {
        return line_error(number, *problem);
      }
      entry.secret = SecretBytes(*secret);
      have_secret = true;
      continue;
    }
    if (line.rfind("\" ", 0) == 0) {
      const auto fields = fields_of(line.substr(2));
      const std::string_view option = fields.empty() ? std::string_view() : fields[0];
      const auto numbers_from = [&](std::size_t first) {
        for (std::size_t i = first; i < fields.size(); ++i) {
          if (!number_of(fields[i])) {
            return false;
          }
        }
        return true;
      };
      if (option == "HOTP_COUNTER") {
        return line_error(number, "a counter-based (HOTP) file; mfa imports time-based (TOTP) ones only");
      }
      if (option == "TOTP_AUTH" && fields.size() == 1) {
        continue;
      }
      if (option == "STEP_SIZE" && fields.size() == 2 && number_of(fields[1])) {
        const std::int64_t step = *number_of(fields[1]);
        if (step < k_min_period || step > k_max_period) {
          return line_error(number, "STEP_SIZE " + std::to_string(step) + " is outside " + std::to_string(k_min_period)
                                      + " to " + std::to_string(k_max_period) + " seconds");
        }
        entry.params.period = static_cast<int>(step);
        continue;
      }
      if (option == "WINDOW_SIZE" && fields.size() == 2 && numbers_from(1)) {
        continue; // mfa's own window (mfaWindow) applies
      }
      if (option == "RATE_LIMIT" && fields.size() >= 3 && numbers_from(1)) {
        continue; // mfa's own lockout applies
      }
      if (option == "DISALLOW_REUSE" && numbers_from(1)) {
        for (std::size_t i = 1; i < fields.size(); ++i) {
          entry.used_steps.push_back(*number_of(fields[i]));
        }
        continue;
      }
      return line_error(number, "an option line mfa does not know (" + std::string(option) + ")");
    }
    const std::string_view code = detail::trim(line);
    if (code.size() != 8 || !is_digits(code)) {
      return line_error(number, "neither an option line nor an 8-digit scratch code");
    }
    const auto [seen, added] = scratch_lines.emplace(std::string(code), number);
    if (!added) {
      return line_error(number, "the scratch code of line " + std::to_string(seen->second) + " again");
    }
    if (entry.scratch_codes.size() == k_max_scratch_codes) {
      return line_error(number, "more than " + std::to_string(k_max_scratch_codes)
                                  + " scratch codes (google-authenticator makes at most 10)");
    }
    entry.scratch_codes.emplace_back(code);
  }
  if (!have_secret) {
    return Entries::failure(Status::invalid, "the file is empty: a google-authenticator file begins with its secret");
  }
  std::vector<ImportEntry> entries;
  entries.push_back(std::move(entry));
  return Entries::success(std::move(entries));
}

// "HOTP/T30", "HOTP/T60/8": the period and digits of a time-based type.
std::optional<std::string> oath_type(std::string_view type, TotpParams& params)
{
  if (type == "HOTP" || type.rfind("HOTP/E", 0) == 0) {
    return "a counter-based (" + std::string(type) + ") token; mfa imports time-based (HOTP/T) ones only";
  }
  if (type.rfind("HOTP/T", 0) != 0) {
    return "an unknown token type '" + std::string(type) + "' (HOTP/T30, HOTP/T30/6 or HOTP/T60/8, say)";
  }
  std::string_view rest = type.substr(6);
  const auto slash = rest.find('/');
  const auto period = number_of(rest.substr(0, slash));
  if (!period) {
    return "an unknown token type '" + std::string(type) + "' (HOTP/T30, HOTP/T30/6 or HOTP/T60/8, say)";
  }
  if (*period < k_min_period || *period > k_max_period) {
    return "a time step of " + std::to_string(*period) + " seconds, outside " + std::to_string(k_min_period) + " to "
           + std::to_string(k_max_period);
  }
  params.period = static_cast<int>(*period);
  if (slash != std::string_view::npos) {
    const std::string_view digits = rest.substr(slash + 1);
    if (digits != "6" && digits != "8") {
      return std::string(digits) + " digits; mfa's codes have 6 or 8";
    }
    params.digits = digits == "8" ? 8 : 6;
  }
  return std::nullopt;
}

// pam_oath's users file.
Entries parse_users_oath(std::string_view text)
{
  std::vector<ImportEntry> entries;
  for (const auto& [number, line] : numbered_lines(text)) {
    if (has_control_character(line)) {
      return line_error(number, "a control character");
    }
    const auto fields = fields_of(line);
    if (fields.empty() || fields[0].front() == '#') {
      continue;
    }
    if (fields.size() < 4) {
      return line_error(number, "expected TYPE USER PIN SECRET (pam_oath's users file)");
    }
    ImportEntry entry;
    entry.line = number;
    entry.user = std::string(fields[1]);
    entry.pin_dropped = fields[2] != "-";
    if (auto problem = oath_type(fields[0], entry.params)) {
      return line_error(number, *problem);
    }
    const std::string_view hex = fields[3];
    std::vector<std::uint8_t> bytes;
    bool valid = hex.size() % 2 == 0;
    for (std::size_t i = 0; valid && i < hex.size(); i += 2) {
      const int hi = detail::hex_digit(hex[i]);
      const int lo = detail::hex_digit(hex[i + 1]);
      valid = hi >= 0 && lo >= 0;
      bytes.push_back(static_cast<std::uint8_t>(valid ? hi * 16 + lo : 0));
    }
    if (!valid) {
      detail::cleanse(bytes);
      return line_error(number, "the secret is not hexadecimal");
    }
    if (auto problem = secret_problem(bytes.size())) {
      detail::cleanse(bytes);
      return line_error(number, *problem);
    }
    entry.secret = SecretBytes(std::move(bytes));
    entries.push_back(std::move(entry));
  }
  return Entries::success(std::move(entries));
}

// "NAME otpauth://totp/..." lines, as export_enrollments prints them.
Entries parse_otpauth_lines(std::string_view text)
{
  constexpr std::string_view k_marker = " otpauth://";
  std::vector<ImportEntry> entries;
  for (auto [number, line] : numbered_lines(text)) {
    if (has_control_character(line)) {
      return line_error(number, "a control character");
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      continue;
    }
    const auto at = line.rfind(k_marker);
    if (at == std::string_view::npos || at == 0) {
      return line_error(number, "expected NAME otpauth://totp/...");
    }
    const auto uri = parse_otpauth_uri(line.substr(at + 1));
    if (!uri) {
      return line_error(number, uri.error());
    }
    if (auto problem = secret_problem(uri->secret.size())) {
      return line_error(number, *problem);
    }
    ImportEntry entry;
    entry.line = number;
    entry.user = std::string(line.substr(0, at));
    entry.secret = SecretBytes(uri->secret);
    entry.params = uri->params;
    entries.push_back(std::move(entry));
  }
  return Entries::success(std::move(entries));
}

const char* format_name(ImportFormat format)
{
  switch (format) {
  case ImportFormat::google_authenticator:
    return "google-authenticator";
  case ImportFormat::users_oath:
    return "users.oath";
  case ImportFormat::otpauth:
    break;
  }
  return "otpauth";
}

} // namespace

std::optional<ImportFormat> parse_import_format(std::string_view name)
{
  for (const auto format : {ImportFormat::google_authenticator, ImportFormat::users_oath, ImportFormat::otpauth}) {
    if (name == format_name(format)) {
      return format;
    }
  }
  return std::nullopt;
}

Outcome<ImportReport> import_enrollments(Database& db, ImportFormat format, std::string_view text,
                                         std::optional<std::string_view> user, std::string_view actor)
{
  using Result = Outcome<ImportReport>;
  if ((format == ImportFormat::google_authenticator) != user.has_value()) {
    return Result::failure(Status::invalid, format == ImportFormat::google_authenticator
                                              ? "a google-authenticator file is one user's: name the user"
                                              : std::string("a ") + format_name(format)
                                                  + " file names its users; a user is named only for a "
                                                    "google-authenticator file");
  }
  Entries parsed = format == ImportFormat::google_authenticator ? parse_google_authenticator(text, *user)
                   : format == ImportFormat::users_oath         ? parse_users_oath(text)
                                                                : parse_otpauth_lines(text);
  if (!parsed.ok()) {
    return Result::failure(parsed.status, parsed.message);
  }
  const std::vector<ImportEntry>& entries = parsed.value();
  if (entries.empty()) {
    return Result::failure(Status::invalid, std::string("the file holds no enrollment (") + format_name(format) + ")");
  }
  std::map<std::string_view, std::int64_t> first_line;
  for (const auto& entry : entries) {
    const auto [at, added] = first_line.emplace(entry.user, entry.line);
    if (!added) {
      return Result::failure(Status::invalid, "line " + std::to_string(entry.line) + ": user '" + entry.user
                                                + "' is also on line " + std::to_string(at->second));
    }
  }
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    // The slow hashes of the scratch codes, before the write lock.
    std::vector<std::vector<BackupCodeHash>> hashes(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      for (const auto& code : entries[i].scratch_codes) {
        hashes[i].push_back(hash_backup_code(code, impl.random()));
      }
    }
    auto transaction = impl.write();
    ImportReport report;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const ImportEntry& entry = entries[i];
      const std::string where = "line " + std::to_string(entry.line) + ": ";
      const auto found = impl.find_user(entry.user);
      if (!found) {
        return Result::failure(Status::no_such_user, where + detail::no_such_user_message(entry.user));
      }
      if (found->auth == AuthMethod::sso) {
        return Result::failure(Status::not_allowed,
                               where + "user '" + found->name + "' signs in with SSO and never uses MFA");
      }
      if (found->enrollment == EnrollmentState::active) {
        return Result::failure(Status::not_allowed, where + "user '" + found->name
                                                      + "' is already enrolled and active; reset the user first");
      }
      validate(entry.params);
      // The newest step the old tool saw used, among those not in the
      // future (a bogus one must not make every code "reused").
      const std::int64_t step_now = totp_step(impl.now(), entry.params.period);
      std::int64_t last_step = 0;
      for (const auto step : entry.used_steps) {
        if (step <= step_now) {
          last_step = std::max(last_step, step);
        }
      }
      impl.save_pending_enrollment(found->id, detail::seal_for(impl, found->id, entry.secret), entry.params);
      impl.activate_enrollment(found->id, last_step);
      if (!hashes[i].empty()) {
        impl.replace_backup_codes(found->id, hashes[i]);
      }
      report.imported += 1;
      report.pins_dropped += entry.pin_dropped ? 1 : 0;
      report.backup_codes += static_cast<std::int64_t>(hashes[i].size());
      std::string reason = std::string(format_name(format)) + " " + where.substr(0, where.size() - 2);
      if (!hashes[i].empty()) {
        reason += ", " + std::to_string(hashes[i].size()) + " scratch codes as backup codes";
      }
      detail::audit(impl, actor, "enroll.import", detail::AuditTarget::user, found->name,
                    found->enrollment == EnrollmentState::pending ? "pending" : "none", "active", reason);
    }
    transaction.commit();
    return Result::success(report);
  });
}

} // namespace mfa
