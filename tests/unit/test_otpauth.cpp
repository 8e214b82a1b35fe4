// SPDX-License-Identifier: MIT
#include <mfa/base32.hpp>
#include <mfa/otpauth.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace mfa;

namespace {

OtpauthUri sample()
{
  OtpauthUri uri;
  uri.issuer = "ACME";
  uri.account = "alice@example.com";
  uri.secret = std::vector<std::uint8_t>(20, 0x42);
  return uri;
}

} // namespace

TEST_CASE("otpauth: builds the Key URI format")
{
  CHECK(build_otpauth_uri(sample())
        == "otpauth://totp/ACME:alice%40example.com?secret=IJBEEQSCIJBEEQSCIJBEEQSCIJBEEQSC&issuer=ACME");
  auto uri = sample();
  uri.params = {Algorithm::sha512, 8, 60};
  CHECK(build_otpauth_uri(uri).ends_with("&issuer=ACME&algorithm=SHA512&digits=8&period=60"));
  uri.params = {Algorithm::sha1, 8, 30}; // each parameter only when it differs from the default
  CHECK(build_otpauth_uri(uri).ends_with("&issuer=ACME&digits=8"));
  uri.params = {Algorithm::sha256, 6, 30};
  CHECK(build_otpauth_uri(uri).ends_with("&issuer=ACME&algorithm=SHA256"));
  uri.params = {Algorithm::sha1, 6, 60};
  CHECK(build_otpauth_uri(uri).ends_with("&issuer=ACME&period=60"));
  const auto parsed = parse_otpauth_uri(build_otpauth_uri(sample()));
  REQUIRE(parsed);
  CHECK(parsed->params.algorithm == Algorithm::sha1);
  CHECK(parsed->params.digits == 6);
  CHECK(parsed->params.period == 30);
}

TEST_CASE("otpauth: hostile labels are percent-encoded and round-trip")
{
  for (const char* account : {"a:b", "x&secret=AAAA", "hash#tag", "100%", "what?", "a/b", "with space", "Zoë",
                              "日本語", "quote\"'", "+plus"}) {
    for (const char* issuer : {"Case IQ", "Acme & Co", "Zoë/Ltd?#%", "x"}) {
      auto uri = sample();
      uri.account = account;
      uri.issuer = issuer;
      const std::string text = build_otpauth_uri(uri);
      CAPTURE(text);
      const auto label = text.substr(15, text.find('?') - 15);
      CHECK(label.find_first_of(" #?&/") == std::string::npos);
      CHECK(std::count(label.begin(), label.end(), ':') == 1);
      auto parsed = parse_otpauth_uri(text);
      REQUIRE_MESSAGE(parsed, parsed.error());
      CHECK(parsed->account == account);
      CHECK(parsed->issuer == issuer);
      CHECK(parsed->secret == uri.secret);
    }
  }
}

TEST_CASE("otpauth: parsing fills defaults and reads every parameter")
{
  auto plain = parse_otpauth_uri("otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP");
  REQUIRE(plain);
  CHECK(plain->issuer.empty());
  CHECK(plain->account == "bob");
  CHECK(plain->params.algorithm == Algorithm::sha1);
  CHECK(plain->params.digits == 6);
  CHECK(plain->params.period == 30);

  auto full = parse_otpauth_uri("otpauth://totp/Big%20Co:bob?period=60&digits=8&algorithm=sha256&issuer=Big%20Co"
                                "&secret=jbswy3dpehpk3pxp&image=https%3A%2F%2Fx");
  REQUIRE_MESSAGE(full, full.error());
  CHECK(full->issuer == "Big Co");
  CHECK(full->params.algorithm == Algorithm::sha256);
  CHECK(full->params.digits == 8);
  CHECK(full->params.period == 60);
}

TEST_CASE("otpauth: rejects what an authenticator could not use, each with a reason")
{
  const std::pair<const char*, const char*> bad[] = {
    {"https://totp/a?secret=JBSWY3DPEHPK3PXP", "not an otpauth"},
    {"otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=1", "not an otpauth"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=0", "period"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=abc", "period"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", "unknown algorithm"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=7", "digits"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PX1", "bad secret"},
    {"otpauth://totp/a?secret=JBSWY3DP", "shorter than 80 bits"},
    {"otpauth://totp/a?issuer=x", "no secret"},
    {"otpauth://totp/a?secret=", "no secret"},
    {"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=B", "differs"},
    {"otpauth://totp/a%zz?secret=JBSWY3DPEHPK3PXP", "percent"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=%4", "percent"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP", "twice"},
    {"otpauth://totp/?secret=JBSWY3DPEHPK3PXP", "no account"},
    {"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP#frag", "fragment"},
  };
  for (const auto& [text, reason] : bad) {
    const std::string shown = text;
    CAPTURE(shown);
    auto parsed = parse_otpauth_uri(text);
    REQUIRE_FALSE(parsed);
    CHECK_MESSAGE(parsed.error().find(reason) != std::string::npos, parsed.error());
  }
}
