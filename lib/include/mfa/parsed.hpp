// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace mfa {

// The outcome of parsing untrusted text: a value, or a sentence saying what
// is wrong with the text. Bad input is an expected outcome, not a fault.
template<typename T>
class Parsed
{
public:
  Parsed(T value) : m_value(std::move(value)) {} // NOLINT: implicit by design
  static Parsed failure(std::string error)
  {
    Parsed p;
    p.m_error = std::move(error);
    return p;
  }

  explicit operator bool() const { return m_value.has_value(); }
  const T& operator*() const { return *m_value; }
  const T* operator->() const { return &*m_value; }
  const std::string& error() const { return m_error; }

private:
  Parsed() = default;
  std::optional<T> m_value;
  std::string m_error;
};

} // namespace mfa
