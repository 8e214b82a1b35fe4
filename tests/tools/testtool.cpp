// SPDX-License-Identifier: MIT
// A small driver over libmfa's public units, so that tests can let real peers
// (oathtool, zbarimg) judge them from the shell. The terminal renderings
// are the CLI's (app/qr_text.cpp), compiled in.
//   mfa-testtool totp HEXKEY SHA1|SHA256|SHA512 DIGITS PERIOD UNIXTIME
//   mfa-testtool qr utf8|utf8-colour|ansi|svg TEXT
#include "qr_text.hpp"

#include <mfa/qr.hpp>
#include <mfa/totp.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

std::vector<std::uint8_t> from_hex(const std::string& hex)
{
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

int usage()
{
  std::fputs("usage: mfa-testtool totp HEXKEY ALG DIGITS PERIOD TIME | qr FORM TEXT\n", stderr);
  return 2;
}

} // namespace

int main(int argc, char** argv)
{
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 6 && args[0] == "totp") {
    const auto algorithm = args[2] == "SHA256"   ? mfa::Algorithm::sha256
                           : args[2] == "SHA512" ? mfa::Algorithm::sha512
                                                 : mfa::Algorithm::sha1;
    const mfa::TotpParams params{algorithm, std::stoi(args[3]), std::stoi(args[4])};
    std::printf("%s\n", mfa::totp(from_hex(args[1]), std::stoll(args[5]), params).c_str());
    return 0;
  }
  if (args.size() == 3 && args[0] == "qr") {
    const auto qr = mfa::make_qr(args[2]);
    if (args[1] == "utf8") {
      std::fputs(mfa::app::render_qr_utf8(qr, mfa::app::QrColour::no).c_str(), stdout);
    } else if (args[1] == "utf8-colour") {
      std::fputs(mfa::app::render_qr_utf8(qr, mfa::app::QrColour::yes).c_str(), stdout);
    } else if (args[1] == "ansi") {
      std::fputs(mfa::app::render_qr_ansi(qr).c_str(), stdout);
    } else if (args[1] == "svg") {
      std::fputs(mfa::render_qr_svg(qr).c_str(), stdout);
    } else {
      return usage();
    }
    return 0;
  }
  return usage();
}
