#include <strata/cli/model_files.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <strata/api/errors.hpp>
#include <strata/api/saving/compile_config.hpp>
#include <strata/api/saving/saving.hpp>

namespace strata::cli {

namespace {

namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw FileFormatError(path + ": no such file");
  if (fs::is_directory(path, ec)) throw FileFormatError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileFormatError(path + ": cannot open the file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<Model> read_json_model(const std::string& path, const ReadOptions& options) {
  const std::string text = read_text(path);
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw FileFormatError(path + ": invalid JSON (" + e.what() + ")");
  }
  std::shared_ptr<Model> model;
  try {
    model = model_from_config(config);
  } catch (const Error&) {
    rethrow_with_prefix(path + ": ");
  }
  // model.to_json() carries compile_config; compile before the weights so the optimizer's variables load too
  const bool has_compile_config = config.is_object() && config.contains("compile_config") &&
                                  config.at("compile_config").is_object() && !config.at("compile_config").empty();
  const bool has_optimizer = has_compile_config && config.at("compile_config").contains("optimizer") &&
                             !config.at("compile_config").at("optimizer").is_null();
  if (options.compile && has_compile_config && !has_optimizer)
    std::cerr << "strata: warning: " << path << ": compile_config names no optimizer (Keras's to_json() may leave "
              << "it out); the model is read without its compile state\n";
  if (options.compile && has_optimizer) {
    CompileOptions compile;
    try {
      compile = saving::compile_options_from(config.at("compile_config"), *model);
    } catch (const Error&) {
      rethrow_with_prefix(path + ": compile_config: ");
    }
    model->compile(std::move(compile));
    model->build_optimizer();
  }
  if (!options.read_weights) return model;
  const std::string weights = weights_path_for_json(path);
  std::error_code ec;
  if (!fs::exists(weights, ec)) {
    if (options.require_weights)
      throw FileFormatError(path + ": the weights file " + weights +
                            " is missing (a .json file holds only the architecture; pass --no-weights to use "
                            "freshly initialized weights)");
    std::cerr << "strata: warning: " << weights << " not found; the model has freshly initialized weights\n";
    return model;
  }
  model->load_weights(weights);
  return model;
}

/// Writes `text` to `path` through a temporary file renamed into place, so a failure leaves no partial file.
void write_text_atomically(const std::string& path, const std::string& text) {
  fs::path target(path);
  fs::path tmp = target;
  tmp += ".tmp-strata";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw FileFormatError(path + ": cannot open the file for writing");
    out << text;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw FileFormatError(path + ": cannot write the file");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileFormatError(path + ": cannot move the written file into place (" + ec.message() + ")");
  }
}

void refuse_existing(const std::string& path, const WriteOptions& options) {
  std::error_code ec;
  if (!options.overwrite && fs::exists(path, ec))
    throw ValueError(path + ": the file exists (pass --force to overwrite it)");
}

}  // namespace

std::string weights_path_for_json(const std::string& json_path) {
  fs::path p(json_path);
  return (p.parent_path() / (p.stem().string() + ".weights.h5")).string();
}

std::shared_ptr<Model> read_model(const std::string& path, const ReadOptions& options) {
  switch (model_file_format(path)) {
    case ModelFileFormat::h5:
    case ModelFileFormat::keras: return load_model(path, {.compile = options.compile});
    case ModelFileFormat::json: return read_json_model(path, options);
    case ModelFileFormat::weights_h5:
      throw ValueError(path + ": a .weights.h5 file holds only weights, not the model's architecture; use the "
                       ".h5, .keras or .json file of the model (a .json's weights live in <stem>.weights.h5)");
    case ModelFileFormat::other: break;
  }
  throw ValueError(path + ": unknown model file type; expected a .h5 (.hdf5), .keras or .json file");
}

void write_model(const Model& model, const std::string& path, const WriteOptions& options) {
  if (options.dialect == KerasDialect::keras2 && model_file_format(path) != ModelFileFormat::h5)
    throw ValueError(path + ": the Keras 2 dialect (--keras2) is written to .h5/.hdf5 files only");
  switch (model_file_format(path)) {
    case ModelFileFormat::h5:
    case ModelFileFormat::keras:
      refuse_existing(path, options);
      model.save(path, {.dialect = options.dialect});
      return;
    case ModelFileFormat::json: {
      const std::string weights = weights_path_for_json(path);
      refuse_existing(path, options);
      refuse_existing(weights, options);
      model.save_weights(weights);
      write_text_atomically(path, model.to_json(2) + "\n");
      return;
    }
    case ModelFileFormat::weights_h5:
      throw ValueError(path + ": cannot write a model to a .weights.h5 file, which holds no architecture; write "
                       "a .json file, which writes the architecture there and the weights to <stem>.weights.h5");
    case ModelFileFormat::other: break;
  }
  throw ValueError(path + ": unknown model file type; expected a .h5 (.hdf5), .keras or .json file");
}

}  // namespace strata::cli
