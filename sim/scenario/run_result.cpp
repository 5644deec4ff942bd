#include "sim/scenario/run_result.hpp"

namespace dtu::sim::scenario {

const char* outcome_name(Outcome outcome) {
    switch (outcome) {
    case Outcome::Passed: return "passed";
    case Outcome::Failed: return "FAILED";
    case Outcome::TimedOut: return "TIMED OUT";
    case Outcome::Error: return "ERROR";
    case Outcome::Skipped: return "skipped";
    }
    return "?";
}

} // namespace dtu::sim::scenario
