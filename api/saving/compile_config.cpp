#include <strata/api/saving/compile_config.hpp>

#include <algorithm>

#include <strata/api/losses/losses.hpp>
#include <strata/api/metrics/metrics.hpp>
#include <strata/api/optimizers/optimizers.hpp>

namespace strata::saving {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string brief(const nlohmann::json& v) {
  std::string s = v.dump();
  return s.size() > 100 ? s.substr(0, 97) + "..." : s;
}

/// A serialized Keras object's class name and config ({"class_name", "config"}, "module" optional).
struct Serialized {
  std::string class_name;
  nlohmann::json config = nlohmann::json::object();
};

Serialized split(const nlohmann::json& v, const std::string& what) {
  if (!v.is_object() || !v.contains("class_name") || !v.at("class_name").is_string())
    throw FileFormatError(what + ": expected an identifier or {\"class_name\", \"config\"}, got " + brief(v));
  Serialized s{v.at("class_name").get<std::string>()};
  if (v.contains("config")) s.config = v.at("config");
  return s;
}

/// Field `key` of a serialized object's config, or `fallback` when absent or null.
template <class T>
T field(const nlohmann::json& config, const char* key, T fallback, const std::string& what) {
  if (!config.is_object()) return fallback;
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw FileFormatError(what + ": config field '" + key + "' has the wrong type: " + brief(*it));
  }
}

void require_null(const nlohmann::json& config, std::initializer_list<const char*> keys, const std::string& what,
                  const std::string& why) {
  if (!config.is_object()) return;
  for (const char* key : keys) {
    auto it = config.find(key);
    if (it == config.end() || it->is_null()) continue;
    if (it->is_boolean() && !it->get<bool>()) continue;
    if (it->is_number() && it->get<double>() == 0.0) continue;
    throw UnsupportedError(what + ": '" + key + "' is " + brief(*it) + ", but " + why);
  }
}

nlohmann::json serialized(const char* module, const std::string& class_name, nlohmann::json config) {
  return {{"module", module}, {"class_name", class_name}, {"config", std::move(config)}, {"registered_name", nullptr}};
}

// ---- losses ----------------------------------------------------------------------------------------

nlohmann::json serialize_loss(const Loss& loss) {
  return serialized("keras.losses", loss.class_name(), loss.get_config());
}

std::shared_ptr<Loss> deserialize_loss(const nlohmann::json& v, const std::string& what) {
  auto by_name = [&](const std::string& id) {
    try {
      return losses::get(id);
    } catch (const ValueError& e) {
      throw UnsupportedError(what + ": " + e.what());
    }
  };
  if (v.is_string()) return by_name(v.get<std::string>());
  Serialized s = split(v, what);
  // Keras 3 writes a loss function as {"class_name": "function", "config": "mean_squared_error"}
  if (s.class_name == "function" && s.config.is_string()) return by_name(s.config.get<std::string>());
  const auto& c = s.config;
  // Keras writes None as null; Keras 2's "auto" means sum_over_batch_size in compile()
  std::string reduction = c.contains("reduction") && c.at("reduction").is_null()
                              ? "none"
                              : field<std::string>(c, "reduction", "sum_over_batch_size", what);
  if (reduction == "auto") reduction = "sum_over_batch_size";
  std::string name = field<std::string>(c, "name", "", what);
  if (s.class_name == "MeanSquaredError")
    return std::make_shared<losses::MeanSquaredError>(
        losses::MeanSquaredErrorOptions{.reduction = reduction, .name = name.empty() ? "mean_squared_error" : name});
  if (s.class_name == "MeanAbsoluteError")
    return std::make_shared<losses::MeanAbsoluteError>(
        losses::MeanAbsoluteErrorOptions{.reduction = reduction, .name = name.empty() ? "mean_absolute_error" : name});
  if (s.class_name == "BinaryCrossentropy")
    return std::make_shared<losses::BinaryCrossentropy>(
        losses::BinaryCrossentropyOptions{.from_logits = field(c, "from_logits", false, what),
                                          .label_smoothing = field(c, "label_smoothing", 0.0, what),
                                          .axis = field(c, "axis", -1, what),
                                          .reduction = reduction,
                                          .name = name.empty() ? "binary_crossentropy" : name});
  if (s.class_name == "CategoricalCrossentropy")
    return std::make_shared<losses::CategoricalCrossentropy>(
        losses::CategoricalCrossentropyOptions{.from_logits = field(c, "from_logits", false, what),
                                               .label_smoothing = field(c, "label_smoothing", 0.0, what),
                                               .axis = field(c, "axis", -1, what),
                                               .reduction = reduction,
                                               .name = name.empty() ? "categorical_crossentropy" : name});
  if (s.class_name == "SparseCategoricalCrossentropy") {
    std::optional<int> ignore_class;
    if (auto it = c.find("ignore_class"); it != c.end() && !it->is_null()) {
      if (!it->is_number_integer()) throw FileFormatError(what + ": config field 'ignore_class' must be an integer");
      ignore_class = it->get<int>();
    }
    return std::make_shared<losses::SparseCategoricalCrossentropy>(losses::SparseCategoricalCrossentropyOptions{
        .from_logits = field(c, "from_logits", false, what),
        .reduction = reduction,
        .name = name.empty() ? "sparse_categorical_crossentropy" : name,
        .ignore_class = ignore_class});
  }
  // the remaining simple losses (issue 5): Keras saves only name and reduction (not Huber's delta or
  // CosineSimilarity's axis), so the defaults apply
  auto named_loss = [&]<class L, class O>(const char* default_name) -> std::shared_ptr<Loss> {
    return std::make_shared<L>(O{.reduction = reduction, .name = name.empty() ? default_name : name});
  };
  if (s.class_name == "MeanSquaredLogarithmicError")
    return named_loss.operator()<losses::MeanSquaredLogarithmicError, losses::MeanSquaredLogarithmicErrorOptions>(
        "mean_squared_logarithmic_error");
  if (s.class_name == "MeanAbsolutePercentageError")
    return named_loss.operator()<losses::MeanAbsolutePercentageError, losses::MeanAbsolutePercentageErrorOptions>(
        "mean_absolute_percentage_error");
  if (s.class_name == "Huber") return named_loss.operator()<losses::Huber, losses::HuberOptions>("huber_loss");
  if (s.class_name == "LogCosh") return named_loss.operator()<losses::LogCosh, losses::LogCoshOptions>("log_cosh");
  if (s.class_name == "KLDivergence")
    return named_loss.operator()<losses::KLDivergence, losses::KLDivergenceOptions>("kl_divergence");
  if (s.class_name == "Poisson") return named_loss.operator()<losses::Poisson, losses::PoissonOptions>("poisson");
  if (s.class_name == "Hinge") return named_loss.operator()<losses::Hinge, losses::HingeOptions>("hinge");
  if (s.class_name == "SquaredHinge")
    return named_loss.operator()<losses::SquaredHinge, losses::SquaredHingeOptions>("squared_hinge");
  if (s.class_name == "CategoricalHinge")
    return named_loss.operator()<losses::CategoricalHinge, losses::CategoricalHingeOptions>("categorical_hinge");
  if (s.class_name == "CosineSimilarity")
    return named_loss.operator()<losses::CosineSimilarity, losses::CosineSimilarityOptions>("cosine_similarity");
  // focal crossentropies, Dice and Tversky (issue 5)
  if (s.class_name == "BinaryFocalCrossentropy")
    return std::make_shared<losses::BinaryFocalCrossentropy>(losses::BinaryFocalCrossentropyOptions{
        .apply_class_balancing = field(c, "apply_class_balancing", false, what),
        .alpha = field(c, "alpha", 0.25, what),
        .gamma = field(c, "gamma", 2.0, what),
        .from_logits = field(c, "from_logits", false, what),
        .label_smoothing = field(c, "label_smoothing", 0.0, what),
        .axis = field(c, "axis", -1, what),
        .reduction = reduction,
        .name = name.empty() ? "binary_focal_crossentropy" : name});
  if (s.class_name == "CategoricalFocalCrossentropy") {
    if (c.contains("alpha") && !c.at("alpha").is_number())
      throw UnsupportedError(what + ": strata's CategoricalFocalCrossentropy takes a scalar alpha only");
    return std::make_shared<losses::CategoricalFocalCrossentropy>(losses::CategoricalFocalCrossentropyOptions{
        .alpha = field(c, "alpha", 0.25, what),
        .gamma = field(c, "gamma", 2.0, what),
        .from_logits = field(c, "from_logits", false, what),
        .label_smoothing = field(c, "label_smoothing", 0.0, what),
        .axis = field(c, "axis", -1, what),
        .reduction = reduction,
        .name = name.empty() ? "categorical_focal_crossentropy" : name});
  }
  // Keras's axis: null (every axis), an int or a list of ints
  auto axes = [&]() -> std::vector<int> {
    if (!c.contains("axis") || c.at("axis").is_null()) return {};
    if (c.at("axis").is_number_integer()) return {c.at("axis").get<int>()};
    return c.at("axis").get<std::vector<int>>();
  };
  if (s.class_name == "Dice")
    return std::make_shared<losses::Dice>(losses::DiceOptions{
        .reduction = reduction, .name = name.empty() ? "dice" : name, .axis = axes()});
  if (s.class_name == "Tversky")
    return std::make_shared<losses::Tversky>(losses::TverskyOptions{.alpha = field(c, "alpha", 0.5, what),
                                                                    .beta = field(c, "beta", 0.5, what),
                                                                    .reduction = reduction,
                                                                    .name = name.empty() ? "tversky" : name,
                                                                    .axis = axes()});
  // CTC loss (issue 5)
  if (s.class_name == "CTC")
    return std::make_shared<losses::CTC>(losses::CTCOptions{.reduction = reduction, .name = name.empty() ? "ctc" : name});
  return by_name(s.class_name);
}

// ---- metrics ---------------------------------------------------------------------------------------

nlohmann::json serialize_metric(const MetricArg& m) {
  if (!m.metric()) return m.identifier();
  return serialized("keras.metrics", m.metric()->class_name(), m.metric()->get_config());
}

MetricArg deserialize_metric(const nlohmann::json& v, const std::string& what) {
  auto check = [&](const std::string& id) {
    // resolving needs the loss and shapes; validate the name now so a bad file fails at load
    if (!metrics::is_identifier(id)) {
      std::string names;
      for (const auto& n : metrics::identifiers()) names += (names.empty() ? "" : ", ") + n;
      throw UnsupportedError(what + ": unknown metric '" + id + "'. Supported: " + names);
    }
    return MetricArg(id);
  };
  if (v.is_string()) return check(v.get<std::string>());
  Serialized s = split(v, what);
  if (s.class_name == "function" && s.config.is_string()) return check(s.config.get<std::string>());
  return MetricArg(metrics::from_config(s.class_name, s.config, what));
}

/// The output names Keras uses for dict-form losses and metrics: the output layers' names.
std::vector<std::string> output_names(const Model& model) {
  std::vector<std::string> names;
  for (const auto& t : model.outputs()) names.push_back(t.layer().name());
  return names;
}

/// Per-output entries of a compile argument: one value for all, a list (one per output) or a dict keyed
/// by output name. Missing outputs get null.
std::vector<nlohmann::json> per_output(const nlohmann::json& v, const Model& model, const std::string& what,
                                       bool list_is_per_output) {
  std::size_t n = model.outputs().size();
  if (v.is_object() && !v.contains("class_name")) {
    std::vector<nlohmann::json> out(n, nullptr);
    auto names = output_names(model);
    for (const auto& [key, value] : v.items()) {
      auto it = std::find(names.begin(), names.end(), key);
      if (it == names.end())
        throw FileFormatError(what + ": no model output named '" + key + "'");
      out[it - names.begin()] = value;
    }
    return out;
  }
  if (list_is_per_output && v.is_array()) {
    if (v.size() != n)
      throw FileFormatError(what + ": " + std::to_string(v.size()) + " entries for a model with " +
                            std::to_string(n) + " outputs");
    return std::vector<nlohmann::json>(v.begin(), v.end());
  }
  return std::vector<nlohmann::json>(n, v);
}

}  // namespace

// ---- optimizers ------------------------------------------------------------------------------------

nlohmann::json serialize_optimizer(const Optimizer& optimizer) {
  return serialized("keras.optimizers", optimizer.class_name(), optimizer.get_config());
}

std::shared_ptr<Optimizer> deserialize_optimizer(const nlohmann::json& value) {
  const std::string what = "optimizer";
  if (value.is_string()) {
    try {
      return optimizers::get(value.get<std::string>());
    } catch (const ValueError& e) {
      throw UnsupportedError(what + ": " + e.what());
    }
  }
  Serialized s = split(value, what);
  const auto& c = s.config;
  const std::string cls = lower(s.class_name);
  const std::string where = what + " " + s.class_name;
  require_null(c, {"decay"}, where, "strata's optimizers have no (Keras 2) decay");
  if (cls == "lossscaleoptimizer") {
    if (!c.is_object() || !c.contains("inner_optimizer"))
      throw FileFormatError(where + ": config has no 'inner_optimizer'");
    if (!field(c, "dynamic", true, where))
      throw UnsupportedError(where + ": LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                                     "`loss_scale_factor` directly on the `inner_optimizer`.");
    std::shared_ptr<Optimizer> inner = deserialize_optimizer(c.at("inner_optimizer"));
    try {
      return std::make_shared<optimizers::LossScaleOptimizer>(
          inner, optimizers::LossScaleOptimizerOptions{
                     .initial_scale = field(c, "initial_scale", 32768.0, where),
                     .dynamic_growth_steps = field<std::int64_t>(c, "dynamic_growth_steps", 2000, where),
                     .name = field<std::string>(c, "name", "loss_scale_optimizer", where)});
    } catch (const ValueError& e) {
      throw FileFormatError(where + ": " + e.what());
    }
  }
  // a number, a serialized schedule, or Keras 2.0-2.2's "lr"
  auto lr = [&](double fallback) -> LearningRate {
    const char* key = c.is_object() && c.contains("learning_rate") ? "learning_rate" : "lr";
    if (c.is_object() && c.contains(key) && c.at(key).is_object()) {
      try {
        return LearningRate(optimizers::schedules::deserialize(c.at(key)));
      } catch (const ValueError& e) {
        throw UnsupportedError(where + ": learning_rate: " + e.what());
      }
    }
    return LearningRate(field(c, key, fallback, where));
  };
  auto optional = [&](const char* key) -> std::optional<double> {
    if (!c.is_object() || !c.contains(key) || c.at(key).is_null()) return std::nullopt;
    return field(c, key, 0.0, where);
  };
  auto num = [&](const char* key, double fallback) { return field(c, key, fallback, where); };
  // the arguments every optimizer shares
  auto common = [&](auto& o, double default_lr, const char* default_name) {
    o.learning_rate = lr(default_lr);
    o.clipnorm = optional("clipnorm");
    o.clipvalue = optional("clipvalue");
    o.global_clipnorm = optional("global_clipnorm");
    o.use_ema = field(c, "use_ema", false, where);
    o.ema_momentum = field(c, "ema_momentum", 0.99, where);
    if (c.is_object() && c.contains("ema_overwrite_frequency") && !c.at("ema_overwrite_frequency").is_null())
      o.ema_overwrite_frequency = field(c, "ema_overwrite_frequency", 0, where);
    o.loss_scale_factor = optional("loss_scale_factor");
    if (c.is_object() && c.contains("gradient_accumulation_steps") && !c.at("gradient_accumulation_steps").is_null())
      o.gradient_accumulation_steps = field(c, "gradient_accumulation_steps", 0, where);
    o.name = field<std::string>(c, "name", default_name, where);
  };
  auto with_decay = [&](auto o, double default_lr, const char* default_name) {
    common(o, default_lr, default_name);
    o.weight_decay = optional("weight_decay");
    return o;
  };
  try {
    if (cls == "adam") {
      auto o = with_decay(optimizers::AdamOptions{}, 0.001, "adam");
      o.beta_1 = num("beta_1", 0.9);
      o.beta_2 = num("beta_2", 0.999);
      o.epsilon = num("epsilon", 1e-7);
      o.amsgrad = field(c, "amsgrad", false, where);
      return std::make_shared<optimizers::Adam>(o);
    }
    if (cls == "adamw") {
      optimizers::AdamWOptions o;  // keeps AdamW's default weight_decay when the config has none
      common(o, 0.001, "adam_w");
      if (auto wd = optional("weight_decay")) o.weight_decay = wd;
      o.beta_1 = num("beta_1", 0.9);
      o.beta_2 = num("beta_2", 0.999);
      o.epsilon = num("epsilon", 1e-7);
      o.amsgrad = field(c, "amsgrad", false, where);
      return std::make_shared<optimizers::AdamW>(o);
    }
    if (cls == "sgd") {
      auto o = with_decay(optimizers::SGDOptions{}, 0.01, "sgd");
      o.momentum = num("momentum", 0.0);
      o.nesterov = field(c, "nesterov", false, where);
      return std::make_shared<optimizers::SGD>(o);
    }
    if (cls == "rmsprop") {
      auto o = with_decay(optimizers::RMSpropOptions{}, 0.001, "rm_sprop");
      o.rho = num("rho", 0.9);
      o.momentum = num("momentum", 0.0);
      o.epsilon = num("epsilon", 1e-7);
      o.centered = field(c, "centered", false, where);
      return std::make_shared<optimizers::RMSprop>(o);
    }
    if (cls == "adadelta") {
      auto o = with_decay(optimizers::AdadeltaOptions{}, 0.001, "adadelta");
      o.rho = num("rho", 0.95);
      o.epsilon = num("epsilon", 1e-7);
      return std::make_shared<optimizers::Adadelta>(o);
    }
    if (cls == "adagrad") {
      auto o = with_decay(optimizers::AdagradOptions{}, 0.001, "adagrad");
      o.initial_accumulator_value = num("initial_accumulator_value", 0.1);
      o.epsilon = num("epsilon", 1e-7);
      return std::make_shared<optimizers::Adagrad>(o);
    }
    if (cls == "adamax") {
      auto o = with_decay(optimizers::AdamaxOptions{}, 0.001, "adamax");
      o.beta_1 = num("beta_1", 0.9);
      o.beta_2 = num("beta_2", 0.999);
      o.epsilon = num("epsilon", 1e-7);
      return std::make_shared<optimizers::Adamax>(o);
    }
    if (cls == "nadam") {
      auto o = with_decay(optimizers::NadamOptions{}, 0.001, "nadam");
      o.beta_1 = num("beta_1", 0.9);
      o.beta_2 = num("beta_2", 0.999);
      o.epsilon = num("epsilon", 1e-7);
      return std::make_shared<optimizers::Nadam>(o);
    }
    if (cls == "lion") {
      auto o = with_decay(optimizers::LionOptions{}, 0.001, "lion");
      o.beta_1 = num("beta_1", 0.9);
      o.beta_2 = num("beta_2", 0.99);
      return std::make_shared<optimizers::Lion>(o);
    }
    if (cls == "adafactor") {
      auto o = with_decay(optimizers::AdafactorOptions{}, 0.001, "adafactor");
      o.beta_2_decay = num("beta_2_decay", -0.8);
      o.epsilon_1 = num("epsilon_1", 1e-30);
      o.epsilon_2 = num("epsilon_2", 1e-3);
      o.clip_threshold = num("clip_threshold", 1.0);
      o.relative_step = field(c, "relative_step", true, where);
      return std::make_shared<optimizers::Adafactor>(o);
    }
    if (cls == "ftrl") {
      auto o = with_decay(optimizers::FtrlOptions{}, 0.001, "ftrl");
      o.learning_rate_power = num("learning_rate_power", -0.5);
      o.initial_accumulator_value = num("initial_accumulator_value", 0.1);
      o.l1_regularization_strength = num("l1_regularization_strength", 0.0);
      o.l2_regularization_strength = num("l2_regularization_strength", 0.0);
      o.l2_shrinkage_regularization_strength = num("l2_shrinkage_regularization_strength", 0.0);
      o.beta = num("beta", 0.0);
      return std::make_shared<optimizers::Ftrl>(o);
    }
  } catch (const ValueError& e) {
    // an argument the optimizer refuses (a negative rate, two clipping options) is a bad file
    throw FileFormatError(where + ": " + e.what());
  }
  throw UnsupportedError(where + ": unknown optimizer class; strata has Adadelta, Adafactor, Adagrad, Adam, Adamax, "
                         "AdamW, Ftrl, Lion, LossScaleOptimizer, Nadam, RMSprop and SGD");
}

// ---- compile config --------------------------------------------------------------------------------

nlohmann::json compile_config(const Model& model) {
  const auto& options = model.compile_options();
  if (!options) return nlohmann::json::object();
  nlohmann::json loss;
  if (options->loss.items.size() == 1) {
    loss = serialize_loss(*options->loss.items[0].get());
  } else {
    loss = nlohmann::json::array();
    for (const auto& l : options->loss.items) loss.push_back(serialize_loss(*l.get()));
  }
  auto metric_list = [](const std::vector<MetricArg>& ms) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : ms) out.push_back(serialize_metric(m));
    return out;
  };
  nlohmann::json metrics = nullptr;
  if (!options->output_metrics.empty()) {
    metrics = nlohmann::json::array();
    for (const auto& ms : options->output_metrics) metrics.push_back(metric_list(ms));
  } else if (!options->metrics.empty()) {
    // Keras 3 wants one list per output of a multi-output model; `metrics` applies to every output
    if (model.outputs().size() == 1) {
      metrics = metric_list(options->metrics);
    } else {
      metrics = nlohmann::json::array();
      for (std::size_t i = 0; i < model.outputs().size(); ++i) metrics.push_back(metric_list(options->metrics));
    }
  }
  nlohmann::json loss_weights = nullptr;
  if (!options->loss_weights.empty()) loss_weights = options->loss_weights;
  return {{"optimizer", serialize_optimizer(*model.optimizer())},
          {"loss", loss},
          {"loss_weights", loss_weights},
          {"metrics", metrics},
          {"weighted_metrics", options->weighted_metrics.empty() ? nlohmann::json(nullptr)
                                                                  : metric_list(options->weighted_metrics)},
          {"run_eagerly", false},
          {"steps_per_execution", 1},
          {"jit_compile", false}};
}

nlohmann::json training_config(const Model& model) {
  nlohmann::json c = compile_config(model);
  if (c.empty()) return c;
  nlohmann::json opt = c.at("optimizer");
  c.erase("optimizer");
  c["optimizer_config"] = {{"class_name", opt.at("class_name")}, {"config", opt.at("config")}};
  return c;
}

CompileOptions compile_options_from(const nlohmann::json& config, const Model& model) {
  if (!config.is_object()) throw FileFormatError("training_config: expected a JSON object, got " + brief(config));
  CompileOptions options;
  if (config.contains("optimizer_config")) options.optimizer = deserialize_optimizer(config.at("optimizer_config"));
  else if (config.contains("optimizer") && !config.at("optimizer").is_null())
    options.optimizer = deserialize_optimizer(config.at("optimizer"));
  else
    throw FileFormatError("training_config: no optimizer_config");

  if (!config.contains("loss") || config.at("loss").is_null())
    throw UnsupportedError("training_config: the model was compiled without a loss; strata needs one to train");
  {
    auto entries = per_output(config.at("loss"), model, "training_config.loss", true);
    std::vector<std::shared_ptr<Loss>> losses;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].is_null())
        throw UnsupportedError("training_config.loss: output '" + output_names(model)[i] +
                               "' has no loss; strata needs a loss for every output");
      losses.push_back(deserialize_loss(entries[i], "training_config.loss[" + std::to_string(i) + "]"));
    }
    options.loss = Losses();
    if (losses.size() == 1) options.loss.items.emplace_back(losses[0]);
    else
      for (const auto& l : losses) options.loss.items.emplace_back(l);
  }

  if (config.contains("loss_weights") && !config.at("loss_weights").is_null()) {
    auto entries = per_output(config.at("loss_weights"), model, "training_config.loss_weights", true);
    for (const auto& w : entries) {
      if (w.is_null()) options.loss_weights.push_back(1.0f);
      else if (w.is_number()) options.loss_weights.push_back(w.get<float>());
      else throw FileFormatError("training_config.loss_weights: expected numbers, got " + brief(w));
    }
  }

  if (config.contains("weighted_metrics") && !config.at("weighted_metrics").is_null()) {
    const auto& m = config.at("weighted_metrics");
    const std::string what = "training_config.weighted_metrics";
    if (!m.is_array()) throw UnsupportedError(what + ": only a flat list (applied to every output) is supported");
    for (const auto& e : m) {
      if (e.is_array() || e.is_null())
        throw UnsupportedError(what + ": per-output lists are not supported; use one list for every output");
      options.weighted_metrics.push_back(deserialize_metric(e, what));
    }
  }

  if (config.contains("metrics") && !config.at("metrics").is_null()) {
    const auto& m = config.at("metrics");
    // a flat list applies to every output; a list of lists or a dict gives one list per output
    bool nested = m.is_object() && !m.contains("class_name");
    if (m.is_array())
      for (const auto& e : m) nested = nested || e.is_array() || e.is_null();
    std::vector<nlohmann::json> lists = nested ? per_output(m, model, "training_config.metrics", true)
                                               : std::vector<nlohmann::json>{m};
    std::vector<std::vector<MetricArg>> parsed;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      std::vector<MetricArg> one;
      const std::string what = "training_config.metrics" + (nested ? "[" + std::to_string(i) + "]" : std::string());
      if (lists[i].is_array()) {
        for (const auto& e : lists[i]) one.push_back(deserialize_metric(e, what));
      } else if (!lists[i].is_null()) {
        one.push_back(deserialize_metric(lists[i], what));
      }
      parsed.push_back(std::move(one));
    }
    if (nested) options.output_metrics = std::move(parsed);
    else options.metrics = std::move(parsed[0]);
  }
  return options;
}

}  // namespace strata::saving
