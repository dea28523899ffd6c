#include <strata/api/optimizers/schedules/schedules.hpp>

#include <cmath>

#include <strata/api/errors.hpp>

namespace strata::optimizers::schedules {

nlohmann::json step_json(double steps) {
  if (std::isfinite(steps) && steps == std::floor(steps) && std::abs(steps) < 9.0e15)
    return static_cast<std::int64_t>(steps);
  return steps;
}

void check_positive(const std::string& class_name, const char* what, double value) {
  if (!(value > 0))
    throw ValueError(class_name + ": Argument `" + what + "` must be > 0. Received: " + what + "=" +
                     step_json(value).dump());
}

nlohmann::json serialize(const LearningRateSchedule& schedule) {
  return {{"module", "keras.optimizers.schedules"},
          {"class_name", schedule.class_name()},
          {"config", schedule.get_config()},
          {"registered_name", nullptr}};
}

namespace {

double number(const nlohmann::json& c, const std::string& cls, const char* key) {
  if (!c.contains(key) || !c.at(key).is_number())
    throw ValueError("learning-rate schedule " + cls + ": config needs a number `" + key + "`, got " +
                     (c.contains(key) ? c.at(key).dump() : std::string("nothing")));
  return c.at(key).get<double>();
}

template <class T>
T value_or(const nlohmann::json& c, const char* key, T fallback) {
  return c.contains(key) && !c.at(key).is_null() ? c.at(key).get<T>() : fallback;
}

}  // namespace

std::shared_ptr<LearningRateSchedule> deserialize(const nlohmann::json& value) {
  if (!value.is_object() || !value.contains("class_name") || !value.at("class_name").is_string())
    throw ValueError("learning-rate schedule: expected {\"class_name\": ..., \"config\": {...}}, got " + value.dump());
  const std::string cls = value.at("class_name");
  const nlohmann::json c = value.value("config", nlohmann::json::object());
  if (cls == "ExponentialDecay")
    return std::make_shared<ExponentialDecay>(
        number(c, cls, "initial_learning_rate"), number(c, cls, "decay_steps"), number(c, cls, "decay_rate"),
        ExponentialDecayOptions{.staircase = value_or(c, "staircase", false),
                                .name = value_or<std::string>(c, "name", "ExponentialDecay")});
  if (cls == "InverseTimeDecay")
    return std::make_shared<InverseTimeDecay>(
        number(c, cls, "initial_learning_rate"), number(c, cls, "decay_steps"), number(c, cls, "decay_rate"),
        InverseTimeDecayOptions{.staircase = value_or(c, "staircase", false),
                                .name = value_or<std::string>(c, "name", "InverseTimeDecay")});
  if (cls == "PiecewiseConstantDecay")
    return std::make_shared<PiecewiseConstantDecay>(
        c.at("boundaries").get<std::vector<double>>(), c.at("values").get<std::vector<double>>(),
        PiecewiseConstantDecayOptions{.name = value_or<std::string>(c, "name", "PiecewiseConstant")});
  if (cls == "PolynomialDecay")
    return std::make_shared<PolynomialDecay>(
        number(c, cls, "initial_learning_rate"), number(c, cls, "decay_steps"),
        PolynomialDecayOptions{.end_learning_rate = value_or(c, "end_learning_rate", 0.0001),
                               .power = value_or(c, "power", 1.0),
                               .cycle = value_or(c, "cycle", false),
                               .name = value_or<std::string>(c, "name", "PolynomialDecay")});
  if (cls == "CosineDecay") {
    CosineDecayOptions o{.alpha = value_or(c, "alpha", 0.0),
                         .name = value_or<std::string>(c, "name", "CosineDecay"),
                         .warmup_steps = value_or(c, "warmup_steps", 0.0)};
    if (c.contains("warmup_target") && !c.at("warmup_target").is_null()) o.warmup_target = number(c, cls, "warmup_target");
    return std::make_shared<CosineDecay>(number(c, cls, "initial_learning_rate"), number(c, cls, "decay_steps"), o);
  }
  if (cls == "CosineDecayRestarts")
    return std::make_shared<CosineDecayRestarts>(
        number(c, cls, "initial_learning_rate"), number(c, cls, "first_decay_steps"),
        CosineDecayRestartsOptions{.t_mul = value_or(c, "t_mul", 2.0),
                                   .m_mul = value_or(c, "m_mul", 1.0),
                                   .alpha = value_or(c, "alpha", 0.0),
                                   .name = value_or<std::string>(c, "name", "SGDRDecay")});
  throw ValueError("Could not interpret learning-rate schedule '" + cls +
                   "'. Valid schedules: CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, "
                   "PiecewiseConstantDecay, PolynomialDecay");
}

}  // namespace strata::optimizers::schedules
