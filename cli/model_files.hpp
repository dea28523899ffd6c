#pragma once
// Reading and writing a whole model in any format the `strata` command handles, picked by the file's
// suffix: ".h5"/".hdf5" (Keras's legacy HDF5), ".keras" (Keras 3's archive) and ".json" (model.to_json(),
// with its weights in a sibling "<stem>.weights.h5").
#include <memory>
#include <string>

#include <strata/api/model.hpp>
#include <strata/api/saving/saving.hpp>

namespace strata::cli {

/// "model.json" -> "model.weights.h5", in the same directory.
std::string weights_path_for_json(const std::string& json_path);

struct ReadOptions {
  /// Restore the compile state (optimizer and its variables, loss, metrics) when the file has one.
  bool compile = true;
  /// For .json: read the sibling .weights.h5 (a summary needs no weights)...
  bool read_weights = true;
  /// ...and require it (false: a missing one leaves freshly initialized weights, with a warning).
  bool require_weights = true;
};

/// A model from a .h5/.hdf5, .keras or .json file. Errors are strata's typed exceptions, naming the file.
std::shared_ptr<Model> read_model(const std::string& path, const ReadOptions& options = {});

struct WriteOptions {
  bool overwrite = false;
  KerasDialect dialect = KerasDialect::keras3;  // keras2: tf.keras 2's .h5 (SaveOptions::dialect); .h5 only
};

/// Writes a model as .h5/.hdf5, .keras or .json (+ "<stem>.weights.h5"), with its compile state when it is
/// compiled. ValueError if a target exists and overwrite is false.
void write_model(const Model& model, const std::string& path, const WriteOptions& options = {});

}  // namespace strata::cli
