// genodose-torch: the genodose command line with LibTorch training enabled. `genodose
// train-caller` runs this program; every other command runs the same way in both.
#include "cli/commands.hpp"
#include "genodose/calling/caller_training.hpp"
#include "genodose/cli/application.hpp"

int main(int argc, char** argv) {
    genodose::cli::set_training_backend(&genodose::train_genotype_model);
    return genodose::cli::run(argc, argv);
}
