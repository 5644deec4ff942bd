#pragma once
// Both trace files of one run (DIR/NAME.jsonl and DIR/NAME.pcapng; NAME may hold folders), open for its whole
// length and fed by a TraceRecorder: the scenario runner's and dtu-sim --trace's.
#include <string>

#include <QJsonObject>

#include "sim/scenario/pcapng_writer.hpp"
#include "sim/scenario/trace_jsonl.hpp"
#include "sim/scenario/trace_recorder.hpp"

namespace dtu::sim::scenario {

class TraceFiles {
public:
    /// Create dir if needed and both files; header is the `scenario` event's info (the pcapng's
    /// servers and clock). False with error if either cannot be created.
    bool open(const std::string& dir, const std::string& name, const QJsonObject& header, std::string& error);
    /// From now on, every event recorder has and records goes to both files.
    void attach(TraceRecorder& recorder);
    /// Flush and close both; false with error if anything could not be written.
    bool close(std::string& error);

private:
    /// A trace writer as a recorder's sink.
    template <typename Writer> class WriterSink final : public TraceSink {
    public:
        explicit WriterSink(Writer& writer) : writer_(writer) {}
        void write(const TraceEvent& event) override { writer_.write(event); }

    private:
        Writer& writer_;
    };

    JsonlTraceWriter jsonl_;
    PcapngWriter pcapng_;
    WriterSink<JsonlTraceWriter> jsonl_sink_{jsonl_};
    WriterSink<PcapngWriter> pcapng_sink_{pcapng_};
};

} // namespace dtu::sim::scenario
