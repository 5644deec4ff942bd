#pragma once
// The K7 web page's configuration forms (K7 §5.2 items 2, 3, 5; spec k7-ethernet §12.2) as data:
// each form field is one field of one AT parameter, so a form shows what AT shows and a posted form
// is the AT settings that make it so. Which field is which parameter is written here once, for
// showing and writing alike.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "param_writes.hpp"

namespace dtu::device::web_forms {

struct Field {
    std::string_view key;   ///< the parameter's storage key ("UART", "SOCKA")
    std::size_t index;      ///< which of its fields
    std::string_view label; ///< as the manual's page names it
    std::string_view source;
};

struct Form {
    std::string_view path;  ///< "/serial"
    std::string_view title; ///< "TTL1"
    std::string_view source;
    std::vector<Field> fields;
};

/// The forms, in the order of the page's menu.
const std::vector<Form>& forms();
/// The form served at path, or nullptr.
const Form* find(std::string_view path);

/// The form field's input name: "<key>.<parameter name>" ("UART.baud").
std::string input_name(const profile::Profile& profile, const Field& field);

/// What a posted form asks for.
struct Request {
    std::vector<Setting> settings; ///< one per parameter a posted field changes, in form order
    /// For each setting, the labels of the posted fields it holds (to name a refused one).
    std::vector<std::string> labels;
    std::string unknown; ///< non-empty: a posted name that is no field of the form
};

/// The settings for the posted fields (a field not posted keeps its value in `working`).
Request settings_for(const profile::Profile& profile, const Form& form, const params::Store& working,
                     const std::vector<std::pair<std::string, std::string>>& posted);

} // namespace dtu::device::web_forms
