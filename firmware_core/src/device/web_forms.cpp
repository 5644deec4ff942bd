#include "web_forms.hpp"

#include <algorithm>

#include "dtu/at/answer.hpp"

namespace dtu::device::web_forms {

const std::vector<Form>& forms() {
    static const std::vector<Form> table = {
        {"/ip",
         "Local IP config",
         "K7 §5.2 item 2",
         {
             {"WANN", 0, "IP type", "K7 §5.2 item 2, §5.3.5 #7"},
             {"WANN", 1, "Static IP", "K7 §5.2 item 2, §5.3.5 #7"},
             {"WANN", 2, "Subnet mask", "K7 §5.2 item 2, §5.3.5 #7"},
             {"WANN", 3, "Gateway", "K7 §5.2 item 2, §5.3.5 #7"},
         }},
        {"/serial",
         "TTL1",
         "K7 §5.2 item 3",
         {
             {"UART", 0, "Baud rate", "K7 §5.2 item 3, §5.3.5 #13"},
             {"UART", 1, "Data bits", "K7 §5.2 item 3, §5.3.5 #13"},
             {"UART", 3, "Parity", "K7 §5.2 item 3, §5.3.5 #13"},
             {"UART", 2, "Stop bits", "K7 §5.2 item 3, §5.3.5 #13"},
             {"UART", 4, "Flow mode", "K7 §5.2 item 3, §5.3.5 #13"},
             // K7 §5.2 item 3 "Port mapping: UART packet time and length".
             {"UARTTL", 0, "Packing time (ms)", "K7 §5.2 item 3, §4.3.3, §5.3.5 #14"},
             {"UARTTL", 1, "Packing length (bytes)", "K7 §5.2 item 3, §4.3.3, §5.3.5 #14"},
             {"RFCEN", 0, "Similar RFC2217", "K7 §5.2 item 3, §5.3.5 #33"},
             {"SOCKA", 0, "Work mode", "K7 §5.2 item 3, §5.3.5 #15"},
             {"SOCKA", 1, "Remote server address", "K7 §5.2 item 3, §5.3.5 #15"},
             // Spec k7 §4 (GAP-20): the one port is the local one of a server, the remote one else.
             {"SOCKA", 2, "Local/remote port", "K7 §5.2 item 3, §5.3.5 #15; spec k7 §4"},
             {"NETPR", 0, "Net printing", "K7 §5.2 item 3, §4.4.5, §5.3.5 #42"},
         }},
        {"/misc",
         "Misc config",
         "K7 §5.2 item 5",
         {
             {"MID", 0, "Module name", "K7 §5.2 item 5, §5.3.5 #31"},
             {"WEBSOCKPORT", 0, "Websocket port", "K7 §5.2 item 5, §5.3.5 #17"},
             {"WEBPORT", 0, "Web server port", "K7 §5.2 item 5, §5.3.5 #10"},
             {"USERMAC", 0, "MAC address", "K7 §5.2 item 5, §5.3.5 #32"},
             {"WEBU", 0, "Username", "K7 §5.2 item 5, §5.3.5 #9"},
             {"WEBU", 1, "Password", "K7 §5.2 item 5, §5.3.5 #9"},
             // K7 §5.2 item 5 "Buffer data before connected: whether to clear the buffer data".
             {"UARTCLBUF", 0, "Clear buffered data at connection", "K7 §5.2 item 5, §4.4.9, §5.3.5 #37"},
             {"RSTIM", 0, "Reset timeout (s, 0 = off)", "K7 §5.2 item 5, §4.4.8, §5.3.5 #36"},
         }},
    };
    return table;
}

const Form* find(std::string_view path) {
    const auto& all = forms();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Form& f) { return f.path == path; });
    return it == all.end() ? nullptr : &*it;
}

std::string input_name(const profile::Profile& profile, const Field& field) {
    const at::CommandSpec* row = params::row_for_key(profile, field.key);
    std::string name(field.key);
    if (row && field.index < row->params.size())
        return name + "." + std::string(row->params[field.index].name);
    return name + "." + std::to_string(field.index);
}

Request settings_for(const profile::Profile& profile, const Form& form, const params::Store& working,
                     const std::vector<std::pair<std::string, std::string>>& posted) {
    Request out;
    for (const auto& field : posted) {
        const std::string& name = field.first; // a named copy: C++17 lambdas cannot capture a binding
        const bool known = std::any_of(form.fields.begin(), form.fields.end(),
                                       [&](const Field& f) { return input_name(profile, f) == name; });
        if (!known) {
            out.unknown = name;
            return out;
        }
    }
    // One setting per parameter, its fields as stored but for the posted ones.
    std::vector<std::string_view> keys;
    for (const Field& f : form.fields)
        if (std::find(keys.begin(), keys.end(), f.key) == keys.end()) keys.push_back(f.key);
    for (const std::string_view key : keys) {
        const at::CommandSpec* row = params::row_for_key(profile, key);
        const params::Values* stored = working.find(key);
        if (!row || !stored) continue; // not a parameter of this model
        params::Values values = *stored;
        std::string labels;
        for (const Field& f : form.fields) {
            if (f.key != key || f.index >= values.size()) continue;
            const std::string name = input_name(profile, f);
            const auto it =
                std::find_if(posted.rbegin(), posted.rend(), [&](const auto& p) { return p.first == name; });
            if (it == posted.rend()) continue;
            values[f.index] = it->second;
            labels += (labels.empty() ? "" : ", ") + std::string(f.label);
        }
        if (labels.empty()) continue;
        out.settings.push_back(
            {std::string(key), at::format_values(*row, values, profile.answers.escaped_in_answers)});
        out.labels.push_back(std::move(labels));
    }
    return out;
}

} // namespace dtu::device::web_forms
