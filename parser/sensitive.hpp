// Sensitive values after evaluation: which texts a job must never show, the
// digest kept in their place, and how messages are cleaned of them.
//
// A job keeps the real text of each sensitive value in its fields (the
// hosts need it), and spec::Job::sensitive maps each such text to a marker,
// "(sensitive:<digest>)". job_to_json writes the marker wherever the text
// would stand, so the state, plan files, field diffs and spec hashes hold
// only digests: a change of the secret still changes them, the secret does
// not appear. Renderers show any marker as "(sensitive)".
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "parser/eval.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

// Adds to `out` the text of every scalar of `value` that is marked (or
// inside a marked collection): strings as they are, numbers and bools in
// their string form, as decoding turns them into text. Empty strings have
// nothing to hide and are left out.
void collect_sensitive_texts(const Value& value, std::set<std::string>& out, bool marked = false);
// The same for every attribute of `body` and of the blocks inside it.
void collect_sensitive_texts(const EvalBody& body, std::set<std::string>& out);

// `text` with each of `secrets` replaced by "(sensitive)": every
// occurrence of one of four characters or more, only quoted occurrences
// ("x") of a shorter one, so that a one-letter secret does not garble the
// message around it.
std::string scrub_sensitive(std::string text, const std::set<std::string>& secrets);

// The marker kept instead of `text`: "(sensitive:" + 32 hex digits + ")",
// PBKDF2-HMAC-SHA256 of the text salted with `salt` (the job's id), slow
// enough that guessing short secrets from a stolen state costs.
std::string sensitive_marker(std::string_view text, std::string_view salt);
bool is_sensitive_marker(std::string_view text);
// Every marker inside `json` replaced by "(sensitive)", for a reader.
void show_markers_as_sensitive(nlohmann::json& json);
// True when a marker is anywhere inside `json`.
bool holds_sensitive_marker(const nlohmann::json& json);
// `json` with every string in `markers` (text -> marker) replaced by its
// marker, except the values of "id" and "name" keys: names are shown
// everywhere (allocation names, plan paths) and are never secret.
void replace_sensitive_texts(nlohmann::json& json, const std::map<std::string, std::string>& markers);

}  // namespace skiff::parser
