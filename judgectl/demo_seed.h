// The demo contest that scripts/demo serves: running now, two problems with test data, team1 and
// admin accounts.
#pragma once

#include <string>

#include "core/store.h"

void seed_demo(core::Store& store, const std::string& admin_password,
               const std::string& team_password);
