// SPDX-License-Identifier: MIT
#pragma once

// libmfa is built with hidden visibility; only what carries MFA_API is exported.
#define MFA_API __attribute__((visibility("default")))
