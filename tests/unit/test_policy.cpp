// SPDX-License-Identifier: MIT
#include "lifecycle.hpp"

#include <mfa/helpdesk.hpp>
#include <mfa/policy.hpp>
#include <mfa/verify.hpp>

using namespace mfa;

namespace {

struct Row
{
  AuthMethod auth;
  Mode mode;
  EnrollmentState enrollment;
  bool locked;
  Decision expected;
};

using A = AuthMethod;
using M = Mode;
using E = EnrollmentState;
using D = Decision;

// The article's table, written out: auth x option x enrollment x lock.
const Row k_table[] = {
  {A::password, M::off, E::none, false, D::none},
  {A::password, M::off, E::pending, false, D::none},
  {A::password, M::off, E::active, false, D::none},
  {A::password, M::off, E::active, true, D::none},
  {A::password, M::required, E::none, false, D::enroll_required},
  {A::password, M::required, E::pending, false, D::enroll_required},
  {A::password, M::required, E::active, false, D::verify},
  {A::password, M::required, E::active, true, D::locked},
  {A::password, M::required, E::none, true, D::locked},
  {A::password, M::optional, E::none, false, D::enroll_optional},
  {A::password, M::optional, E::pending, false, D::enroll_optional},
  {A::password, M::optional, E::active, false, D::verify},
  {A::password, M::optional, E::active, true, D::locked},
  {A::sso, M::off, E::none, false, D::none},
  {A::sso, M::required, E::none, false, D::none},
  {A::sso, M::required, E::pending, false, D::none},
  {A::sso, M::required, E::active, false, D::none},
  {A::sso, M::required, E::active, true, D::none},
  {A::sso, M::optional, E::none, false, D::none},
  {A::sso, M::optional, E::active, false, D::none},
  {A::sso, M::optional, E::active, true, D::none},
};

} // namespace

TEST_CASE("policy: every decision of the table, for both classes, each with its own option")
{
  for (const auto& row : k_table) {
    for (auto type : {UserType::internal, UserType::external}) {
      Settings settings;
      // The other class's option is set to something else, to show it is not read.
      const Mode other = row.mode == Mode::required ? Mode::off : Mode::required;
      settings.internal_mfa = type == UserType::internal ? row.mode : other;
      settings.external_mfa = type == UserType::external ? row.mode : other;
      CAPTURE(to_string(type));
      CAPTURE(to_string(row.auth));
      CAPTURE(format_option_value(row.mode));
      CAPTURE(to_string(row.enrollment));
      CAPTURE(row.locked);
      CHECK(std::string(to_string(decide(settings, type, row.auth, row.enrollment, row.locked)))
            == to_string(row.expected));
    }
  }
}

TEST_CASE("policy: the stored state gives the same decisions, and a lock ends with its time")
{
  test::Lifecycle t;
  t.set(OptionKey::internal_mfa, Mode::required);
  t.set(OptionKey::external_mfa, Mode::optional);
  t.set(OptionKey::max_failed_attempts, 1);
  t.add("in");
  t.add("ex", UserType::external);
  t.add("sso", UserType::internal, AuthMethod::sso);
  auto decision = [&](const char* name) { return std::string(to_string(user_status(t.db, name).value().decision)); };
  CHECK(decision("in") == "enroll-required");
  CHECK(decision("ex") == "enroll-optional");
  CHECK(decision("sso") == "none");
  t.begin("in");
  CHECK(decision("in") == "enroll-required"); // pending still has to enroll
  t.enroll("ex");
  CHECK(decision("ex") == "verify");
  CHECK(user_status(t.db, "ex").value().option == Mode::optional);
  CHECK_FALSE(verify_code(t.db, "ex", "000000", "test").ok());
  CHECK(decision("ex") == "locked");
  *t.now += 15 * 60 - 1;
  CHECK(decision("ex") == "locked");
  *t.now += 1;
  CHECK(decision("ex") == "verify");
  t.set(OptionKey::external_mfa, Mode::off);
  CHECK(decision("ex") == "none");
  CHECK(user_status(t.db, "nobody").status == Status::no_such_user);
}
