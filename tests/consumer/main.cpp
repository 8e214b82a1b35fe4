// SPDX-License-Identifier: MIT
// A login front end in miniature: asks libmfa what a login needs, enrolls,
// and verifies a code, using nothing but the installed public headers.
//   consumer DATABASE
#include <mfa/database.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/error.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/policy.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv)
{
  if (argc != 2) {
    std::fputs("usage: consumer DATABASE\n", stderr);
    return 2;
  }
  try {
    mfa::Database::Config config;
    config.paths = {argv[1], mfa::default_key_file(argv[1])};
    auto db = mfa::Database::create(config);
    mfa::set_option(db, mfa::OptionKey::internal_mfa, mfa::Mode::required, "consumer");
    mfa::add_user(db, {"dana", mfa::UserType::internal, mfa::AuthMethod::password, std::nullopt}, "consumer");
    std::printf("before: %s\n", mfa::to_string(mfa::user_status(db, "dana").value().decision));

    const auto start = mfa::begin_enrollment(db, "dana", "consumer");
    const auto uri = mfa::parse_otpauth_uri(start.value().uri);
    const auto now = mfa::system_clock()();
    // The current step confirms; the next one (inside the default window of
    // one step) logs in. Both hold even if a step boundary passes meanwhile.
    const auto confirmed = mfa::confirm_enrollment(db, "dana", mfa::totp(uri->secret, now, uri->params), "consumer");
    std::printf("confirmed: %s\n", confirmed.ok() ? "yes" : confirmed.message.c_str());
    std::printf("after: %s\n", mfa::to_string(mfa::user_status(db, "dana").value().decision));

    const auto next = now + uri->params.period;
    const auto verified = mfa::verify_code(db, "dana", mfa::totp(uri->secret, next, uri->params), "consumer");
    std::printf("verify: %s\n", verified.ok() ? "accepted" : verified.message.c_str());
    const auto replay = mfa::verify_code(db, "dana", mfa::totp(uri->secret, next, uri->params), "consumer");
    std::printf("replay: %s\n", replay.ok() ? "accepted" : mfa::to_string(replay.details().reason));
    return verified.ok() && !replay.ok() ? 0 : 1;
  } catch (const mfa::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
}
