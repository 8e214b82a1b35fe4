// SPDX-License-Identifier: MIT
// In-process throughput of libmfa's login check, against the rate of bare
// durable SQLite commits on a file in the same folder, and the HMAC-only cost
// of one code. Run by tests/bench/run.sh (Google Benchmark).
#include "otp/totp.hpp"

#include <mfa/database.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/options.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>

#include <benchmark/benchmark.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace {

std::filesystem::path bench_folder()
{
  const char* dir = std::getenv("MFA_BENCH_DIR");
  auto path = std::filesystem::path(dir != nullptr ? dir : "/tmp") / "mfa-gbench";
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  return path;
}

void verify_durable(benchmark::State& state)
{
  const auto folder = bench_folder();
  auto now = std::make_shared<std::int64_t>(1'800'000'000);
  mfa::Database::Config config;
  config.paths = {(folder / "verify.db").string(), (folder / "verify.key").string()};
  config.clock = [now] { return *now; };
  auto db = mfa::Database::create(config);
  mfa::set_option(db, mfa::OptionKey::internal_mfa, mfa::Mode::required, "bench");
  mfa::add_user(db, {"bench", mfa::UserType::internal, mfa::AuthMethod::password, std::nullopt}, "bench");
  const auto uri = *mfa::parse_otpauth_uri(mfa::begin_enrollment(db, "bench", "bench").value().uri);
  if (!mfa::confirm_enrollment(db, "bench", mfa::totp(uri.secret, *now, uri.params), "bench").ok()) {
    throw std::runtime_error("confirm failed");
  }
  for (auto _ : state) {
    *now += 30; // a fresh time step each time, as logins spread over time
    const auto result = mfa::verify_code(db, "bench", mfa::totp(uri.secret, *now, uri.params), "bench");
    if (!result.ok()) {
      state.SkipWithError(result.message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void sqlite_durable_commit(benchmark::State& state)
{
  const auto folder = bench_folder();
  SQLite::Database sql((folder / "floor.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  sql.exec("PRAGMA journal_mode = WAL");
  sql.exec("PRAGMA synchronous = FULL");
  sql.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT UNIQUE, last_step INTEGER)");
  sql.exec("INSERT INTO users (name, last_step) VALUES ('bench', 0)");
  SQLite::Statement update(sql, "UPDATE users SET last_step = last_step + 1 WHERE id = 1");
  for (auto _ : state) {
    update.exec();
    update.reset();
  }
  state.SetItemsProcessed(state.iterations());
}

void hmac_code(benchmark::State& state)
{
  const std::vector<std::uint8_t> key(20, 0x42);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mfa::hotp(key, ++counter, mfa::Algorithm::sha1, 6));
  }
  state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK(verify_durable)->Unit(benchmark::kMicrosecond)->MinTime(3.0);
BENCHMARK(sqlite_durable_commit)->Unit(benchmark::kMicrosecond)->MinTime(3.0);
BENCHMARK(hmac_code)->Unit(benchmark::kNanosecond);
BENCHMARK_MAIN();
