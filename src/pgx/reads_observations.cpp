// Reads → PositionObservation. Waits for the project's variant caller (calling/, issue #4).
#include "genodose/core/error.hpp"
#include "genodose/pgx/observations.hpp"

namespace genodose::pgx {

std::vector<SampleObservations> observations_from_reads(const std::vector<GenotypingTarget>& targets,
                                                        const ReadsObservationOptions& options) {
    (void)targets;
    (void)options;
    throw NotImplementedError("genodose genotype --reads is not implemented yet: the reads path needs the caller, issue #4",
                              "call variants first and pass the VCF with --vcf (and --missing-to-ref only for a gVCF-like, "
                              "all-sites VCF)");
}

}  // namespace genodose::pgx
