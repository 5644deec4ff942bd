#pragma once
// The HTML of the K7 web page (K7 §5.2): the frame with its menu, the status table, the forms.
// Every value shown is escaped here; the pages are in English (K7 §5.2: "default is English").
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtu/params/store.hpp"
#include "dtu/profile/profile.hpp"
#include "web_forms.hpp"

namespace dtu::device::web_html {

/// text with & < > " ' as character references.
std::string escape(std::string_view text);

/// A whole page: title, the menu (status, the forms, reboot), a note (empty: none), body.
std::string page(std::string_view heading, std::string_view note, std::string_view body);

/// Label / value rows as a table (values escaped).
std::string table(const std::vector<std::pair<std::string, std::string>>& rows);

/// The form with the values `working` holds: a select for a choice, an input else.
std::string form(const profile::Profile& profile, const web_forms::Form& form, const params::Store& working);

/// The reboot page's one button (K7 §5.2 item 6).
std::string reboot_form();

} // namespace dtu::device::web_html
