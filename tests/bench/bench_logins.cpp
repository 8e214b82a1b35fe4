// SPDX-License-Identifier: MIT
// Logins for tests/bench/run.sh, through libmfa's public API:
//   bench_logins enroll DB PREFIX COUNT    adds users PREFIX0.., enrolled now
//                                          (the CLI's key file), secrets in DB.PREFIX
//   bench_logins codes DB PREFIX FROM COUNT
//                                          prints "PREFIXi CODE,..." for now, a
//                                          hyperfine parameter list: each whole-process
//                                          `mfa verify` run is then a fresh login
//   bench_logins procs MFA DB PREFIX FROM COUNT N
//                                          logs in users PREFIXFROM.. once each, as
//                                          COUNT whole `MFA --db DB verify NAME CODE`
//                                          processes, N running at any time, each code
//                                          made just before its process starts; prints
//                                          "logins seconds p50_us p99_us errors cpu_ms",
//                                          cpu_ms the mfa processes' user + system time
//   bench_logins setup DB USERS            a database of users c0..cN-1, enrolled
//                                          on a clock of its own; secrets in DB.c
//   bench_logins run DB INDEX START SECONDS
//                                          from the epoch second START, verifies
//                                          user cINDEX for SECONDS; prints
//                                          "logins p50_us p99_us errors"
//   bench_logins fsync FOLDER SECONDS      prints durable 4 KiB writes per second
// In `run` each process has its own clock that moves on 30 s a login, so
// every login is a fresh time step: the full durable write of a real login.
// DB is a SQLite path or a PostgreSQL URI; for a URI (enroll, codes, procs)
// the key file is MFA_KEY_FILE's, as for the mfa command, and the secrets
// go beside it (KEY_FILE.PREFIX).
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
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

// The key file of DB: MFA_KEY_FILE's when set, as the mfa command reads it,
// else the one beside a SQLite file.
std::string key_file_of(const std::string& db)
{
  const char* named = std::getenv("MFA_KEY_FILE");
  return named != nullptr && *named != '\0' ? named : mfa::default_key_file(db);
}

// Where enroll puts the secrets of PREFIX's users: beside a SQLite file,
// or beside the key file of a URI.
std::string secrets_file(const std::string& db, const std::string& prefix)
{
  return (mfa::default_key_file(db).empty() ? key_file_of(db) : db) + "." + prefix;
}

double percentile(std::vector<double>& sorted, double q)
{
  return sorted.empty() ? 0.0 : sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

mfa::Database::Config config_for(const std::string& db, std::shared_ptr<std::int64_t> now)
{
  mfa::Database::Config config;
  config.paths = {db, db + ".key"};
  config.clock = [now] { return *now; };
  return config;
}

// Adds users PREFIX0.. and enrolls each, confirmed at the database's clock;
// their secrets, a line each, go to DB.PREFIX.
int enroll_users(mfa::Database& database, const mfa::Clock& clock, const std::string& secrets_path,
                 const std::string& prefix, int count)
{
  std::ofstream secrets(secrets_path);
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
  return enroll_users(database, config.clock, db + ".c", "c", users);
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
  config.paths = {db, key_file_of(db)};
  // Enrolled and confirmed on a clock 30 s behind: the logins timed next
  // are of a later time step, so each is accepted.
  config.clock = [] { return mfa::system_clock()() - 30; };
  auto database = mfa::Database::open(config);
  return enroll_users(database, config.clock, secrets_file(db, prefix), prefix, count);
}

int codes(const std::string& db, const std::string& prefix, int from, int count)
{
  const auto secrets = read_secrets(secrets_file(db, prefix));
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
  std::printf("%zu %.0f %.0f %d\n", latencies.size() - static_cast<std::size_t>(errors), percentile(latencies, 0.5),
              percentile(latencies, 0.99), errors);
  return 0;
}

// One whole `mfa verify` process: its exit status (-1 when it could not
// start). Its output is dropped, its messages left in `errors` (a file
// emptied first).
int verify_process(const std::string& mfa, const std::string& db, const std::string& name, const std::string& code,
                   int errors)
{
  if (::ftruncate(errors, 0) != 0 || ::lseek(errors, 0, SEEK_SET) != 0) {
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, errors, STDERR_FILENO);
  std::vector<std::string> args{mfa, "--db", db, "verify", name, code};
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, mfa.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (failed != 0 || ::waitpid(pid, &status, 0) != pid) {
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string contents(int fd)
{
  std::string text(4096, '\0');
  const auto got = ::pread(fd, text.data(), text.size(), 0);
  text.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

int procs(const std::string& mfa, const std::string& db, const std::string& prefix, int from, int count, int n)
{
  const auto secrets = read_secrets(secrets_file(db, prefix));
  if (n < 1 || from + count > static_cast<int>(secrets.size())) {
    std::cerr << "procs: " << count << " logins from user " << from << " need more than the " << secrets.size()
              << " users enrolled\n";
    return 1;
  }
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(n));
  std::vector<int> errors(static_cast<std::size_t>(n), 0);
  std::latch ready(n + 1);
  std::vector<std::thread> workers;
  for (int w = 0; w < n; ++w) {
    workers.emplace_back([&, w] {
      const int messages = ::memfd_create("mfa-verify-stderr", MFD_CLOEXEC);
      ready.arrive_and_wait();
      for (int i = from + w; i < from + count; i += n) {
        const auto key = mfa::base32_decode(secrets[static_cast<std::size_t>(i)]);
        const auto code = mfa::totp(*key, mfa::system_clock()(), mfa::TotpParams{});
        const auto t0 = Steady::now();
        const int status = verify_process(mfa, db, prefix + std::to_string(i), code, messages);
        latencies[static_cast<std::size_t>(w)].push_back(
            std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
        if (status != 0) {
          ++errors[static_cast<std::size_t>(w)];
          std::cerr << prefix << i << ": mfa verify exited " << status << ": " << contents(messages) << '\n';
        }
      }
      ::close(messages);
    });
  }
  ready.arrive_and_wait();
  const auto t0 = Steady::now();
  for (auto& worker : workers) {
    worker.join();
  }
  const double seconds = std::chrono::duration<double>(Steady::now() - t0).count();
  std::vector<double> all;
  for (const auto& some : latencies) {
    all.insert(all.end(), some.begin(), some.end());
  }
  std::sort(all.begin(), all.end());
  int failures = 0;
  for (const int e : errors) {
    failures += e;
  }
  rusage children{};
  ::getrusage(RUSAGE_CHILDREN, &children);
  const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  std::printf("%d %.3f %.0f %.0f %d %.0f\n", count - failures, seconds, percentile(all, 0.5), percentile(all, 0.99),
              failures, ms(children.ru_utime) + ms(children.ru_stime));
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
    if (args.size() == 7 && args[0] == "procs") {
      return procs(args[1], args[2], args[3], std::stoi(args[4]), std::stoi(args[5]), std::stoi(args[6]));
    }
    if (args.size() == 3 && args[0] == "fsync") {
      return fsync_rate(args[1], std::stoi(args[2]));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_logins: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: bench_logins enroll DB PREFIX COUNT | codes DB PREFIX FROM COUNT | setup DB USERS\n"
               "       | run DB INDEX START SECONDS | procs MFA DB PREFIX FROM COUNT N | fsync FOLDER SECONDS\n";
  return 2;
}
