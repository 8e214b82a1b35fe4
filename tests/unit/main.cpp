// SPDX-License-Identifier: MIT
// Runs each test case inside a fresh scratch folder, which is removed when
// the test passes and kept (and named) when it fails.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

std::filesystem::path g_home;
std::filesystem::path g_scratch;

struct ScratchFolders : doctest::IReporter
{
  explicit ScratchFolders(const doctest::ContextOptions&) {}

  void test_case_start(const doctest::TestCaseData&) override
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "mfa-unit-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    g_scratch = pattern;
    std::filesystem::current_path(g_scratch);
  }

  void test_case_end(const doctest::CurrentTestCaseStats& stats) override
  {
    std::filesystem::current_path(g_home);
    if (stats.testCaseSuccess) {
      std::filesystem::remove_all(g_scratch);
    } else {
      std::fprintf(stderr, "scratch folder kept: %s\n", g_scratch.c_str());
    }
  }

  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("scratch", 1, ScratchFolders);

} // namespace

int main(int argc, char** argv)
{
  g_home = std::filesystem::current_path();
  doctest::Context context(argc, argv);
  return context.run();
}
