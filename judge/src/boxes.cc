#include "judge/boxes.h"

namespace judge {

BoxRunner::BoxRunner(const std::string& helper_path, int slot)
    : BoxRunner(sandbox::BoxConfig{helper_path, slot, kWorkerBoxTag}) {}

sandbox::SelfCheck sandbox_self_check(const std::string& helper_path, int slot,
                                      const std::string& work_dir) {
  sandbox::Box box(sandbox::BoxConfig{helper_path, slot, kWorkerBoxTag});
  return sandbox::self_check(box, work_dir);
}

}  // namespace judge
