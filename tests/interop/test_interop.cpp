// strata against the real Keras, both ways (run by tests/interop/run.sh, which sets the directories):
//  - STRATA_INTEROP_KERAS_DIR: models make_keras_models.py saved with Keras; strata loads each and
//    reproduces Keras's outputs (and, for compiled models, the losses of the next training steps).
//  - STRATA_INTEROP_STRATA_DIR: strata saves models here for check_strata_models.py to load in Keras.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include <strata/api/constraints/constraints.hpp>
#include <strata/api/regularizers/regularizers.hpp>
#include <strata/api/saving/hdf5.hpp>
#include <strata/strata.hpp>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string env_dir(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  REQUIRE_MESSAGE(in.good(), "cannot read " << p);
  return json::parse(in);
}

Tensor tensor_of(const json& j) { return Tensor(j.at("shape").get<Shape>(), j.at("data").get<std::vector<float>>()); }

json json_of(const Tensor& t) {
  Tensor f = t.astype(DType::float32);
  return {{"shape", f.shape()}, {"data", f.to_vector<float>()}};
}

std::vector<Tensor> tensors_of(const json& list) {
  std::vector<Tensor> out;
  for (const auto& j : list) out.push_back(tensor_of(j));
  return out;
}

/// Largest |actual - expected| relative to the largest |expected|: "within 1e-5 relative".
double relative_error(const Tensor& actual, const Tensor& expected) {
  REQUIRE(shape_str(actual.shape()) == shape_str(expected.shape()));
  double diff = 0, scale = 0;
  for (std::int64_t i = 0; i < actual.size(); ++i) {
    diff = std::max(diff, std::abs(actual.item(i) - expected.item(i)));
    scale = std::max(scale, std::abs(expected.item(i)));
  }
  return diff / std::max(scale, 1e-12);
}

/// Checks every output within 1e-5 relative; returns the worst relative error.
double check_outputs(const std::vector<Tensor>& actual, const std::vector<Tensor>& expected, const std::string& what) {
  REQUIRE_MESSAGE(actual.size() == expected.size(), what);
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    double err = relative_error(actual[i], expected[i]);
    INFO(what << ", output " << i);
    CHECK(err <= 1e-5);
    worst = std::max(worst, err);
  }
  return worst;
}

}  // namespace

TEST_CASE("Keras 3 models load in strata and give Keras's outputs") {
  const std::string dir = env_dir("STRATA_INTEROP_KERAS_DIR");
  if (dir.empty()) {
    MESSAGE("STRATA_INTEROP_KERAS_DIR is not set: run tests/interop/run.sh");
    return;
  }
  json manifest = read_json(fs::path(dir) / "manifest.json");
  REQUIRE(manifest.at("cases").size() >= 10);
  for (const auto& c : manifest.at("cases")) {
    const std::string name = c.at("name");
    const fs::path d = fs::path(dir) / name;
    SUBCASE(name.c_str()) {
      json data = read_json(d / "data.json");
      auto inputs = tensors_of(data.at("inputs"));
      auto expected = tensors_of(data.at("outputs"));

      // the whole-model legacy .h5
      auto model = load_model((d / "model.h5").string());
      double worst = check_outputs(model->predict(inputs), expected, name + ": load_model(model.h5)");
      CHECK(model->compiled() == c.at("compiled").get<bool>());
      // layers in Keras's order: the order the file lists them in
      std::vector<std::string> names;
      for (const auto& l : model->layers()) names.push_back(l->name());
      CHECK(names == h5::File::open_read((d / "model.h5").string()).group("model_weights").read_string_list("layer_names"));

      if (fs::exists(d / "model.json")) {
        // config from to_json, weights from the Keras 3 .weights.h5 layout
        std::ifstream in(d / "model.json");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto from_json = model_from_json(text);
        from_json->load_weights((d / "model.weights.h5").string());
        worst = std::max(worst, check_outputs(from_json->predict(inputs), expected,
                                              name + ": model_from_json + model.weights.h5"));
        // and the weights of the whole-model file, as Keras's load_weights reads it
        auto from_h5 = model_from_json(text);
        from_h5->load_weights((d / "model.h5").string());
        worst = std::max(worst, check_outputs(from_h5->predict(inputs), expected,
                                              name + ": model_from_json + load_weights(model.h5)"));
        CHECK(from_json->summary_string() == load_model((d / "model.h5").string(), {.compile = false})->summary_string());
      }

      std::vector<std::shared_ptr<Model>> resumed{model};
      if (fs::exists(d / "model.keras")) {
        // the Keras 3 archive: config.json, model.weights.h5 (with the optimizer's variables)
        auto archived = load_model((d / "model.keras").string());
        worst = std::max(worst, check_outputs(archived->predict(inputs), expected, name + ": load_model(model.keras)"));
        CHECK(archived->compiled() == c.at("compiled").get<bool>());
        CHECK(archived->get_config() == model->get_config());
        resumed.push_back(archived);
      }

      if (data.contains("train")) {
        // resuming: the optimizer state came back, so the next steps' losses are Keras's
        const auto& t = data.at("train");
        auto x = tensors_of(t.at("x"));
        auto y = tensors_of(t.at("y"));
        for (const auto& m : resumed) {
          CHECK(m->optimizer()->class_name() == t.at("optimizer").get<std::string>());
          CHECK(m->optimizer()->iterations() == t.at("iterations_at_save").get<std::int64_t>());
          for (int step = 0; step < 2; ++step) {
            double loss = m->train_on_batch(x, y).at("loss");
            double keras = t.at("losses")[step].get<double>();
            INFO(name << ": train_on_batch step " << step << " loss " << loss << " vs Keras " << keras);
            CHECK(std::abs(loss - keras) <= 1e-5 * std::max(1.0, std::abs(keras)));
          }
        }
      }
      MESSAGE(name << ": outputs within " << worst << " relative of Keras's");
    }
  }
}

namespace {

struct StrataCase {
  std::string name;
  std::shared_ptr<Model> model;
  std::vector<Tensor> x, y;
  bool deterministic = true;  // no Dropout: a training step gives the same loss in Keras
};

Tensor random_tensor(Shape shape, std::uint64_t seed, float scale = 1.0f) {
  Tensor t(shape);
  std::uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (auto& v : t.values<float>()) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    v = scale * (static_cast<float>((s >> 40) & 0xFFFFFF) / 16777216.0f * 2.0f - 1.0f);
  }
  return t;
}

Tensor labels(std::int64_t n, std::int64_t classes, std::uint64_t seed) {
  Tensor t({n});
  for (std::int64_t i = 0; i < n; ++i) t.values<float>()[i] = static_cast<float>((i * 7 + seed) % classes);
  return t;
}

std::vector<StrataCase> strata_cases() {
  using namespace layers;
  std::vector<StrataCase> cases;
  {
    auto m = std::make_shared<Sequential>(Sequential(
        {Input({10}), Dense(16, {.activation = "relu"}), BatchNormalization(), Dropout(0.2),
         Dense(3, {.activation = "softmax"})},
        "strata_mlp"));
    m->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
                .loss = "sparse_categorical_crossentropy",
                .metrics = {"accuracy"}});
    cases.push_back({"strata_mlp", m, {random_tensor({32, 10}, 1)}, {labels(32, 3, 1)}, false});
  }
  {
    auto m = std::make_shared<Sequential>(Sequential(
        {Input({10, 10, 3}), Conv2D(4, 3, {.padding = "same", .activation = "relu"}), MaxPooling2D(2),
         Conv2D(6, {2, 3}, {.use_bias = false}), AveragePooling2D(2, {.strides = 1, .padding = "same"}),
         GlobalAveragePooling2D(), Reshape({3, 2}), Flatten(), Activation("tanh"), Dense(2)},
        "strata_cnn"));
    m->compile({.optimizer = optimizers::SGD({.learning_rate = 0.05, .momentum = 0.9}), .loss = "mse"});
    cases.push_back({"strata_cnn", m, {random_tensor({16, 10, 10, 3}, 2)}, {random_tensor({16, 2}, 3, 0.5f)}});
  }
  {
    auto in1 = Input({6}, {.name = "left"});
    auto in2 = Input({6}, {.name = "right"});
    auto shared = share(Dense(5, {.activation = "relu", .name = "shared"}));
    auto inner = share(Sequential({Input({5}), Dense(4, {.name = "inner_dense"}), BatchNormalization()}, "inner"));
    auto bi = Input({4}, {.name = "block_in"});
    auto block = share(Model(bi, Dense(4, {.activation = "tanh", .name = "block_dense"})(bi), "block"));
    auto out1 = Dense(2, {.name = "out_left"})((*block)((*inner)((*shared)(in1))));
    auto out2 = Activation("sigmoid", {.name = "out_right"})((*shared)(in2));
    auto m = std::make_shared<Model>(std::vector{in1, in2}, std::vector{out1, out2}, "strata_graph");
    m->compile({.optimizer = optimizers::RMSprop({.learning_rate = 0.01}),
                .loss = {"mse", "binary_crossentropy"},
                .output_metrics = {{"mae"}, {"binary_accuracy"}}});
    Tensor yb = random_tensor({16, 5}, 7);
    for (auto& v : yb.values<float>()) v = v > 0 ? 1.0f : 0.0f;
    cases.push_back({"strata_graph", m, {random_tensor({16, 6}, 4), random_tensor({16, 6}, 5)},
                     {random_tensor({16, 2}, 6), yb}});
  }
  {  // pooling, reshaping and merging layers (issue 4), channels_first included
    auto img = Input({2, 6, 6}, {.name = "image_cf"});
    auto seq = Input({8, 3}, {.name = "sequence"});
    auto a = MaxPooling2D(2, {.data_format = "channels_first"})(img);
    a = ZeroPadding2D(PaddingSpec{{1, 0}, {0, 1}}, {.data_format = "channels_first"})(a);
    a = UpSampling2D(2, {.data_format = "channels_first", .interpolation = "bilinear"})(a);
    a = Cropping2D(1, {.data_format = "channels_first"})(a);
    a = GlobalAveragePooling2D({.data_format = "channels_first"})(a);
    auto b = AveragePooling1D(2, {.padding = "same"})(seq);
    b = UpSampling1D(2)(b);
    b = Cropping1D(PaddingSpec{1, 1})(b);
    b = Permute({2, 1})(b);
    b = GlobalMaxPooling1D({.data_format = "channels_first"})(b);
    auto v = Dense(3, {.activation = "tanh"})(a);
    auto merged = Concatenate()(std::vector{Add()(std::vector{b, v})[0], Multiply()(std::vector{b, v})[0],
                                            Dot(1, {.normalize = true})(std::vector{b, v})[0],
                                            Flatten()(RepeatVector(2)(v))})[0];
    auto m = std::make_shared<Model>(std::vector{img, seq}, std::vector{Dense(2)(merged)}, "strata_merging");
    m->compile({.optimizer = optimizers::SGD({.learning_rate = 0.05}), .loss = "mse"});
    cases.push_back({"strata_merging", m, {random_tensor({16, 2, 6, 6}, 8), random_tensor({16, 8, 3}, 9)},
                     {random_tensor({16, 2}, 10)}});
  }
  {
    // the convolution family (issue 4), both data formats
    auto m = std::make_shared<Sequential>(Sequential(
        {Input({12, 3}), Conv1D(4, 3, {.padding = "causal", .dilation_rate = 2, .activation = "relu"}),
         SeparableConv1D(4, 3, {.strides = 2, .depth_multiplier = 2}),
         Conv1DTranspose(3, 3, {.strides = 2, .padding = "same", .output_padding = 1}),
         DepthwiseConv1D(2, {.data_format = "channels_first"}), Reshape({2, 5, 2}),
         Conv2DTranspose(2, 3, {.strides = 2, .data_format = "channels_first"}),
         DepthwiseConv2D(3, {.depth_multiplier = 2, .padding = "same"}), Reshape({11, 5, 2, 2}),
         Conv3D(2, 2, {.groups = 2}), Conv3DTranspose(2, 2, {.data_format = "channels_first"}), Reshape({2, 6, 5}),
         SeparableConv2D(2, 2, {.data_format = "channels_first"}), Flatten(), Dense(2)},
        "strata_conv_family"));
    m->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "mse"});
    cases.push_back({"strata_conv_family", m, {random_tensor({16, 12, 3}, 8)}, {random_tensor({16, 2}, 9, 0.5f)}});
  }
  {  // normalization, regularization and activation layers (issue 4); deterministic, so Keras checks the losses
    auto m = std::make_shared<Sequential>(Sequential(
        {Input({6, 8}), LayerNormalization(), Dense(8), PReLU({.alpha_initializer = "random_normal", .shared_axes = {1}}),
         // one non-last axis: Keras 3.15.1 cannot reload any legacy .h5 (its own included) holding several axes
         GroupNormalization(4), LayerNormalization({.axis = {1}, .epsilon = 1e-4}), LeakyReLU(),
         BatchNormalization({.axis = 1}), ReLU({.max_value = 2.0, .negative_slope = 0.1, .threshold = 0.2}),
         UnitNormalization({.axis = {1}}), ELU({.alpha = 0.7}), LayerNormalization({.rms_scaling = true}),
         ActivityRegularization({.l1 = 0.001, .l2 = 0.002}), Identity(), Flatten(), Dense(5), Softmax()},
        "strata_norm_act"));
    m->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "sparse_categorical_crossentropy"});
    cases.push_back({"strata_norm_act", m, {random_tensor({24, 6, 8}, 8)}, {labels(24, 5, 2)}});
  }
  {  // regularizers and constraints (issues 4 and 5): Keras's next training losses include the penalties
    auto m = std::make_shared<Sequential>(Sequential(
        {Input({6}),
         Dense(8, {.activation = "tanh", .kernel_regularizer = "l2", .activity_regularizer = regularizers::L1(0.01),
                   .kernel_constraint = constraints::MaxNorm({.max_value = 1.0})}),
         Dense(3, {.kernel_regularizer = regularizers::OrthogonalRegularizer({.factor = 0.05}),
                   .bias_regularizer = regularizers::L1L2({.l1 = 0.01, .l2 = 0.01}),
                   .kernel_constraint = constraints::UnitNorm(), .bias_constraint = "non_neg"})},
        "strata_regularized"));
    m->compile({.optimizer = optimizers::SGD({.learning_rate = 0.05}), .loss = "mse"});
    cases.push_back({"strata_regularized", m, {random_tensor({16, 6}, 10)}, {random_tensor({16, 3}, 11, 0.5f)}});
  }
  return cases;
}

}  // namespace

TEST_CASE("strata saves models for Keras to load") {
  const std::string dir = env_dir("STRATA_INTEROP_STRATA_DIR");
  if (dir.empty()) {
    MESSAGE("STRATA_INTEROP_STRATA_DIR is not set: run tests/interop/run.sh");
    return;
  }
  set_random_seed(7);
  json manifest = {{"cases", json::array()}};
  for (auto& c : strata_cases()) {
    const fs::path d = fs::path(dir) / c.name;
    fs::create_directories(d);
    c.model->fit(c.x, c.y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});
    c.model->save((d / "model.h5").string());
    c.model->save((d / "model.keras").string());
    c.model->save_weights((d / "model.weights.h5").string());
    std::ofstream(d / "model.json") << c.model->to_json();
    // tf.keras 2's dialect, which Keras 3 reads too (and tf.keras itself: check_tf_keras.py), unless the model
    // uses a Keras 3 feature tf.keras 2 lacks
    bool keras2 = true;
    try {
      c.model->save((d / "model_keras2.h5").string(), {.dialect = KerasDialect::keras2});
      std::ofstream(d / "model_keras2.json") << c.model->to_json(-1, KerasDialect::keras2);
    } catch (const UnsupportedError& e) {
      MESSAGE(c.name << ": no Keras 2 dialect: " << e.what());
      CHECK_FALSE(fs::exists(d / "model_keras2.h5"));  // nothing partial left behind
      keras2 = false;
    }
    std::vector<Tensor> x;
    for (const auto& t : c.x) x.push_back(t.slice(0, 5));
    json data = {{"inputs", json::array()}, {"outputs", json::array()},
                 {"optimizer", c.model->optimizer()->class_name()},
                 {"iterations", c.model->optimizer()->iterations()},
                 {"train", {{"x", json::array()}, {"y", json::array()}}}};
    for (const auto& t : x) data["inputs"].push_back(json_of(t));
    for (const auto& t : c.model->predict(x)) data["outputs"].push_back(json_of(t));
    for (const auto& t : c.x) data["train"]["x"].push_back(json_of(t.slice(0, 8)));
    for (const auto& t : c.y) data["train"]["y"].push_back(json_of(t.slice(0, 8)));
    std::vector<Tensor> bx, by;
    for (const auto& t : c.x) bx.push_back(t.slice(0, 8));
    for (const auto& t : c.y) by.push_back(t.slice(0, 8));
    data["evaluate"] = c.model->evaluate(bx, by, {.batch_size = 8, .verbose = 0});
    // strata reads back what it wrote
    for (const char* file : {"model.h5", "model.keras", "model_keras2.h5"}) {
      if (!fs::exists(d / file)) continue;
      auto back = load_model((d / file).string());
      check_outputs(back->predict(x), c.model->predict(x), c.name + ": strata reloads its own " + file);
    }
    if (c.deterministic) {
      // the next two steps after saving: Keras resumes from model.keras with the same optimizer state
      data["next_losses"] = json::array();
      for (int step = 0; step < 2; ++step) data["next_losses"].push_back(c.model->train_on_batch(bx, by).at("loss"));
    }
    std::ofstream(d / "data.json") << data.dump();
    manifest["cases"].push_back({{"name", c.name}, {"keras2", keras2}});
  }
  std::ofstream(fs::path(dir) / "manifest.json") << manifest.dump(1);
}
