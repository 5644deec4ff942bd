#pragma once
// JSON for GET/PUT /api/v1/radio (docs/radio-sim.md): the modem model both ways, with
// validation, and the radio part of GET /api/v1/status. Pure functions: no I/O, no threads.
#include <optional>
#include <string>

#include <QJsonObject>

#include "hal_sim/sim_modem.hpp"

namespace dtu::sim {

/// Every field of the model, plus the read-only "active_sim" and "module" (what the module makes
/// of it: registered, online, local_ip).
QJsonObject radio_to_json(const hal_sim::SimModem& modem);

/// The result of merging a JSON object into the modem's model: a valid model, or why not.
struct RadioMerge {
    std::optional<hal_sim::RadioModel> model; ///< set when the patch was valid
    std::string error;                        ///< otherwise: the message, naming the field
};

/// Merge patch into modem.model() (a JSON merge patch: fields left out keep their value, nested
/// objects merge, "neighbours" is replaced whole). Unknown fields, wrong types and out-of-range values
/// are errors; the read-only fields are accepted only with their current value (so a GET body can be
/// PUT back). On error nothing of the patch is applied (model is empty).
RadioMerge merge_radio_json(const hal_sim::SimModem& modem, const QJsonObject& patch);

/// {"active_sim", "registered", "online", "sim_lock"} for GET /api/v1/status.
QJsonObject radio_status_to_json(const hal_sim::SimModem& modem);

} // namespace dtu::sim
