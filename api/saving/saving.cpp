#include <strata/api/saving/saving.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include <strata/api/saving/compile_config.hpp>
#include <strata/api/saving/hdf5.hpp>
#include <strata/api/saving/keras1_dialect.hpp>
#include <strata/api/saving/keras2_dialect.hpp>
#include <strata/api/saving/zip.hpp>
#include <strata/api/sequential.hpp>
#include <strata/layers/core/input_layer.hpp>

namespace strata {

namespace {

namespace fs = std::filesystem;

/// The Keras version whose dialect strata writes; readers use it to pick conversions.
constexpr const char* kKerasVersion = "3.15.1";
constexpr const char* kBackend = "strata";

/// The HDF5 library is not thread-safe in every build: one saving operation at a time.
std::recursive_mutex& hdf5_mutex() {
  static std::recursive_mutex m;
  return m;
}

/// Rethrows the exception being handled with `prefix` added, keeping its type; JSON errors become
/// FileFormatError.
[[noreturn]] void rethrow_with(const std::string& prefix) {
  try {
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw FileFormatError(prefix + e.what());
  } catch (...) {
    rethrow_with_prefix(prefix);
  }
}

nlohmann::json parse_json(const std::string& text, const std::string& where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number beyond double ("1e999")
    throw FileFormatError(where + "invalid JSON (" + e.what() + ")");
  }
}

// ---- atomic writes ---------------------------------------------------------------------------------

void fsync_path(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Runs `write` on a temporary file in the target's directory, then renames it over `path`: readers see
/// the old file or the complete new one, never a partial file.
void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) throw FileFormatError(path + ": cannot create the directory " + dir.string() + " (" + ec.message() + ")");
  }
  if (fs::is_directory(target, ec)) throw FileFormatError(path + ": is a directory");
  static std::atomic<unsigned> counter{0};
  // hidden, unique per process and call, and in the same directory so the rename cannot cross filesystems
  std::string tmp_name = target.filename().string();
  tmp_name.insert(0, 1, '.');
  tmp_name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  fs::path tmp = dir / tmp_name;
  try {
    write(tmp.string());
    fsync_path(tmp, false);
    fs::rename(tmp, target, ec);
    if (ec) throw FileFormatError(path + ": cannot move the written file into place (" + ec.message() + ")");
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fsync_path(dir, true);
}

// ---- weights: the legacy layout (model_weights, or the root of a Keras 2 weights file) ----------------

/// Keras's legacy weight order: trainable first, then non-trainable (a frozen layer's all non-trainable).
std::vector<Variable*> legacy_weights(const Layer& layer) {
  auto w = layer.trainable_weights();
  auto n = layer.non_trainable_weights();
  w.insert(w.end(), n.begin(), n.end());
  return w;
}

/// Keras 3's weight paths: variables are named inside the name scope of each enclosing Sequential
/// ("sequential/dense/kernel"); functional models add no scope ("dense/kernel").
std::map<const Variable*, std::string> keras_weight_names(const Model& model) {
  std::map<const Variable*, std::string> out;
  std::function<void(const Model&, const std::string&)> walk = [&](const Model& m, const std::string& prefix) {
    for (const auto& l : m.layers()) {
      if (auto* sub = dynamic_cast<const Model*>(l.get())) {
        walk(*sub, prefix + (dynamic_cast<const Sequential*>(sub) ? sub->name() + "/" : ""));
      } else {
        for (Variable* v : l->weights()) out.emplace(v, prefix + v->path());
      }
    }
  };
  walk(model, dynamic_cast<const Sequential*>(&model) ? model.name() + "/" : "");
  return out;
}

void check_unique_layer_names(const Model& model, const std::string& path) {
  std::set<std::string> names;
  for (const auto& l : model.layers())
    if (!names.insert(l->name()).second)
      throw ValueError(path + ": cannot save model '" + model.name() + "': two of its layers are named '" +
                       l->name() + "'; layer names must be unique in a saved model");
}

void write_weight_subset(h5::Group& group, const std::vector<Variable*>& vars,
                         const std::map<const Variable*, std::string>& names, KerasDialect dialect) {
  std::vector<std::string> weight_names;
  std::set<std::string> used;
  for (Variable* v : vars) {
    auto it = names.find(v);
    std::string base = it != names.end() ? it->second : v->path();
    // two variables with one path (keras-team/keras#19375) would overwrite each other: number the second
    std::string name = base;
    for (int k = 1; used.count(name); ++k) name = base + "_" + std::to_string(k);
    used.insert(name);
    if (dialect == KerasDialect::keras2) name += ":0";  // TensorFlow's variable names
    weight_names.push_back(name);
  }
  group.write_string_list("weight_names", weight_names);
  for (std::size_t i = 0; i < vars.size(); ++i) group.write_tensor(weight_names[i], vars[i]->value());
}

void write_legacy_weights(h5::Group& group, const Model& model, KerasDialect dialect = KerasDialect::keras3) {
  // tf.keras 2 names variables by their layer only ("dense/kernel:0")
  std::map<const Variable*, std::string> names;
  if (dialect == KerasDialect::keras3) names = keras_weight_names(model);
  auto layers = model.layers();
  std::vector<std::string> layer_names;
  for (const auto& l : layers) layer_names.push_back(l->name());
  group.write_string_list("layer_names", layer_names);
  const bool keras2 = dialect == KerasDialect::keras2;
  group.write_string("backend", keras2 ? "tensorflow" : kBackend, true);
  group.write_string("keras_version", keras2 ? saving::kKeras2Version : kKerasVersion, true);
  // sorted by name, as Keras creates them
  std::sort(layers.begin(), layers.end(), [](const auto& a, const auto& b) { return a->name() < b->name(); });
  for (const auto& l : layers) {
    h5::Group g = group.require_group(l->name());
    write_weight_subset(g, legacy_weights(*l), names, dialect);
  }
  h5::Group top = group.require_group("top_level_model_weights");
  top.write_string_list("weight_names", {});
}

std::string weight_label(const Variable& v) { return "'" + v.path() + "'"; }

/// Assigns the datasets named by `weight_names` to `vars`, checking shapes first. Returns false if a
/// shape differs and skip_mismatch is set (nothing of this layer is assigned then). With a layer and the file's
/// origin, Keras 1 and Theano kernel layouts are converted first (keras1_dialect.hpp).
bool assign_subset(const h5::Group& g, const std::vector<std::string>& weight_names, const std::vector<Variable*>& vars,
                   const std::string& layer_desc, bool skip_mismatch, const Layer* layer = nullptr,
                   const saving::WeightsOrigin& origin = {}) {
  // Theano's kernels are flipped even where their shape fits
  const bool flipped = origin.backend == "theano" || origin.backend == "mxnet";
  std::vector<std::optional<Tensor>> converted(vars.size());
  for (std::size_t i = 0; i < vars.size(); ++i) {
    Shape s = g.dataset_shape(weight_names[i]);
    if (layer && (s != vars[i]->shape() || flipped)) {
      converted[i] = saving::to_current_layout(*layer, i, g.read_tensor(weight_names[i], vars[i]->dtype()),
                                               vars[i]->shape(), origin);
      s = converted[i]->shape();
    }
    if (s != vars[i]->shape()) {
      if (skip_mismatch) {
        spdlog::warn("{}skipping weights of {}: weight {} expects shape {}, the file has {}", g.where(), layer_desc,
                     weight_label(*vars[i]), shape_str(vars[i]->shape()), shape_str(s));
        return false;
      }
      throw ShapeError(g.where(weight_names[i]) + "shape mismatch in " + layer_desc + " for weight " +
                       weight_label(*vars[i]) + ": the weight expects shape " + shape_str(vars[i]->shape()) +
                       ", the file has shape " + shape_str(s));
    }
  }
  for (std::size_t i = 0; i < vars.size(); ++i)
    vars[i]->assign(converted[i] ? *converted[i] : g.read_tensor(weight_names[i], vars[i]->dtype()));
  return true;
}

/// The keras_version and backend attributes of a legacy weights group ("" where absent).
saving::WeightsOrigin origin_of(const h5::Group& group) {
  saving::WeightsOrigin o;
  if (group.has_attr("keras_version")) o.keras_version = group.read_string("keras_version");
  if (group.has_attr("backend")) o.backend = group.read_string("backend");
  return o;
}

/// `file` is the whole-model file when `group` is its model_weights: Keras 1 wrote the version only at the root.
void load_legacy_weights(const h5::Group& group, Model& model, const LoadWeightsOptions& options,
                         const h5::Group* file = nullptr) {
  std::vector<std::string> layer_names = group.read_string_list("layer_names");
  saving::WeightsOrigin origin = origin_of(group);
  if (file) {
    const saving::WeightsOrigin root = origin_of(*file);
    if (origin.keras_version.empty()) origin.keras_version = root.keras_version;
    if (origin.backend.empty()) origin.backend = root.backend;
  }
  auto layers = model.layers();
  if (options.by_name) {
    std::map<std::string, std::vector<Layer*>> index;
    for (const auto& l : layers) index[l->name()].push_back(l.get());
    for (std::size_t k = 0; k < layer_names.size(); ++k) {
      auto it = index.find(layer_names[k]);
      if (it == index.end()) continue;
      h5::Group g = group.group(layer_names[k]);
      auto weight_names = g.read_string_list("weight_names");
      for (Layer* layer : it->second) {
        auto vars = legacy_weights(*layer);
        std::string desc = "layer #" + std::to_string(k) + " (named " + layer->name() + ")";
        if (vars.size() != weight_names.size()) {
          std::string msg = "weight count mismatch for " + desc + ": the layer expects " +
                            std::to_string(vars.size()) + " weight(s), the file has " +
                            std::to_string(weight_names.size());
          if (options.skip_mismatch) {
            spdlog::warn("{}skipping: {}", g.where(), msg);
            continue;
          }
          throw ValueError(g.where("weight_names") + msg);
        }
        assign_subset(g, weight_names, vars, desc, options.skip_mismatch, layer, origin);
      }
    }
    return;
  }
  // topological: the k-th layer with weights in the model takes the k-th layer with weights in the file
  std::vector<Layer*> model_layers;
  for (const auto& l : layers)
    if (!legacy_weights(*l).empty()) model_layers.push_back(l.get());
  std::vector<std::pair<std::string, std::vector<std::string>>> file_layers;
  for (const auto& name : layer_names) {
    h5::Group g = group.group(name);
    auto weight_names = g.read_string_list("weight_names");
    if (!weight_names.empty()) file_layers.emplace_back(name, std::move(weight_names));
  }
  if (model_layers.size() != file_layers.size())
    throw ValueError(group.where("layer_names") +
                     "layer count mismatch when loading weights from file. Model expected " +
                     std::to_string(model_layers.size()) + " layers, found " + std::to_string(file_layers.size()) +
                     " saved layers.");
  for (std::size_t k = 0; k < model_layers.size(); ++k) {
    Layer* layer = model_layers[k];
    const auto& [name, weight_names] = file_layers[k];
    auto vars = legacy_weights(*layer);
    h5::Group g = group.group(name);
    std::string desc = "layer #" + std::to_string(k) + " (named " + layer->name() + " in the model, " + name +
                       " in the file)";
    if (vars.size() != weight_names.size())
      throw ValueError(g.where("weight_names") + "weight count mismatch for " + desc + ": the layer expects " +
                       std::to_string(vars.size()) + " weight(s), the file has " +
                       std::to_string(weight_names.size()));
    assign_subset(g, weight_names, vars, desc, options.skip_mismatch, layer, origin);
  }
  if (group.has_group("top_level_model_weights")) {
    h5::Group g = group.group("top_level_model_weights");
    if (g.has_string_list("weight_names") && !g.read_string_list("weight_names").empty())
      throw ValueError(g.where("weight_names") + "the file has top-level model weights (a subclassed model's own "
                       "variables); model '" + model.name() + "' has none");
  }
}

// ---- optimizer state -------------------------------------------------------------------------------

/// Keras 2 (OptimizerV2) slot names -> Keras 3's.
std::string keras3_slot(const std::string& slot) {
  if (slot == "m") return "momentum";
  if (slot == "v") return "velocity";
  if (slot == "vhat") return "velocity_hat";
  if (slot == "rms") return "velocity";
  if (slot == "mg") return "average_gradient";
  return slot;
}

/// Maps Keras 2 optimizer weight names ("Adam/iter:0", "Adam/dense/kernel/m:0", "training/Adam/...")
/// onto the optimizer's variables; empty if any name has no counterpart.
std::vector<Variable*> map_keras2_optimizer_names(const std::vector<std::string>& names, Optimizer& opt) {
  std::map<std::string, Variable*> by_path;
  auto vars = opt.variables();
  for (Variable* v : vars) by_path[v->path()] = v;
  std::vector<Variable*> out;
  for (std::string n : names) {
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ":0") == 0) n.resize(n.size() - 2);
    if (n.rfind("training/", 0) == 0) n = n.substr(9);
    auto slash = n.find('/');
    if (slash == std::string::npos) return {};
    std::string rest = n.substr(slash + 1);
    Variable* v = nullptr;
    if (rest == "iter" || rest == "iterations" || rest == "iteration") {
      v = vars[0];
    } else if (rest == "learning_rate" || rest == "lr") {
      // absent when the learning rate is a schedule (as in Keras)
      auto it = by_path.find(opt.name() + "/learning_rate");
      if (it != by_path.end()) v = it->second;
    } else {
      auto last = rest.rfind('/');
      if (last == std::string::npos) return {};
      std::string base = rest.substr(0, last);
      std::replace(base.begin(), base.end(), '/', '_');
      auto it = by_path.find(opt.name() + "/" + base + "_" + keras3_slot(rest.substr(last + 1)));
      if (it != by_path.end()) v = it->second;
    }
    if (!v) return {};
    out.push_back(v);
  }
  return out;
}

void load_optimizer_weights(const h5::Group& g, Model& model) {
  Optimizer& opt = *model.optimizer();
  // as Keras's load_model: build the slots for the trainable variables, then assign in order
  model.build_optimizer();
  auto vars = opt.variables();
  auto names = g.read_string_list("weight_names");
  std::vector<Variable*> targets;
  // Keras 3 names ("adam/dense_kernel_momentum") in the optimizer's own order: by position. Otherwise by
  // name: Keras 2 files, and optimizers saved before their first step (only iteration and learning_rate).
  if (names.size() == vars.size()) targets = vars;
  else targets = map_keras2_optimizer_names(names, opt);
  if (targets.size() != names.size()) {
    spdlog::warn("{}the saved optimizer state ({} variables) does not fit optimizer '{}' ({} variables); the "
                 "optimizer starts fresh, as Keras does",
                 g.where("weight_names"), names.size(), opt.name(), vars.size());
    return;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    Shape s = g.dataset_shape(names[i]);
    if (s != targets[i]->shape()) {
      spdlog::warn("{}optimizer variable {} expects shape {}, the file has {}; the optimizer starts fresh, as Keras "
                   "does",
                   g.where(names[i]), targets[i]->path(), shape_str(targets[i]->shape()), shape_str(s));
      return;
    }
  }
  for (std::size_t i = 0; i < targets.size(); ++i) targets[i]->assign(g.read_tensor(names[i], targets[i]->dtype()));
}

void write_optimizer_weights(h5::Group& root, const Model& model) {
  const Optimizer& opt = *model.optimizer();
  auto vars = opt.variables();
  h5::Group g = root.require_group("optimizer_weights");
  std::vector<std::string> names;
  for (Variable* v : vars) names.push_back(v->path());
  g.write_string_list("weight_names", names);
  for (std::size_t i = 0; i < vars.size(); ++i) g.write_tensor(names[i], vars[i]->value());
}

// ---- weights: Keras 3's .weights.h5 layout ---------------------------------------------------------

std::string keras_class_name(const Layer& l) { return l.class_name() == "Model" ? "Functional" : l.class_name(); }

/// Keras 3 keys list elements by snake_case class name, numbered per container: dense, dense_1, ...
std::string next_key(const Layer& l, std::map<std::string, int>& used) {
  std::string key = to_snake_case(keras_class_name(l));
  auto it = used.find(key);
  if (it == used.end()) {
    used[key] = 0;
    return key;
  }
  return key + "_" + std::to_string(++it->second);
}

h5::Group vars_group(h5::Group parent, const std::string& name) {
  h5::Group g = parent.require_group("vars");
  // Keras >= 3.6 tags every visited object's vars group with the object's name
  g.write_string("name", name);
  return g;
}

void write_keras3_weights(h5::File& f, const Model& model) {
  vars_group(f, model.name());
  std::function<void(h5::Group, const Model&)> walk = [&](h5::Group g, const Model& m) {
    std::map<std::string, int> used;
    h5::Group layers = g.require_group("layers");
    for (const auto& l : m.layers()) {
      h5::Group lg = layers.require_group(next_key(*l, used));
      h5::Group vg = vars_group(lg, l->name());
      if (auto* sub = dynamic_cast<const Model*>(l.get())) {
        walk(lg, *sub);
        continue;
      }
      auto vars = l->weights();
      for (std::size_t i = 0; i < vars.size(); ++i) vg.write_tensor(std::to_string(i), vars[i]->value());
    }
  };
  walk(f, model);
  if (model.compiled() && model.optimizer()) {
    h5::Group og = f.require_group("optimizer");
    h5::Group vg = vars_group(og, model.optimizer()->name());
    auto vars = model.optimizer()->variables();
    for (std::size_t i = 0; i < vars.size(); ++i) vg.write_tensor(std::to_string(i), vars[i]->value());
  }
}

std::size_t count_vars(const h5::Group& vg) {
  std::size_t n = 0;
  for (const auto& c : vg.children())
    if (vg.has_dataset(c)) ++n;
  return n;
}

void load_keras3_weights(const h5::File& f, Model& model, const LoadWeightsOptions& options) {
  if (options.by_name)
    throw ValueError(f.where() + "by_name loading is only supported for legacy .h5 weight files, not for Keras 3 "
                     ".weights.h5 files (as in Keras)");
  std::function<void(const h5::Group&, Model&)> walk = [&](const h5::Group& g, Model& m) {
    std::map<std::string, int> used;
    // Keras 2.13-2.15 wrote .keras weights under _layer_checkpoint_dependencies
    const std::string container =
        !g.has_group("layers") && g.has_group("_layer_checkpoint_dependencies") ? "_layer_checkpoint_dependencies"
                                                                                 : "layers";
    for (const auto& l : m.layers()) {
      std::string key = next_key(*l, used);
      std::string path = container + "/" + key;
      if (auto* sub = dynamic_cast<Model*>(l.get())) {
        if (g.has_group(path)) walk(g.group(path), *sub);
        else if (!sub->weights().empty())
          throw FileFormatError(g.where(path) + "missing group for model '" + sub->name() + "'");
        continue;
      }
      auto vars = l->weights();
      if (vars.empty()) continue;
      std::string desc = "layer '" + l->name() + "' (" + l->class_name() + ")";
      if (!g.has_group(path + "/vars")) {
        if (options.skip_mismatch) {
          spdlog::warn("{}no saved variables for {}; skipped", g.where(path + "/vars"), desc);
          continue;
        }
        throw FileFormatError(g.where(path + "/vars") + "missing group: no saved variables for " + desc);
      }
      h5::Group vg = g.group(path + "/vars");
      std::size_t n = count_vars(vg);
      if (n != vars.size()) {
        std::string expected;
        for (Variable* v : vars) expected += (expected.empty() ? "" : ", ") + v->name();
        std::string msg = desc + " expected " + std::to_string(vars.size()) + " variables, but received " +
                          std::to_string(n) + " variables during loading. Expected: [" + expected + "]";
        if (options.skip_mismatch) {
          spdlog::warn("{}{}; skipped", vg.where(), msg);
          continue;
        }
        throw ValueError(vg.where() + msg);
      }
      std::vector<std::string> names;
      for (std::size_t i = 0; i < n; ++i) names.push_back(std::to_string(i));
      assign_subset(vg, names, vars, desc, options.skip_mismatch);
    }
  };
  walk(f, model);
  if (model.compiled() && model.optimizer() && f.has_group("optimizer/vars")) {
    h5::Group vg = f.group("optimizer/vars");
    Optimizer& opt = *model.optimizer();
    model.build_optimizer();
    auto vars = opt.variables();
    std::size_t n = count_vars(vg);
    if (n != vars.size()) {
      spdlog::warn("{}skipping variable loading for optimizer '{}', because it has {} variables whereas the saved "
                   "optimizer has {} variables",
                   vg.where(), opt.name(), vars.size(), n);
      return;
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < n; ++i) names.push_back(std::to_string(i));
    assign_subset(vg, names, vars, "optimizer '" + opt.name() + "'", false);
  }
}

/// Legacy .h5 content: the root of a weights file, or model_weights of a whole-model file.
bool is_legacy_weights_root(const h5::Group& g) { return g.has_string_list("layer_names"); }

nlohmann::json legacy_entry(const nlohmann::json& entry);

/// Keras 3 writes .h5 model configs with legacy per-layer wrappers: {"class_name", "config"} (+ "name",
/// "inbound_nodes" in functional models), without module/registered_name/build_config.
nlohmann::json legacy_config(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("layers")) return config;
  nlohmann::json c = config;
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& e : config.at("layers")) layers.push_back(legacy_entry(e));
  c["layers"] = layers;
  return c;
}

nlohmann::json legacy_entry(const nlohmann::json& entry) {
  nlohmann::json out;
  // a registered custom class is named by its registered name in legacy configs
  out["class_name"] = entry.contains("registered_name") && entry.at("registered_name").is_string() &&
                              entry.at("registered_name") != "Functional"
                          ? entry.at("registered_name")
                          : entry.at("class_name");
  out["config"] = legacy_config(entry.at("config"));
  if (entry.contains("name")) out["name"] = entry.at("name");
  if (entry.contains("inbound_nodes")) out["inbound_nodes"] = entry.at("inbound_nodes");
  return out;
}

// ---- the .keras archive (Keras 3's native format) ---------------------------------------------------

/// A hidden temporary path next to nothing the user owns: for the weights inside an archive.
std::string temporary_path(const std::string& suffix) {
  static std::atomic<unsigned> counter{0};
  return (fs::temp_directory_path() /
          ("strata-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + suffix))
      .string();
}

/// Removes a temporary file when it goes out of scope.
struct RemoveOnExit {
  std::string path;
  ~RemoveOnExit() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

std::string date_saved() {
  std::time_t t = zip::timestamp();
  std::tm local{};
  localtime_r(&t, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d@%H:%M:%S", &local);
  return buf;
}

/// Keras's model.save("x.keras"): metadata.json, config.json and model.weights.h5, stored uncompressed.
void save_keras_archive(const Model& model, const std::string& path) {
  write_atomically(path, [&](const std::string& tmp) {
    RemoveOnExit weights{tmp + ".weights.h5"};
    {
      h5::File f = h5::File::create(weights.path, path + "/model.weights.h5");
      write_keras3_weights(f, model);
      f.close();
    }
    nlohmann::json config = serialize_layer(model);
    config["compile_config"] = saving::compile_config(model);
    nlohmann::json metadata = {{"keras_version", kKerasVersion}, {"date_saved", date_saved()}};
    zip::Writer archive(tmp, path);
    archive.add("metadata.json", metadata.dump());
    archive.add("config.json", config.dump());
    archive.add_file("model.weights.h5", weights.path);
    archive.close();
  });
}

/// The weights inside a .keras archive, extracted to a temporary file for HDF5.
void load_keras_archive_weights(const zip::Reader& archive, const std::string& path, Model& model,
                                const LoadWeightsOptions& options) {
  if (!archive.has("model.weights.h5")) {
    if (archive.has("model.weights.npz"))
      throw UnsupportedError(path + ": model.weights.npz: weights saved with weights_format=\"npz\" are not "
                             "supported; save with the default .h5 weights");
    throw FileFormatError(path + ": model.weights.h5: missing from the archive");
  }
  RemoveOnExit weights{temporary_path(".weights.h5")};
  archive.extract("model.weights.h5", weights.path);
  h5::File f = h5::File::open_read(weights.path, path + "/model.weights.h5");
  load_keras3_weights(f, model, options);
}

std::shared_ptr<Model> load_keras_archive(const std::string& path, const LoadModelOptions& options) {
  zip::Reader archive(path);
  if (!archive.has("config.json"))
    throw FileFormatError(path + ": config.json: missing from the archive (not a .keras file?)");
  nlohmann::json config = parse_json(archive.read("config.json"), path + ": config.json: ");
  if (archive.has("metadata.json")) {
    // Keras 2.13-2.15 wrote .keras archives too
    const nlohmann::json metadata = parse_json(archive.read("metadata.json"), path + ": metadata.json: ");
    if (metadata.is_object() && metadata.contains("keras_version") && metadata.at("keras_version").is_string())
      saving::use_keras2_meanings(config, metadata.at("keras_version"));
  }
  std::shared_ptr<Model> model;
  try {
    model = model_from_config(config);
  } catch (...) {
    rethrow_with(path + ": config.json: ");
  }
  // as Keras: compile first, so the optimizer is built and its variables load with the weights
  if (options.compile && config.is_object() && config.contains("compile_config") &&
      config.at("compile_config").is_object() && !config.at("compile_config").empty()) {
    CompileOptions compile;
    try {
      compile = saving::compile_options_from(config.at("compile_config"), *model);
    } catch (...) {
      rethrow_with(path + ": config.json: compile_config: ");
    }
    model->compile(std::move(compile));
    model->build_optimizer();
  }
  load_keras_archive_weights(archive, path, *model, {});
  return model;
}

}  // namespace

// ---- public API ------------------------------------------------------------------------------------

ModelFileFormat model_file_format(const std::string& path) {
  std::string p = path;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (p.ends_with(".weights.h5")) return ModelFileFormat::weights_h5;
  if (p.ends_with(".h5") || p.ends_with(".hdf5")) return ModelFileFormat::h5;
  if (p.ends_with(".keras")) return ModelFileFormat::keras;
  if (p.ends_with(".json")) return ModelFileFormat::json;
  return ModelFileFormat::other;
}

namespace {
std::shared_ptr<Model> model_from_config_unchecked(const nlohmann::json& serialized) {
  if (!serialized.is_object() || !serialized.contains("class_name") || !serialized.at("class_name").is_string())
    throw FileFormatError("model config: expected {\"class_name\": ..., \"config\": ...}, got " +
                          serialized.dump().substr(0, 120));
  const std::string cls = serialized.at("class_name").get<std::string>();
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& config = serialized.contains("config") ? serialized.at("config") : empty;
  if (cls == "Sequential") return Sequential::from_config(config);
  if (cls == "Functional" || cls == "Model") return Model::from_config(config);
  auto layer = deserialize_layer(serialized);
  auto model = std::dynamic_pointer_cast<Model>(layer);
  if (!model)
    throw ValueError("model config: class '" + cls + "' is a layer, not a model; wrap it in a Sequential or a "
                     "functional Model");
  return model;
}
}  // namespace

std::shared_ptr<Model> model_from_config(const nlohmann::json& serialized) {
  try {
    return model_from_config_unchecked(serialized);
  } catch (const nlohmann::json::exception& e) {
    // a field of an unexpected JSON type that a reader did not check itself
    throw FileFormatError(std::string("model config: ") + e.what());
  } catch (const std::bad_alloc&) {
    // a config may ask for weights larger than memory (Dense(units=10**12)): an answer, not a crash
    throw ValueError("model config: the model's weights do not fit in memory (out of memory while building it)");
  }
}

std::shared_ptr<Model> model_from_json(const std::string& json) {
  nlohmann::json config = parse_json(json, "model JSON: ");
  if (config.is_object() && config.contains("keras_version") && config.at("keras_version").is_string())
    saving::use_keras2_meanings(config, config.at("keras_version"));
  return model_from_config(config);
}

std::shared_ptr<Model> load_model(const std::string& path, LoadModelOptions options) {
  std::lock_guard lock(hdf5_mutex());
  if (model_file_format(path) == ModelFileFormat::keras) return load_keras_archive(path, options);
  h5::File f = h5::File::open_read(path);
  if (!f.has_attr("model_config"))
    throw FileFormatError(f.where("model_config") +
                          "missing attribute: the file holds no model config (a weights-only file? Build the model "
                          "in code and call model.load_weights)");
  nlohmann::json config = parse_json(f.read_string("model_config"), f.where("model_config"));
  if (f.has_attr("keras_version")) saving::use_keras2_meanings(config, f.read_string("keras_version"));
  std::shared_ptr<Model> model;
  try {
    model = model_from_config(config);
  } catch (...) {
    rethrow_with(f.where("model_config"));
  }
  load_legacy_weights(f.group("model_weights"), *model, {}, &f);
  if (options.compile && f.has_attr("training_config")) {
    nlohmann::json training = parse_json(f.read_string("training_config"), f.where("training_config"));
    CompileOptions compile;
    try {
      compile = saving::compile_options_from(training, *model);
    } catch (...) {
      rethrow_with(f.where("training_config"));
    }
    model->compile(std::move(compile));
    if (f.has_group("optimizer_weights")) load_optimizer_weights(f.group("optimizer_weights"), *model);
  }
  return model;
}

void Model::save(const std::string& path, SaveOptions options) const {
  std::lock_guard lock(hdf5_mutex());
  ModelFileFormat format = model_file_format(path);
  if (format != ModelFileFormat::h5 && format != ModelFileFormat::keras)
    throw ValueError(path + ": invalid filepath extension for saving. Add either a .keras extension for the native "
                     "Keras format or a .h5 (.hdf5) extension for the legacy HDF5 format");
  if (!options.overwrite && fs::exists(path))
    throw ValueError(path + ": the file exists and overwrite is false");
  const bool keras2 = options.dialect == KerasDialect::keras2;
  if (keras2 && format != ModelFileFormat::h5)
    throw ValueError(path + ": the Keras 2 dialect is written to .h5 files only (tf.keras 2's .keras format is not "
                     "Keras 3's)");
  check_unique_layer_names(*this, path);
  if (format == ModelFileFormat::keras) {
    // as Keras: the archive always holds the optimizer of a compiled model
    save_keras_archive(*this, path);
    return;
  }
  write_atomically(path, [&](const std::string& tmp) {
    h5::File f = h5::File::create(tmp, path);
    h5::Group weights = f.require_group("model_weights");
    write_legacy_weights(weights, *this, options.dialect);
    f.write_string("keras_version", keras2 ? saving::kKeras2Version : kKerasVersion);
    f.write_string("backend", keras2 ? "tensorflow" : kBackend);
    nlohmann::json config = keras2 ? saving::keras2_model(serialize_layer(*this))
                                   : nlohmann::json{{"class_name", keras_class_name(*this)},
                                                    {"config", legacy_config(get_config())}};
    f.write_string("model_config", config.dump(), true);
    if (options.include_optimizer && compiled() && optimizer()) {
      nlohmann::json training = saving::training_config(*this);
      f.write_string("training_config", (keras2 ? saving::keras2_training_config(training) : training).dump(), true);
      if (!keras2) write_optimizer_weights(f, *this);
    }
    f.close();
  });
}

void Model::save_weights(const std::string& path) const {
  std::lock_guard lock(hdf5_mutex());
  ModelFileFormat format = model_file_format(path);
  if (format != ModelFileFormat::h5 && format != ModelFileFormat::weights_h5)
    throw ValueError(path + ": the filename must end in .weights.h5 (Keras 3's weights format) or .h5/.hdf5 "
                     "(the legacy layout)");
  check_unique_layer_names(*this, path);
  write_atomically(path, [&](const std::string& tmp) {
    h5::File f = h5::File::create(tmp, path);
    if (format == ModelFileFormat::weights_h5) write_keras3_weights(f, *this);
    else write_legacy_weights(f, *this);
    f.close();
  });
}

void Model::load_weights(const std::string& path, LoadWeightsOptions options) {
  std::lock_guard lock(hdf5_mutex());
  if (model_file_format(path) == ModelFileFormat::keras) {
    if (options.by_name)
      throw ValueError(path + ": by_name loading is only supported for legacy .h5 weight files, not for .keras "
                       "archives (as in Keras)");
    load_keras_archive_weights(zip::Reader(path), path, *this, options);
    return;
  }
  h5::File f = h5::File::open_read(path);
  if (is_legacy_weights_root(f)) {
    load_legacy_weights(f, *this, options);
  } else if (f.has_group("model_weights")) {
    load_legacy_weights(f.group("model_weights"), *this, options, &f);
  } else if (f.has_group("layers") || f.has_group("vars") || f.has_group("_layer_checkpoint_dependencies")) {
    load_keras3_weights(f, *this, options);
  } else {
    throw FileFormatError(f.where() + "not a Keras weights file: no layer_names attribute, no model_weights group "
                          "and no layers group");
  }
}

std::string Model::to_json(int indent, KerasDialect dialect) const {
  if (dialect == KerasDialect::keras2) {
    nlohmann::json j = saving::keras2_model(serialize_layer(*this));
    j["keras_version"] = saving::kKeras2Version;
    j["backend"] = "tensorflow";
    return j.dump(indent);
  }
  nlohmann::json j = serialize_layer(*this);
  j["compile_config"] = saving::compile_config(*this);
  return j.dump(indent);
}

}  // namespace strata
