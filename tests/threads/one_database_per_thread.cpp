// SPDX-License-Identifier: MIT
// The threading rule (lib/include/mfa/database.hpp): a Database is one
// SQLite connection, used by one thread at a time; different Database
// objects on the same file may be used from different threads at once.
// N threads each open their own Database on one file and, all at once,
// verify the same TOTP code and the same backup code of one user (each is
// accepted exactly once across the threads), a code of their own user
// (accepted), and wrong codes for another user (every one counted). The
// counts are checked afterwards. CTest runs it as built, and again built
// with -fsanitize=thread (tests/threads/run_tsan.sh).
//   mfa-thread-test SCRATCH_FOLDER   (emptied first)
#include "../abi/scratch.hpp"

#include <mfa/audit.hpp>
#include <mfa/database.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/error.hpp>
#include <mfa/options.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/totp.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <atomic>
#include <cstdio>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int k_threads = 8;
constexpr int k_wrong_codes_per_thread = 5;
constexpr std::int64_t k_enrolled_at = 1'800'000'000;

std::mutex problems_mutex;
std::vector<std::string> problems;

void problem(std::string text)
{
  const std::lock_guard lock(problems_mutex);
  problems.push_back(std::move(text));
}

mfa::Database::Config config(const std::string& folder, std::int64_t now)
{
  mfa::Database::Config c;
  c.paths = {folder + "/mfa.db", folder + "/mfa.key"};
  c.clock = [now] { return now; };
  return c;
}

struct Enrolled
{
  mfa::OtpauthUri uri;
  std::vector<std::string> backup_codes;
};

Enrolled enroll(mfa::Database& db, const std::string& name)
{
  if (!mfa::add_user(db, {name, mfa::UserType::internal, mfa::AuthMethod::password, std::nullopt}, "setup").ok()) {
    throw mfa::Error("cannot add " + name);
  }
  const auto start = mfa::begin_enrollment(db, name, "setup");
  if (!start.ok()) {
    throw mfa::Error("cannot enroll " + name + ": " + start.message);
  }
  const auto uri = mfa::parse_otpauth_uri(start.value().uri);
  if (!uri) {
    throw mfa::Error("cannot read the URI of " + name + ": " + uri.error());
  }
  const auto confirmed = mfa::confirm_enrollment(db, name, mfa::totp(uri->secret, k_enrolled_at, uri->params), "setup");
  if (!confirmed.ok() || confirmed.value().backup_codes.empty()) {
    throw mfa::Error("cannot confirm " + name + ": " + confirmed.message);
  }
  return {*uri, confirmed.value().backup_codes};
}

// A code that none of the steps mfaWindow (1) around `now` produce.
std::string wrong_code(const mfa::OtpauthUri& uri, std::int64_t now)
{
  for (char digit = '0';; ++digit) {
    const std::string candidate(static_cast<std::size_t>(uri.params.digits), digit);
    bool valid = false;
    for (int step = -1; step <= 1; ++step) {
      valid = valid || mfa::totp(uri.secret, now + step * uri.params.period, uri.params) == candidate;
    }
    if (!valid) {
      return candidate;
    }
  }
}

std::string own_user(int thread)
{
  return "own-" + std::to_string(thread);
}

} // namespace

int main(int argc, char** argv)
{
  const auto scratch = mfa::test::scratch_folder(argc, argv, "mfa-thread-test");
  if (!scratch) {
    return 2;
  }
  const std::string& folder = *scratch;

  // Set up in one thread: MFA required, failures never lock (so every wrong
  // code is counted), users enrolled at k_enrolled_at.
  Enrolled shared;
  std::vector<Enrolled> own;
  mfa::OtpauthUri victim;
  {
    auto db = mfa::Database::create(config(folder, k_enrolled_at));
    mfa::set_option(db, mfa::OptionKey::internal_mfa, mfa::Mode::required, "setup");
    mfa::set_option(db, mfa::OptionKey::max_failed_attempts, 0, "setup");
    shared = enroll(db, "shared");
    victim = enroll(db, "victim").uri;
    for (int t = 0; t < k_threads; ++t) {
      own.push_back(enroll(db, own_user(t)));
    }
  }
  // The threads log in one step later (the confirming step is used).
  const std::int64_t now = k_enrolled_at + shared.uri.params.period;
  const std::string shared_code = mfa::totp(shared.uri.secret, now, shared.uri.params);
  const std::string shared_backup_code = shared.backup_codes.front();
  const std::string bad_code = wrong_code(victim, now);

  std::atomic<int> totp_accepted{0};
  std::atomic<int> totp_rejected{0};
  std::atomic<int> backup_accepted{0};
  std::atomic<int> backup_rejected{0};
  std::latch opened(k_threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      try {
        auto db = mfa::Database::open(config(folder, now));
        opened.arrive_and_wait(); // every thread has its connection: go
        const auto count = [](const mfa::Outcome<mfa::VerifyResult>& result, std::atomic<int>& accepted,
                              std::atomic<int>& rejected) {
          if (result.ok()) {
            ++accepted;
          } else if (result.status == mfa::Status::rejected) {
            ++rejected;
          } else {
            problem("an attempt on shared ended neither accepted nor rejected: " + result.message);
          }
        };
        count(mfa::verify_code(db, "shared", shared_code, "thread"), totp_accepted, totp_rejected);
        const auto& mine = own[static_cast<std::size_t>(t)].uri;
        const auto result = mfa::verify_code(db, own_user(t), mfa::totp(mine.secret, now, mine.params), "thread");
        if (!result.ok()) {
          problem(own_user(t) + "'s own code was not accepted: " + result.message);
        }
        for (int i = 0; i < k_wrong_codes_per_thread; ++i) {
          if (mfa::verify_code(db, "victim", bad_code, "thread").status != mfa::Status::rejected) {
            problem("a wrong code for victim was not rejected");
          }
        }
        count(mfa::verify_code(db, "shared", shared_backup_code, "thread"), backup_accepted, backup_rejected);
      } catch (const std::exception& e) {
        problem(std::string("thread ") + std::to_string(t) + " threw: " + e.what());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  // The counts, afterwards, through a new connection.
  auto db = mfa::Database::open(config(folder, now));
  if (totp_accepted != 1 || totp_rejected != k_threads - 1) {
    problem("the shared TOTP code was accepted " + std::to_string(totp_accepted) + " times and rejected " +
            std::to_string(totp_rejected) + " times (expected once, and " + std::to_string(k_threads - 1) + ")");
  }
  if (backup_accepted != 1 || backup_rejected != k_threads - 1) {
    problem("the shared backup code was accepted " + std::to_string(backup_accepted) + " times and rejected " +
            std::to_string(backup_rejected) + " times (expected once, and " + std::to_string(k_threads - 1) + ")");
  }
  const auto victim_row = mfa::find_user(db, "victim");
  const int expected_failures = k_threads * k_wrong_codes_per_thread;
  if (!victim_row.ok() || victim_row.value().failed_attempts != expected_failures) {
    problem("victim has " + std::to_string(victim_row.ok() ? victim_row.value().failed_attempts : -1) +
            " failed attempts recorded (expected " + std::to_string(expected_failures) + ")");
  }
  const auto audited = mfa::audit_log(db, {.user = std::string("victim"), .action = std::string("verify")});
  if (static_cast<int>(audited.size()) != expected_failures) {
    problem("the audit log has " + std::to_string(audited.size()) + " verify entries for victim (expected " +
            std::to_string(expected_failures) + ")");
  }
  for (const auto& text : problems) {
    std::printf("FAIL %s\n", text.c_str());
  }
  if (problems.empty()) {
    std::printf("ok: %d threads, one Database each: each shared code accepted once, %d failures counted\n",
                k_threads, expected_failures);
  }
  return problems.empty() ? 0 : 1;
}
