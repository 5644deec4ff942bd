#include "web_html.hpp"

#include "dtu/at/text.hpp"

namespace dtu::device::web_html {
namespace {

std::string option_list(std::string_view choices, std::string_view current) {
    std::string out;
    while (true) {
        const std::size_t bar = choices.find('|');
        const std::string_view choice = choices.substr(0, bar);
        const bool selected = at::to_upper(choice) == at::to_upper(current);
        out += "<option value=\"" + escape(choice) + "\"" + (selected ? " selected" : "") + ">" +
               escape(choice) + "</option>";
        if (bar == std::string_view::npos) return out;
        choices.remove_prefix(bar + 1);
    }
}

std::string field_html(const profile::Profile& profile, const web_forms::Field& field,
                       const params::Store& working) {
    const at::CommandSpec* row = params::row_for_key(profile, field.key);
    if (!row || field.index >= row->params.size() || !working.find(field.key)) return {};
    const at::ParamSpec& p = row->params[field.index];
    const std::string name = escape(web_forms::input_name(profile, field));
    const std::string_view value = working.text(field.key, field.index);
    std::string input;
    if (p.kind == at::Kind::Enum) {
        input = "<select id=\"" + name + "\" name=\"" + name + "\">" + option_list(p.choices, value) +
                "</select>";
    } else {
        // The password shows as dots; a number field stays text so the firmware, not the browser,
        // decides what is refused.
        const char* type = p.name == "password" ? "password" : "text";
        input = "<input type=\"" + std::string(type) + "\" id=\"" + name + "\" name=\"" + name +
                "\" value=\"" + escape(value) + "\">";
    }
    return "<tr><th><label for=\"" + name + "\">" + escape(field.label) + "</label></th><td>" + input +
           "</td></tr>\n";
}

} // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string page(std::string_view heading, std::string_view note, std::string_view body) {
    std::string menu = "<a href=\"/\">Current status</a>";
    for (const web_forms::Form& f : web_forms::forms())
        menu += " | <a href=\"" + escape(f.path) + "\">" + escape(f.title) + "</a>";
    menu += " | <a href=\"/reboot\">Reboot</a>";
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(heading) +
        "</title><style>body{font-family:sans-serif;margin:1em}th{text-align:left;padding-right:"
        "1em}.note{background:#e8f4e8;padding:.5em}.error{background:#f8e0e0;padding:.5em}</style>"
        "</head><body>\n<nav>" +
        menu + "</nav>\n<h1>" + escape(heading) + "</h1>\n";
    if (!note.empty()) out += std::string(note) + "\n";
    return out + std::string(body) + "</body></html>\n";
}

std::string table(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::string out = "<table>\n";
    for (const auto& [label, value] : rows)
        out += "<tr><th>" + escape(label) + "</th><td>" + escape(value) + "</td></tr>\n";
    return out + "</table>\n";
}

std::string form(const profile::Profile& profile, const web_forms::Form& form, const params::Store& working) {
    std::string out = "<form method=\"post\" action=\"" + escape(form.path) + "\">\n<table>\n";
    for (const web_forms::Field& f : form.fields)
        out += field_html(profile, f, working);
    return out + "</table>\n<p><button type=\"submit\" id=\"save\">Save</button></p>\n</form>\n";
}

std::string reboot_form() {
    return "<form method=\"post\" action=\"/reboot\"><p>Save all the parameters and restart the module.</p>"
           "<p><button type=\"submit\" id=\"restart\">Restart module</button></p></form>\n";
}

} // namespace dtu::device::web_html
