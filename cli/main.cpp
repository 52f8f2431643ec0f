#include "cli/app.hpp"

int main(int argc, char** argv) { return skiff::cli::run(argc, argv); }
