// SPDX-License-Identifier: MIT
#pragma once

#include "helpers.hpp"

#include <mfa/enrollment.hpp>
#include <mfa/options.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>

#include <doctest/doctest.h>

#include <memory>

namespace mfa::test {

// A database in the scratch folder with a clock the test moves by hand.
struct Lifecycle
{
  std::string file;
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'800'000'000);
  Database db;

  explicit Lifecycle(std::string file_name = "mfa.db") : file(std::move(file_name)), db(open()) {}

  Database open()
  {
    auto c = config(file);
    c.clock = [t = now] { return *t; };
    return Database::create(c);
  }

  void set(OptionKey key, OptionValue value) { set_option(db, key, value, "test"); }

  void add(const std::string& name, UserType type = UserType::internal, AuthMethod auth = AuthMethod::password)
  {
    REQUIRE(add_user(db, {name, type, auth, std::nullopt}, "test").ok());
  }

  // Starts an enrollment and returns what the app would show.
  OtpauthUri begin(const std::string& name)
  {
    const auto start = begin_enrollment(db, name, "test");
    REQUIRE_MESSAGE(start.ok(), start.message);
    const auto uri = parse_otpauth_uri(start.value().uri);
    REQUIRE(uri);
    return *uri;
  }

  std::string code(const OtpauthUri& uri, int steps_from_now = 0) const
  {
    return totp(uri.secret, *now + static_cast<std::int64_t>(steps_from_now) * uri.params.period, uri.params);
  }

  // Enrolls and confirms a user; returns the URI and the backup codes.
  std::pair<OtpauthUri, std::vector<std::string>> enroll(const std::string& name)
  {
    const auto uri = begin(name);
    const auto confirmed = confirm_enrollment(db, name, code(uri), "test");
    REQUIRE_MESSAGE(confirmed.ok(), confirmed.message);
    *now += uri.params.period; // the confirming step is used; move on
    return {uri, confirmed.value().backup_codes};
  }
};

} // namespace mfa::test
