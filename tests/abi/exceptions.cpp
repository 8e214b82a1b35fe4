// SPDX-License-Identifier: MIT
// An application linked to the shared libmfa catches what the library throws
// by type: each fault of the mfa::Error hierarchy, by its own class and by
// mfa::Error. The typeinfo the application uses must be the library's one
// (lib/libmfa.map exports it): the addresses are compared, as a name
// comparison would pass even with a private copy inside libmfa.
//   mfa-abi-exceptions SCRATCH_FOLDER   (emptied first)
#include "scratch.hpp"

#include <mfa/database.hpp>
#include <mfa/error.hpp>
#include <mfa/paths.hpp>
#include <mfa/totp.hpp>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <typeinfo>

namespace {

int failures = 0;

// Runs `fault`, which must throw an E from inside libmfa.
template<typename E>
void expect_caught(const char* what, const std::function<void()>& fault)
{
  try {
    fault();
    std::printf("FAIL %s: nothing thrown\n", what);
    ++failures;
  } catch (const E& e) {
    if (&typeid(e) != &typeid(E)) {
      std::printf("FAIL %s: caught as %s, but its typeinfo is libmfa's private copy\n", what, typeid(E).name());
      ++failures;
      return;
    }
    std::printf("ok %s: %s\n", what, e.what());
  } catch (const std::exception& e) {
    std::printf("FAIL %s: not caught by its type but as std::exception (%s)\n", what, e.what());
    ++failures;
  }
  try {
    fault();
  } catch (const mfa::Error& e) {
    if (dynamic_cast<const E*>(&e) == nullptr) {
      std::printf("FAIL %s: caught as mfa::Error, dynamic_cast to its type fails\n", what);
      ++failures;
    }
  } catch (...) {
    std::printf("FAIL %s: not caught as mfa::Error\n", what);
    ++failures;
  }
}

mfa::Database::Config config(const std::string& folder, const std::string& name)
{
  mfa::Database::Config c;
  c.paths = {folder + "/" + name, folder + "/" + name + ".key"};
  return c;
}

} // namespace

int main(int argc, char** argv)
{
  const auto scratch = mfa::test::scratch_folder(argc, argv, "mfa-abi-exceptions");
  if (!scratch) {
    return 2;
  }
  const std::string& folder = *scratch;

  expect_caught<mfa::StorageError>("StorageError (no database)",
                                   [&] { mfa::Database::open(config(folder, "missing.db")); });
  mfa::Database::create(config(folder, "keyed.db"));
  std::ofstream(folder + "/keyed.db.key", std::ios::trunc) << "not a key\n";
  expect_caught<mfa::KeyError>("KeyError (malformed key file)",
                               [&] { mfa::Database::open(config(folder, "keyed.db")); });
  expect_caught<mfa::InvalidArgument>("InvalidArgument (TOTP period 0)",
                                      [] { mfa::validate(mfa::TotpParams{mfa::Algorithm::sha1, 6, 0}); });
  std::ofstream(folder + "/bad.conf") << "not a setting\n";
  expect_caught<mfa::ConfigError>("ConfigError (malformed line)",
                                  [&] { mfa::read_config_file(folder + "/bad.conf", true); });
  return failures == 0 ? 0 : 1;
}
