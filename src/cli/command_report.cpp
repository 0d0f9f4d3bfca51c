// `genodose report`: re-renders report.html/.pdf/.fhir.json from a report.json (re-issue a
// report without re-running the analysis; same JSON, same bytes).
#include <memory>

#include "commands.hpp"
#include "genodose/app/pipeline.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::cli {

void add_report_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    auto options = std::make_shared<app::RerenderOptions>();
    auto formats = std::make_shared<std::string>("html,pdf,fhir");
    CLI::App* command = app.add_subcommand("report", "Re-render a report (HTML, PDF, FHIR) from its report.json");
    command->add_option("-i,--input", options->input, "report.json written by genodose run or batch")->required();
    command->add_option("-o,--output-dir", options->output_dir, "Folder for the rendered files (created if missing)")
        ->required();
    command->add_option("--formats", *formats, "Formats to write: html, pdf, fhir, json (comma-separated)")
        ->capture_default_str();
    command->add_flag("--force", options->force,
                      "Allow removing this report's files in other formats when rendering into the folder of --input");
    registry.on(command, [options, formats] {
        require_readable(options->input, "report JSON");
        options->formats = report::parse_report_formats(*formats);
        const auto written = app::rerender_report(*options);
        GENODOSE_LOG_INFO("report: wrote " << written.size() << " files to " << options->output_dir);
    });
}

}  // namespace genodose::cli
