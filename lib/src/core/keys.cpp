// SPDX-License-Identifier: MIT
#include "core/rules.hpp"

#include <mfa/error.hpp>
#include <mfa/keys.hpp>
#include <mfa/users.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace mfa {

KeyCheckReport check_key(Database& db)
{
  return detail::with_store(db, [&](detail::Store& impl) {
    auto snapshot = impl.read(); // every row as one moment saw it
    (void)impl.current_data_key(); // a key file that no longer opens the data key is one fault, not every user's
    KeyCheckReport report;
    detail::for_each_enrollment(
      impl, {EnrollmentState::pending, EnrollmentState::active},
      [&](const User& user, const detail::EnrollmentRow& enrollment) {
        ++report.checked;
        try {
          (void)detail::open_for(impl, user.id, enrollment.sealed_secret);
        } catch (const KeyError&) {
          report.failed.push_back(user.name);
        }
      });
    std::sort(report.failed.begin(), report.failed.end());
    return report;
  });
}

Outcome<KeyRotation> rotate_key_file(Database& db, std::string_view new_key_file, std::string_view actor)
{
  using Result = Outcome<KeyRotation>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    const std::string path(new_key_file);
    const std::string& current = impl.paths().key_file;
    if (path.empty()) {
      return Result::failure(Status::invalid, "the new key file's path is empty");
    }
    if (detail::same_file(path, current)) {
      return Result::failure(Status::invalid, "key file " + path
                                                + " is the one in use; name a new file (it is created when absent)");
    }
    // On disk before the write: once the row commits, the new file is the
    // only way in.
    const auto loaded = impl.load_or_create_key(path);
    if (detail::equal_constant_time(detail::key_check(loaded.key), detail::key_check(impl.key_file_key()))) {
      return Result::failure(Status::invalid, "key file " + path + " holds the key in use; nothing to rotate");
    }
    auto transaction = impl.write();
    const detail::DataKey data_key = impl.current_data_key();
    // Secrets still sealed under the old key file itself (written the old
    // way after the migration) would open only with it: sealed under the
    // data key first.
    std::int64_t resealed = 0;
    detail::for_each_enrollment(impl, {EnrollmentState::pending, EnrollmentState::active},
                                [&](const User& user, const detail::EnrollmentRow& enrollment) {
                                  if (!sealed_before_data_keys(enrollment.sealed_secret)) {
                                    return;
                                  }
                                  try {
                                    const SecretBytes secret = detail::open_for(impl, user.id, enrollment.sealed_secret);
                                    impl.save_sealed_secret(user.id, detail::seal_for(impl, user.id, secret));
                                    ++resealed;
                                  } catch (const KeyError&) {
                                    // Opens with neither key: key check names its user.
                                  }
                                });
    impl.save_data_key(loaded.key, data_key);
    detail::audit(impl, actor, "key.rotate", detail::AuditTarget::log, "key file", current, path,
                  loaded.created ? "data key " + std::to_string(data_key.id) + " wrapped under a new key file"
                                 : "data key " + std::to_string(data_key.id) + " wrapped under an existing key file");
    transaction.commit();
    impl.adopt_keys({loaded.key, data_key, {}});
    KeyRotation rotation;
    rotation.key_file = path;
    rotation.key_file_created = loaded.created;
    rotation.data_key = data_key.id;
    rotation.resealed = resealed;
    return Result::success(rotation);
  });
}

Outcome<KeyRotation> rotate_data_key(Database& db, std::string_view actor)
{
  using Result = Outcome<KeyRotation>;
  return detail::with_store(db, [&](detail::Store& impl) -> Result {
    auto transaction = impl.write();
    const detail::DataKey old_key = impl.current_data_key();
    if (old_key.id == UINT32_MAX) {
      throw KeyError("the data key's number is at its largest; it cannot be rotated again");
    }
    const detail::DataKey new_key = detail::make_data_key(old_key.id + 1, impl.random());
    std::vector<std::string> failed;
    std::vector<std::pair<std::int64_t, detail::Bytes>> resealed;
    detail::for_each_enrollment(impl, {EnrollmentState::pending, EnrollmentState::active},
                                [&](const User& user, const detail::EnrollmentRow& enrollment) {
                                  try {
                                    const SecretBytes secret = detail::open_for(impl, user.id, enrollment.sealed_secret);
                                    if (failed.empty()) {
                                      resealed.emplace_back(user.id, seal_secret(new_key.key.bytes(), new_key.id,
                                                                                 user.id, secret.bytes(), impl.random()));
                                    }
                                  } catch (const KeyError&) {
                                    failed.push_back(user.name);
                                  }
                                });
    if (!failed.empty()) {
      std::sort(failed.begin(), failed.end());
      std::string names;
      for (const auto& name : failed) {
        names += (names.empty() ? "" : ", ") + name;
      }
      throw KeyError(std::to_string(failed.size()) + (failed.size() == 1 ? " secret does" : " secrets do")
                     + " not open under the current data key (" + names
                     + "); nothing was changed: run mfa key check, and reset those users");
    }
    for (const auto& [user_id, sealed] : resealed) {
      impl.save_sealed_secret(user_id, sealed);
    }
    impl.save_data_key(impl.key_file_key(), new_key);
    const auto count = static_cast<std::int64_t>(resealed.size());
    detail::audit(impl, actor, "key.rotate", detail::AuditTarget::log, "data key",
                  "data key " + std::to_string(old_key.id), "data key " + std::to_string(new_key.id),
                  std::to_string(count) + (count == 1 ? " secret" : " secrets") + " sealed again");
    transaction.commit();
    impl.adopt_keys({impl.key_file_key(), new_key, {}});
    KeyRotation rotation;
    rotation.key_file = impl.paths().key_file;
    rotation.data_key = new_key.id;
    rotation.resealed = count;
    return Result::success(rotation);
  });
}

} // namespace mfa
