// SPDX-License-Identifier: MIT
#pragma once

// The whole C++ API of libmfa in one include: every public C++ header.
// (The C ABI is <mfa/mfa.h>.) tests/ci/check_umbrella.py keeps the list
// complete.

#include <mfa/audit.hpp>
#include <mfa/backup_codes.hpp>
#include <mfa/base32.hpp>
#include <mfa/clock.hpp>
#include <mfa/database.hpp>
#include <mfa/enrollment.hpp>
#include <mfa/error.hpp>
#include <mfa/export.hpp>
#include <mfa/helpdesk.hpp>
#include <mfa/keys.hpp>
#include <mfa/options.hpp>
#include <mfa/otpauth.hpp>
#include <mfa/outcome.hpp>
#include <mfa/parsed.hpp>
#include <mfa/paths.hpp>
#include <mfa/policy.hpp>
#include <mfa/qr.hpp>
#include <mfa/text.hpp>
#include <mfa/totp.hpp>
#include <mfa/transfer.hpp>
#include <mfa/user_import.hpp>
#include <mfa/users.hpp>
#include <mfa/verify.hpp>
#include <mfa/version.hpp>
