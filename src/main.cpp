// The genodose executable: everything lives in the library; see src/cli/.
#include "genodose/cli/application.hpp"

int main(int argc, char** argv) { return genodose::cli::run(argc, argv); }
