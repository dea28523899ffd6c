#pragma once
// Reading and writing Keras's files (docs/saving.md). The members Model::save, save_weights,
// load_weights and to_json are declared in api/model.hpp and implemented here.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <strata/api/model.hpp>
#include <strata/api/saving/registry.hpp>

namespace strata {

/// A model file's format, by its suffix (case-insensitive), as Keras picks it: ".h5"/".hdf5" (the legacy HDF5
/// model or weights), ".weights.h5" (Keras 3's weights), ".keras" (Keras 3's archive), ".json" (model.to_json()).
enum class ModelFileFormat { h5, weights_h5, keras, json, other };
ModelFileFormat model_file_format(const std::string& path);

struct LoadModelOptions {
  /// Restore the compile state (optimizer with its variables, loss, metrics) when the file has one.
  bool compile = true;
};

/// A whole model from a file written by model.save (strata or Keras): ".h5"/".hdf5", Keras's legacy
/// HDF5 format of any Keras version. Errors are typed (FileFormatError for a bad file, UnsupportedError
/// for a layer or option strata lacks, ShapeError/ValueError for weights that do not fit) and name the
/// file and the field.
std::shared_ptr<Model> load_model(const std::string& path, LoadModelOptions options = {});

/// A model from model.to_json() of Keras 3 or Keras 2 (or a model_config attribute). Weights are freshly
/// initialized, as in Keras.
std::shared_ptr<Model> model_from_json(const std::string& json);

/// A model from a serialized model object {"class_name": "Sequential" | "Functional" | "Model",
/// "config": ...}, any dialect.
std::shared_ptr<Model> model_from_config(const nlohmann::json& serialized);

}  // namespace strata
