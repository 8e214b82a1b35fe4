// SPDX-License-Identifier: MIT
#pragma once

#include "exit_status.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace mfa::app {

// A command ends with a documented non-zero exit. `data` is the command's own
// JSON object, into which "error" and "exit" are merged in --json mode.
class Failure : public std::runtime_error
{
public:
  Failure(ExitStatus status, const std::string& message, nlohmann::ordered_json data = nlohmann::ordered_json::object())
    : std::runtime_error(message), m_status(status), m_data(std::move(data))
  {
  }

  ExitStatus status() const { return m_status; }
  const nlohmann::ordered_json& data() const { return m_data; }

private:
  ExitStatus m_status;
  nlohmann::ordered_json m_data;
};

} // namespace mfa::app
