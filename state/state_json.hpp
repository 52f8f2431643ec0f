// The State as JSON (docs/state-json.md), and the LockInfo kept in the lock
// file. Decoding is strict: a field of the wrong type or an unknown field is
// refused with its path, and a format_version newer than this skiff's is
// refused outright, so that a state is never rewritten by a skiff that does
// not understand all of it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "state/state.hpp"
#include "state/store.hpp"

namespace skiff::state {

// Every field is written, defaults too. state_from_json(state_to_json(s)) == s.
nlohmann::json state_to_json(const State& state);
// Errors are kParse, naming the field (`allocations[3].index: expected an
// integer`), or kUnsupported for a newer format_version.
Result<State> state_from_json(const nlohmann::json& json);

// The file's bytes: two-space indented JSON and a final newline.
std::string state_to_text(const State& state);
// A file's bytes back: JSON syntax errors read "line 1, column 200:
// unexpected end of input; ...", then as state_from_json.
Result<State> state_from_text(const std::string& text);

nlohmann::json lock_info_to_json(const LockInfo& info);
Result<LockInfo> lock_info_from_json(const nlohmann::json& json);

}  // namespace skiff::state
