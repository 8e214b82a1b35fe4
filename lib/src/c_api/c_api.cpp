// SPDX-License-Identifier: MIT
// The C ABI (<mfa/mfa.h>) over the C++ API. Every entry point catches
// everything: no exception may unwind into a C caller.
#include <mfa/database.hpp>
#include <mfa/error.hpp>
#include <mfa/mfa.h>
#include <mfa/paths.hpp>
#include <mfa/policy.hpp>
#include <mfa/text.hpp>
#include <mfa/verify.hpp>

#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

struct mfa_db
{
  explicit mfa_db(mfa::Database opened) : database(std::move(opened)) {}

  mfa::Database database;
  std::string last_error; // the last call's message; empty after MFA_OK
};

namespace {

// The audit actor of a verify whose caller names none.
constexpr const char* k_default_actor = "c-api";

// The message of the last mfa_open on this thread, for mfa_last_error(NULL).
thread_local std::string t_open_error;

int code_for(mfa::Status status)
{
  switch (status) {
  case mfa::Status::ok:
    return MFA_OK;
  case mfa::Status::rejected:
    return MFA_REJECTED;
  case mfa::Status::invalid:
    return MFA_INVALID;
  case mfa::Status::no_such_user:
    return MFA_NO_SUCH_USER;
  case mfa::Status::not_allowed:
    return MFA_NOT_ALLOWED;
  case mfa::Status::locked:
    return MFA_LOCKED;
  }
  return MFA_STORAGE;
}

int decision_code(mfa::Decision decision)
{
  switch (decision) {
  case mfa::Decision::none:
    return MFA_DECISION_NONE;
  case mfa::Decision::enroll_required:
    return MFA_DECISION_ENROLL_REQUIRED;
  case mfa::Decision::enroll_optional:
    return MFA_DECISION_ENROLL_OPTIONAL;
  case mfa::Decision::verify:
    return MFA_DECISION_VERIFY;
  case mfa::Decision::locked:
    return MFA_DECISION_LOCKED;
  }
  // A decision this ABI does not know is never reported as "none".
  throw mfa::Error("unknown decision");
}

// Keeps `message` as the call's message. Keeping it may itself fail for
// want of memory: the message is then empty, and the code still tells.
void keep(std::string& slot, std::string_view message) noexcept
{
  try {
    slot.assign(message);
  } catch (...) {
    slot.clear();
  }
}

// Runs `call`, which returns an MFA_* code and sets its message, and keeps
// the message in `slot`. A fault maps as the CLI maps it to an exit code;
// anything else is MFA_STORAGE.
template<typename Call>
int guarded(std::string& slot, Call&& call) noexcept
{
  try {
    std::string message;
    const int code = call(message);
    keep(slot, message);
    return code;
  } catch (const mfa::InvalidArgument& e) {
    keep(slot, e.what());
    return MFA_INVALID;
  } catch (const mfa::ConfigError& e) {
    keep(slot, e.what());
    return MFA_INVALID;
  } catch (const mfa::Error& e) {
    keep(slot, e.what());
    return MFA_STORAGE;
  } catch (const std::bad_alloc&) {
    keep(slot, "out of memory");
    return MFA_STORAGE;
  } catch (const std::exception& e) {
    keep(slot, std::string("unexpected failure: ") + e.what());
    return MFA_STORAGE;
  } catch (...) {
    keep(slot, "unexpected failure");
    return MFA_STORAGE;
  }
}

// The contract makes a NULL argument MFA_STORAGE: a caller that checks for
// success never goes on as if it had been accepted.
int null_argument(std::string& message, const char* function, const char* name)
{
  message = std::string(function) + ": " + name + " is NULL";
  return MFA_STORAGE;
}

int with_message(std::string& message, int code, std::string text)
{
  message = std::move(text);
  return code;
}

} // namespace

extern "C" {

const char* mfa_version(void)
{
  return MFA_VERSION;
}

int mfa_open(const char* db, const char* key_file, mfa_db** out)
{
  if (out != nullptr) {
    *out = nullptr;
  }
  return guarded(t_open_error, [&](std::string& message) {
    if (db == nullptr) {
      return null_argument(message, "mfa_open", "db");
    }
    if (out == nullptr) {
      return null_argument(message, "mfa_open", "out");
    }
    const std::string database = db;
    const bool key_named = key_file != nullptr && *key_file != '\0';
    if (database.empty()) {
      return with_message(message, MFA_STORAGE, "mfa_open: no database given (the path of one made by mfa init)");
    }
    if (!key_named && mfa::is_postgres_uri(database)) {
      return with_message(message, MFA_STORAGE, "a PostgreSQL database has no key file beside it: name key_file");
    }
    mfa::Database::Config config;
    // mfa_open reads no environment: only its arguments say where things are.
    config.paths = {database, key_named ? std::string(key_file) : mfa::default_key_file(database)};
    auto handle = std::make_unique<mfa_db>(mfa::Database::open(std::move(config)));
    *out = handle.release();
    return MFA_OK;
  });
}

void mfa_close(mfa_db* db)
{
  delete db; // ~Database closes the connection and throws nothing
}

int mfa_decide(mfa_db* db, const char* user, int* decision)
{
  std::string ignored;
  return guarded(db != nullptr ? db->last_error : ignored, [&](std::string& message) {
    if (db == nullptr || user == nullptr || decision == nullptr) {
      return null_argument(message, "mfa_decide", db == nullptr ? "db" : user == nullptr ? "user" : "decision");
    }
    const auto outcome = mfa::user_status(db->database, user);
    if (!outcome.ok()) {
      return with_message(message, code_for(outcome.status), outcome.message);
    }
    *decision = decision_code(outcome.value().decision);
    return MFA_OK;
  });
}

int mfa_verify(mfa_db* db, const char* user, const char* code, const char* actor)
{
  std::string ignored;
  return guarded(db != nullptr ? db->last_error : ignored, [&](std::string& message) {
    if (db == nullptr || user == nullptr || code == nullptr) {
      return null_argument(message, "mfa_verify", db == nullptr ? "db" : user == nullptr ? "user" : "code");
    }
    const std::string_view who = actor != nullptr && *actor != '\0' ? actor : k_default_actor;
    if (auto problem = mfa::text_problem("the actor", who)) {
      return with_message(message, MFA_INVALID, *problem);
    }
    const auto outcome = mfa::verify_code(db->database, user, code, who);
    return with_message(message, code_for(outcome.status), outcome.message);
  });
}

int mfa_locked_until(mfa_db* db, const char* user, long long* until)
{
  std::string ignored;
  return guarded(db != nullptr ? db->last_error : ignored, [&](std::string& message) {
    if (db == nullptr || user == nullptr || until == nullptr) {
      return null_argument(message, "mfa_locked_until", db == nullptr ? "db" : user == nullptr ? "user" : "until");
    }
    const auto outcome = mfa::user_status(db->database, user);
    if (!outcome.ok()) {
      return with_message(message, code_for(outcome.status), outcome.message);
    }
    const auto& status = outcome.value();
    *until = status.locked && status.user.locked_until ? *status.user.locked_until : 0;
    return MFA_OK;
  });
}

int mfa_split_response(mfa_db* db, const char* user, const char* response, size_t* offset)
{
  std::string ignored;
  return guarded(db != nullptr ? db->last_error : ignored, [&](std::string& message) {
    if (db == nullptr || user == nullptr || response == nullptr || offset == nullptr) {
      return null_argument(message, "mfa_split_response",
                           db == nullptr     ? "db"
                           : user == nullptr ? "user"
                           : response == nullptr ? "response"
                                                 : "offset");
    }
    const auto outcome = mfa::code_offset(db->database, user, response);
    if (!outcome.ok()) {
      return with_message(message, code_for(outcome.status), outcome.message);
    }
    *offset = outcome.value();
    return MFA_OK;
  });
}

int mfa_read_config(const char* path, char* database, size_t database_size, char* key_file, size_t key_file_size)
{
  return guarded(t_open_error, [&](std::string& message) {
    if (database == nullptr || key_file == nullptr) {
      return null_argument(message, "mfa_read_config", database == nullptr ? "database" : "key_file");
    }
    const bool named = path != nullptr && *path != '\0';
    const auto config = mfa::read_config_file(named ? path : mfa::k_default_config_file, named);
    const std::string& database_value = config.database.value_or("");
    const std::string& key_value = config.key_file.value_or("");
    for (const auto& [value, size, name] : {std::tuple{&database_value, database_size, "database"},
                                            std::tuple{&key_value, key_file_size, "key_file"}}) {
      if (value->size() >= size) {
        return with_message(message, MFA_INVALID,
                            std::string(name) + " in " + (config.path.empty() ? "the configuration" : config.path)
                              + " is longer than the "
                              + std::to_string(size) + "-byte buffer for it");
      }
    }
    database_value.copy(database, database_value.size());
    database[database_value.size()] = '\0';
    key_value.copy(key_file, key_value.size());
    key_file[key_value.size()] = '\0';
    return MFA_OK;
  });
}

const char* mfa_strerror(int code)
{
  switch (code) {
  case MFA_OK:
    return "success (the code was accepted)";
  case MFA_REJECTED:
    return "the code was rejected";
  case MFA_INVALID:
    return "invalid argument";
  case MFA_NO_SUCH_USER:
    return "no such user";
  case MFA_NOT_ALLOWED:
    return "not allowed in the user's current state";
  case MFA_LOCKED:
    return "the user is locked out";
  case MFA_STORAGE:
    return "storage or key problem";
  default:
    return "unknown libmfa return code";
  }
}

const char* mfa_last_error(mfa_db* db)
{
  return db != nullptr ? db->last_error.c_str() : t_open_error.c_str();
}

} // extern "C"
