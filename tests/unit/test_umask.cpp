// SPDX-License-Identifier: MIT
// The library never changes the process umask, not even for the length of a
// call (a threaded host would race with it), and its files and folders get
// their modes whatever the umask is.
#include "helpers.hpp"

#include <mfa/enrollment.hpp>
#include <mfa/options.hpp>
#include <mfa/qr.hpp>
#include <mfa/users.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

using namespace mfa;
using test::mode_of;

namespace {

mode_t current_umask()
{
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// Creates a database (its folders and key), adds and enrolls a user, and
// writes a private file, with `mask` as the process umask. The random source
// and the delivery callback run inside the library's calls: they record the
// umask they see there.
std::vector<mode_t> create_and_enroll(mode_t mask, const std::string& folder)
{
  std::vector<mode_t> seen;
  const mode_t previous = ::umask(mask);
  {
    auto config = test::config(folder + "/in/mfa.db");
    config.paths.key_file = folder + "/in/mfa.key";
    auto real_random = system_random();
    config.random = [&](std::span<std::uint8_t> bytes) {
      seen.push_back(current_umask());
      real_random(bytes);
    };
    auto db = Database::create(config);
    seen.push_back(current_umask());
    CHECK(set_option(db, OptionKey::internal_mfa, Mode::required, "t").ok());
    CHECK(add_user(db, {"alice", UserType::internal, AuthMethod::password, std::nullopt}, "t").ok());
    seen.push_back(current_umask());
    const auto started =
      begin_enrollment(db, "alice", "t", [&](const EnrollmentStart&) { seen.push_back(current_umask()); });
    CHECK_MESSAGE(started.ok(), started.message);
    seen.push_back(current_umask());
    write_private_file(folder + "/in/secret.svg", "<svg/>");
    seen.push_back(current_umask());
  }
  {
    auto config = test::config(folder + "/in/mfa.db");
    config.paths.key_file = folder + "/in/mfa.key";
    auto db = Database::open(config); // opens again: SQLite makes -wal and -shm anew
    seen.push_back(current_umask());
    CHECK(set_option(db, OptionKey::window, 2, "t").ok());
    seen.push_back(current_umask());
  }
  ::umask(previous);
  return seen;
}

void check_private(const std::string& folder)
{
  CHECK(mode_of(folder) == 0700);
  CHECK(mode_of(folder + "/in") == 0700);
  CHECK(mode_of(folder + "/in/mfa.db") == 0600);
  CHECK(mode_of(folder + "/in/mfa.key") == 0600);
  CHECK(mode_of(folder + "/in/secret.svg") == 0600);
}

} // namespace

TEST_CASE("umask: no library call changes the process umask, even while it runs")
{
  for (const mode_t mask : {mode_t{022}, mode_t{0}, mode_t{027}}) {
    const std::string folder = "umask-" + std::to_string(mask);
    CAPTURE(folder);
    const auto seen = create_and_enroll(mask, folder);
    CHECK(seen.size() >= 9);
    for (const mode_t during : seen) {
      CHECK(during == mask);
    }
  }
}

TEST_CASE("umask: files and folders are private under umask 022, 000 and 0277")
{
  // 0277 would make a file opened with mode 0600 read-only, and a folder
  // made with 0700 impassable: the library sets the modes itself.
  for (const mode_t mask : {mode_t{022}, mode_t{0}, mode_t{0277}}) {
    const std::string folder = "modes-" + std::to_string(mask);
    CAPTURE(folder);
    create_and_enroll(mask, folder);
    check_private(folder);
  }
}

TEST_CASE("umask: SQLite gives -wal and -shm the database file's mode under umask 000 and 022")
{
  for (const mode_t mask : {mode_t{0}, mode_t{022}}) {
    const std::string folder = "wal-" + std::to_string(mask);
    CAPTURE(folder);
    const mode_t previous = ::umask(mask);
    {
      auto db = Database::create(test::config(folder + "/mfa.db"));
      CHECK(set_option(db, OptionKey::window, 2, "t").ok()); // a write: -wal and -shm exist
      CHECK(mode_of(folder + "/mfa.db-wal") == 0600);
      CHECK(mode_of(folder + "/mfa.db-shm") == 0600);
    }
    ::umask(previous);
  }
}
