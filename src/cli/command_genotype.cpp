// `genodose genotype`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_genotype_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "genotype", "CYP2C9/VKORC1/CYP4F2 genotypes from VCF or reads", "issue #6");
}

}  // namespace genodose::cli
