#pragma once
// Checking parameters against a command row: the one place where AT input becomes stored values.
#include <cstddef>
#include <string_view>

#include "dtu/at/command_spec.hpp"

namespace dtu::at {

/// Turn one user-typed field (quotes already stripped) into its stored form; false if invalid.
bool accept_input(const ParamSpec& p, std::string_view raw, std::string& out);
/// Check a value already in stored form (e.g. read back from NVRAM); false if invalid.
bool accept_stored(const ParamSpec& p, std::string_view value);

/// Parse the PARA of a set against a row's parameters. current = the stored values (nullptr if
/// none) for Omit::Keep; factory = the row's factory values for Omit::Factory. On success out
/// holds one value per parameter; on failure out is unspecified and the caller changes nothing.
/// max_entry caps the first parameter of Table rows (per-profile table size). strict_fields: every
/// ',' separates fields, so a ',' in the last one is a field too many (7S4 §3.1.6.4: a ',' in a
/// value is written [2C]); otherwise the last field keeps further commas (at-syntax §1.1).
bool parse_set(const CommandSpec& spec, std::string_view para, const Values* current, const Values& factory,
               Values& out, bool strict_fields = false);

/// Parse factory text (the same syntax a user types) into values; false means the table is wrong.
bool parse_factory(const CommandSpec& spec, std::string_view text, Values& out);

/// Check stored values against the row (arity, each value, cross-check).
bool accept_stored_values(const CommandSpec& spec, Values& values);

} // namespace dtu::at
