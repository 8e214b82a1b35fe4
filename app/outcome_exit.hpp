// SPDX-License-Identifier: MIT
#pragma once

#include "failure.hpp"

#include <mfa/outcome.hpp>
#include <mfa/users.hpp>

#include <nlohmann/json.hpp>

#include <optional>

namespace mfa::app {

// The contract's exit code for a library status.
ExitStatus exit_for(Status status);

// Throws the Failure for an outcome that is not ok; `data` is the command's
// JSON object, into which the error is merged.
template<typename T>
void require_ok(const Outcome<T>& outcome, nlohmann::ordered_json data = nlohmann::ordered_json::object())
{
  if (!outcome.ok()) {
    throw Failure(exit_for(outcome.status), outcome.message, std::move(data));
  }
}

// The value, or JSON null when there is none.
template<typename T>
nlohmann::ordered_json optional_json(const std::optional<T>& value)
{
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

// {"name","type","auth","email","enrollment"}
nlohmann::ordered_json user_json(const User& user);

} // namespace mfa::app
