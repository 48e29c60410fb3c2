// POST .../problems with a zip body: an ICPC/Kattis problem package (package/ parses it).
#pragma once

#include "core/model.h"
#include "http/handlers.h"

namespace api {

// The problem and its tests from the uploaded package, stored in one transaction. The id is
// ?id= or the package's top folder; ?label= (default: the id) and ?ordinal= as in the JSON
// body. A bad package is a 4xx naming the problem and the file; nothing is stored then.
Reply import_problem_package(Services& services, const Request& request,
                             const core::Contest& contest);

}  // namespace api
