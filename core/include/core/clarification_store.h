// ClarificationStore: clarifications (CLICS 2023-06), each written with its event in one
// transaction, and what the API reads back about them: the ones a caller may see, the references
// a new one names, and the questions still waiting for an answer (finalizing waits for them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

// Who reads: the jury sees everything; a team its own questions, the answers to it and the
// messages to all; anyone else (team_id empty) the messages to all.
struct ClarificationViewer {
  bool everything = false;
  std::optional<std::string> team_id;
};

// What POST/PUT clarifications checks before it stores one, read in one statement. A field is
// true when the request did not name that reference.
struct ClarificationRefs {
  bool problem_exists = true;  // In the contest.
  bool from_team_registered = true;
  bool to_team_registered = true;
  bool reply_to_visible = true;  // Exists in the contest and the viewer may see it.
  bool id_taken = false;         // The id asked for (PUT) is already used in the contest.
};

enum class ClarificationInsert { Created, IdTaken };

class ClarificationStore {
 public:
  explicit ClarificationStore(Store& store) : db_(store.impl()) {}

  // Stores c with its "clarifications" event (visible to c.audience_team() only, or to all).
  // An empty c.id gets the next server id (written back into c); a given one that is taken in
  // the contest stores nothing: IdTaken.
  ClarificationInsert create(Clarification& c);
  ClarificationRefs refs(const std::string& contest_id, const Clarification& c,
                         const ClarificationViewer& viewer);
  // In creation order.
  std::vector<Clarification> clarifications(const std::string& contest_id,
                                            const ClarificationViewer& viewer);
  std::optional<Clarification> clarification(const std::string& contest_id, const std::string& id,
                                             const ClarificationViewer& viewer);
  // Questions of teams that no jury message replies to.
  int64_t unanswered_questions(const std::string& contest_id);

 private:
  Store::Impl& db_;
};

}  // namespace core
