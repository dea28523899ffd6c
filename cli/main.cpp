// The `strata` command: `strata summary FILE` and `strata convert IN OUT` (docs/cli.md).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <new>

#include <strata/api/errors.hpp>
#include <strata/cli/model_files.hpp>

#ifndef STRATA_VERSION
#define STRATA_VERSION "unknown"
#endif

namespace {

namespace fs = std::filesystem;
using namespace strata;

int summary(const std::string& file, int line_length) {
  // a summary needs the architecture (and the optimizer's variable count), not a .json's weights
  auto model = cli::read_model(file, {.read_weights = false});
  std::cout << model->summary_string(line_length) << std::flush;
  return 0;
}

int convert(const std::string& in, const std::string& out, bool force, bool no_weights, bool no_compile,
            bool keras2) {
  std::error_code ec;
  if (fs::equivalent(in, out, ec))
    throw ValueError(out + ": the output is the input file; choose another output path");
  if (no_weights && model_file_format(in) != ModelFileFormat::json)
    throw ValueError(in + ": --no-weights applies only to a .json input");
  auto model = cli::read_model(in, {.compile = !no_compile, .require_weights = !no_weights});
  cli::write_model(*model, out,
                   {.overwrite = force, .dialect = keras2 ? KerasDialect::keras2 : KerasDialect::keras3});
  std::cerr << "strata: wrote " << out;
  if (model_file_format(out) == ModelFileFormat::json) std::cerr << " and " << cli::weights_path_for_json(out);
  std::cerr << (model->compiled() ? " (with the compile state)" : "") << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"strata: inspect and convert Keras model files (.h5, .keras, .json) without Python.", "strata"};
  app.set_version_flag("--version", std::string("strata ") + STRATA_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  strata summary model.keras            print a saved model's Keras summary table\n"
      "  strata convert model.h5 model.keras   convert a legacy HDF5 model to Keras 3's format\n"
      "Run 'strata COMMAND --help' for a command's options. Exit status: 0 success, 1 the model files could not\n"
      "be read or written (the message names the file and the field), 2 bad command-line usage.");

  std::string summary_file;
  int line_length = -1;
  CLI::App* summary_cmd = app.add_subcommand(
      "summary", "Print the Keras summary table (layers, output shapes, parameter counts) of a saved model.");
  summary_cmd->add_option("FILE", summary_file, "A model file: .h5/.hdf5 or .keras (model.save), or .json "
                                                "(model.to_json)")
      ->required();
  summary_cmd->add_option("-w,--line-length", line_length, "Width of the table (default: Keras's)")
      ->check(CLI::Range(40, 1000));
  summary_cmd->footer("Example:\n  strata summary mnist_cnn.h5");

  std::string in, out;
  bool force = false, no_weights = false, no_compile = false, keras2 = false;
  CLI::App* convert_cmd = app.add_subcommand(
      "convert", "Convert a saved model between .h5/.hdf5, .keras and .json; the suffixes pick the formats.");
  convert_cmd->add_option("IN", in, "The model to read: .h5/.hdf5, .keras, or .json with its <stem>.weights.h5")
      ->required();
  convert_cmd->add_option("OUT", out, "The file to write: .h5/.hdf5, .keras, or .json (which also writes "
                                      "<stem>.weights.h5)")
      ->required();
  convert_cmd->add_flag("-f,--force", force, "Overwrite OUT (and its .weights.h5) if it exists");
  convert_cmd->add_flag("--no-weights", no_weights,
                        "For a .json IN without its <stem>.weights.h5: write freshly initialized weights");
  convert_cmd->add_flag("--no-compile", no_compile,
                        "Drop the compile state (optimizer and its variables, loss, metrics) instead of keeping it");
  convert_cmd->add_flag("--keras2", keras2,
                        "Write a .h5 OUT in tf.keras 2's dialect, for TensorFlow 2 (the optimizer starts fresh there)");
  convert_cmd->footer(
      "The compile state (optimizer with its variables, loss, metrics) is kept when IN has one; every format\n"
      "carries it. A .json file holds the architecture (model.to_json()); its weights live beside it in\n"
      "<stem>.weights.h5, which a .json IN requires unless --no-weights is given.\n"
      "Examples:\n"
      "  strata convert model.h5 model.keras\n"
      "  strata convert model.keras model.json    writes model.json and model.weights.h5\n"
      "  strata convert --keras2 model.keras model_tf.h5   for tf.keras 2 (tf.keras.models.load_model)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    if (*summary_cmd) return summary(summary_file, line_length);
    return convert(in, out, force, no_weights, no_compile, keras2);
  } catch (const strata::Error& e) {
    std::cerr << "strata: error: " << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    std::cerr << "strata: error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "strata: internal error (please report it): " << e.what() << "\n";
  }
  return 1;
}
