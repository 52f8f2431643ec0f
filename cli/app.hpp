// The skiff command line: builds the real transports, stores and watchers,
// wires them to the pure core and maps outcomes to exit codes.
#pragma once

namespace skiff::cli {

// Runs skiff with the process arguments; returns the exit code.
int run(int argc, char** argv);

}  // namespace skiff::cli
