// SPDX-License-Identifier: MIT
// Logins for tests/bench/run.sh, through libmfa's public API:
//   bench_logins enroll DB PREFIX COUNT    adds users PREFIX0.., enrolled now
//                                          (the CLI's key file), secrets in DB.PREFIX
//   bench_logins codes DB PREFIX FROM COUNT
//                                          prints "PREFIXi CODE,..." for now, a
//                                          hyperfine parameter list: each whole-process
//                                          `mfa verify` run is then a fresh login
//   bench_logins setup DB USERS            a database of users c0..cN-1, enrolled
//                                          on a clock of its own; secrets in DB.c
//   bench_logins run DB INDEX START SECONDS
//                                          from the epoch second START, verifies
//                                          user cINDEX for SECONDS; prints
//                                          "logins p50_us p99_us errors"
//   bench_logins fsync FOLDER SECONDS      prints durable 4 KiB writes per second
// In `run` each process has its own clock that moves on 30 s a login, so
// every login is a fresh time step: the full durable write of a real login.
#include <mfa/base32.hpp>
#include <mfa/database.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/error.hpp>
#include <mfa/options.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/paths.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

mfa::Database::Config config_for(const std::string& db, std::shared_ptr<std::int64_t> now)
{
  mfa::Database::Config config;
  config.paths = {db, db + ".key"};
  config.clock = [now] { return *now; };
  return config;
}

// Adds users PREFIX0.. and enrolls each, confirmed at the database's clock;
// their secrets, a line each, go to DB.PREFIX.
int enroll_users(mfa::Database& database, const mfa::Clock& clock, const std::string& prefix, int count)
{
  std::ofstream secrets(database.paths().database + "." + prefix);
  for (int i = 0; i < count; ++i) {
    const std::string name = prefix + std::to_string(i);
    mfa::add_user(database, {name, mfa::UserType::internal, mfa::AuthMethod::password, std::nullopt}, "bench");
    const auto uri = *mfa::parse_otpauth_uri(mfa::begin_enrollment(database, name, "bench").value().uri);
    if (!mfa::confirm_enrollment(database, name, mfa::totp(uri.secret, clock(), uri.params), "bench").ok()) {
      std::cerr << "confirming " << name << " failed\n";
      return 1;
    }
    secrets << mfa::base32_encode(uri.secret) << '\n';
  }
  return 0;
}

int setup(const std::string& db, int users)
{
  const auto config = config_for(db, std::make_shared<std::int64_t>(1'800'000'000));
  auto database = mfa::Database::create(config);
  mfa::set_option(database, mfa::OptionKey::internal_mfa, mfa::Mode::required, "bench");
  return enroll_users(database, config.clock, "c", users);
}

std::vector<std::string> read_secrets(const std::string& file)
{
  std::ifstream in(file);
  std::vector<std::string> secrets;
  for (std::string line; std::getline(in, line);) {
    secrets.push_back(line);
  }
  return secrets;
}

int enroll(const std::string& db, const std::string& prefix, int count)
{
  mfa::Database::Config config;
  config.paths = {db, mfa::default_key_file(db)};
  // Enrolled and confirmed on a clock 30 s behind: the logins timed next
  // are of a later time step, so each is accepted.
  config.clock = [] { return mfa::system_clock()() - 30; };
  auto database = mfa::Database::open(config);
  return enroll_users(database, config.clock, prefix, count);
}

int codes(const std::string& db, const std::string& prefix, int from, int count)
{
  const auto secrets = read_secrets(db + "." + prefix);
  const auto now = mfa::system_clock()();
  for (int i = from; i < from + count; ++i) {
    const auto key = mfa::base32_decode(secrets.at(static_cast<std::size_t>(i)));
    std::printf("%s%s%d %s", i == from ? "" : ",", prefix.c_str(), i, mfa::totp(*key, now, mfa::TotpParams{}).c_str());
  }
  std::printf("\n");
  return 0;
}

int run(const std::string& db, int index, std::int64_t start, int seconds)
{
  const auto secrets = read_secrets(db + ".c");
  const auto key = mfa::base32_decode(index < static_cast<int>(secrets.size()) ? secrets[static_cast<std::size_t>(index)] : "!");
  if (!key) {
    std::cerr << "no secret for user " << index << '\n';
    return 1;
  }
  // Starts every clock well after the setup's step, apart per process.
  auto now = std::make_shared<std::int64_t>(1'900'000'000 + std::int64_t{index} * 100'000'000);
  auto database = mfa::Database::open(config_for(db, now));
  const std::string name = std::string("c").append(std::to_string(index));
  const mfa::TotpParams params{};
  while (std::chrono::system_clock::now().time_since_epoch() < std::chrono::seconds(start)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto end = Steady::now() + std::chrono::seconds(seconds);
  std::vector<double> latencies;
  latencies.reserve(100'000);
  int errors = 0;
  while (Steady::now() < end) {
    *now += 30;
    const std::string code = mfa::totp(*key, *now, params);
    const auto t0 = Steady::now();
    try {
      const auto outcome = mfa::verify_code(database, name, code, "bench");
      if (!outcome.ok()) {
        ++errors;
        std::cerr << name << ": " << outcome.message << '\n';
      }
    } catch (const mfa::Error& e) {
      ++errors; // "locked by another process": a busy wait that gave up
      std::cerr << name << ": " << e.what() << '\n';
    }
    latencies.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
  }
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) {
    return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1))];
  };
  std::printf("%zu %.0f %.0f %d\n", latencies.size() - static_cast<std::size_t>(errors), at(0.5), at(0.99), errors);
  return 0;
}

int fsync_rate(const std::string& folder, int seconds)
{
  const std::string path = folder + "/fsync.probe";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    return 1;
  }
  std::vector<char> page(4096, 'x');
  long count = 0;
  const auto end = Steady::now() + std::chrono::seconds(seconds);
  while (Steady::now() < end) {
    // Appends like a WAL frame, then syncs, as each commit does.
    if (::pwrite(fd, page.data(), page.size(), static_cast<off_t>((count % 256) * 4096)) < 0 || ::fdatasync(fd) != 0) {
      std::perror(path.c_str());
      return 1;
    }
    ++count;
  }
  ::close(fd);
  ::unlink(path.c_str());
  std::printf("%.0f\n", static_cast<double>(count) / seconds);
  return 0;
}

} // namespace

int main(int argc, char** argv)
{
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 4 && args[0] == "enroll") {
      return enroll(args[1], args[2], std::stoi(args[3]));
    }
    if (args.size() == 5 && args[0] == "codes") {
      return codes(args[1], args[2], std::stoi(args[3]), std::stoi(args[4]));
    }
    if (args.size() == 3 && args[0] == "setup") {
      return setup(args[1], std::stoi(args[2]));
    }
    if (args.size() == 5 && args[0] == "run") {
      return run(args[1], std::stoi(args[2]), std::stoll(args[3]), std::stoi(args[4]));
    }
    if (args.size() == 3 && args[0] == "fsync") {
      return fsync_rate(args[1], std::stoi(args[2]));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_logins: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: bench_logins enroll DB PREFIX COUNT | codes DB PREFIX FROM COUNT | setup DB USERS\n"
               "       | run DB INDEX START SECONDS | fsync FOLDER SECONDS\n";
  return 2;
}
