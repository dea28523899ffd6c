// Saving and loading (api/saving): round trips through every format, the Keras 2 and 3 config dialects,
// the HDF5 string encodings Keras files use, custom layers, atomic writes, and bad files.
#include <doctest/doctest.h>

#include <hdf5.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include <strata/api/saving/hdf5.hpp>
#include <strata/api/saving/zip.hpp>
#include <strata/strata.hpp>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::mt19937_64 rng(std::random_device{}());
    path = fs::temp_directory_path() / ("strata_saving_" + std::to_string(rng()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

Tensor ramp(Shape shape, float scale = 0.1f, float offset = 0.0f) {
  Tensor t(shape);
  auto v = t.values<float>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = offset + scale * static_cast<float>((i * 37) % 23) - 1.0f;
  return t;
}

Tensor class_labels(std::int64_t n, std::int64_t classes) {
  Tensor t({n}, DType::int32);
  for (std::int64_t i = 0; i < n; ++i) t.data<std::int32_t>()[i] = static_cast<std::int32_t>((i * 5 + 1) % classes);
  return t;
}

void check_equal(const Tensor& a, const Tensor& b) {
  REQUIRE(shape_str(a.shape()) == shape_str(b.shape()));
  for (std::int64_t i = 0; i < a.size(); ++i) REQUIRE(a.item(i) == b.item(i));
}

void check_equal(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("tensor " << i);
    check_equal(a[i], b[i]);
  }
}

/// A compiled Sequential CNN that exercises every built-in layer but Dropout.
std::shared_ptr<Sequential> make_cnn(const std::string& name = "") {
  using namespace layers;
  auto m = std::make_shared<Sequential>(Sequential(
      {Input({8, 8, 2}), Conv2D(4, 3, {.padding = "same", .activation = "relu"}), BatchNormalization(),
       MaxPooling2D(2), Conv2D(3, {2, 1}, {.use_bias = false}), AveragePooling2D(2, {.strides = 1, .padding = "same"}),
       GlobalAveragePooling2D({.keepdims = true}), Reshape({3}), Flatten(), Activation("tanh"),
       Dense(3, {.activation = "softmax"})},
      name));
  m->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
              .loss = "sparse_categorical_crossentropy",
              .metrics = {"accuracy"}});
  return m;
}

/// Two inputs, two outputs, a shared layer, a layer called twice in a chain, and a nested Sequential.
std::shared_ptr<Model> make_graph() {
  using namespace layers;
  auto a = Input({5}, {.name = "a"});
  auto b = Input({5}, {.name = "b"});
  auto shared = share(Dense(4, {.activation = "relu", .name = "shared"}));
  auto twice = share(Dense(4, {.activation = "tanh", .name = "twice"}));
  auto inner = share(Sequential({Input({4}), Dense(3, {.name = "inner_dense"}), BatchNormalization({.name = "inner_bn"})},
                                "inner"));
  auto out1 = Dense(2, {.name = "out1"})((*inner)((*twice)((*twice)((*shared)(a)))));
  auto out2 = Activation("sigmoid", {.name = "out2"})((*shared)(b));
  auto m = std::make_shared<Model>(std::vector{a, b}, std::vector{out1, out2}, "graph");
  m->compile({.optimizer = optimizers::RMSprop({.learning_rate = 0.01, .momentum = 0.5, .centered = true}),
              .loss = {"mse", "binary_crossentropy"},
              .loss_weights = {1.0f, 0.5f},
              .output_metrics = {{"mae"}, {"binary_accuracy"}}});
  return m;
}

std::vector<Tensor> graph_x(std::int64_t n) { return {ramp({n, 5}), ramp({n, 5}, 0.07f, 0.3f)}; }
std::vector<Tensor> graph_y(std::int64_t n) {
  Tensor y2({n, 4});
  for (std::int64_t i = 0; i < y2.size(); ++i) y2.values<float>()[i] = static_cast<float>(i % 3 == 0);
  return {ramp({n, 2}, 0.05f), y2};
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The message of the strata::Error of type E that `f` throws.
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected " << std::string(typeid(E).name()) << ", got " << std::string(typeid(e).name()) << ": "
                     << std::string(e.what()));
  }
  FAIL("expected " << std::string(typeid(E).name()) << ", nothing was thrown");
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// A custom layer: y = x * factor + bias (one trainable bias per feature), with its own config key.
class Scale : public Layer {
 public:
  STRATA_LAYER(Scale)
  using Layer::build;
  using Layer::call;
  Scale(double factor, std::string name = "") : Layer(std::move(name)), factor_(factor) {}
  static std::shared_ptr<Scale> from_config(const json& config) {
    return std::make_shared<Scale>(config.at("factor").get<double>(), config.at("name").get<std::string>());
  }
  void build(const Shape& input_shape) override { bias_ = &add_weight("bias", {input_shape.back()}, "ones"); }
  Value call(Value x, CallContext& ctx) override {
    return x * static_cast<float>(factor_) + ctx.variable(*bias_);
  }
  json get_config() const override {
    json c = Layer::get_config();
    c["factor"] = factor_;
    return c;
  }

 private:
  double factor_;
  Variable* bias_ = nullptr;
};

/// A custom layer whose config cannot be written: saving it fails part way through the file.
class Unsaveable : public Layer {
 public:
  STRATA_LAYER(Unsaveable)
  using Layer::build;
  using Layer::call;
  Unsaveable() : Layer("unsaveable") {}
  void build(const Shape& input_shape) override { w_ = &add_weight("w", {input_shape.back()}, "ones"); }
  Value call(Value x, CallContext& ctx) override { return x * ctx.variable(*w_); }
  json get_config() const override { throw ValueError("Unsaveable: this layer has no config"); }

 private:
  Variable* w_ = nullptr;
};

}  // namespace

namespace {

/// Writes a string attribute the way older writers did: fixed-length, with the given padding and cset.
void write_fixed_strings(hid_t loc, const char* name, const std::vector<std::string>& values, std::size_t width,
                         H5T_str_t pad, H5T_cset_t cset, bool scalar = false) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, width);
  H5Tset_strpad(type, pad);
  H5Tset_cset(type, cset);
  hsize_t dims[1] = {values.size()};
  hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, nullptr);
  std::string buf(width * values.size(), pad == H5T_STR_SPACEPAD ? ' ' : '\0');
  for (std::size_t i = 0; i < values.size(); ++i) buf.replace(i * width, values[i].size(), values[i]);
  hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(attr, type, buf.data());
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

}  // namespace

// ---- round trips -----------------------------------------------------------------------------------

TEST_CASE("a Sequential CNN saved as .h5 loads with the same config, weights, outputs and compile state") {
  TempDir dir;
  auto model = make_cnn("cnn");
  Tensor x = ramp({16, 8, 8, 2});
  model->fit(x, class_labels(16, 3), {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});
  model->save(dir / "cnn.h5");

  auto loaded = load_model(dir / "cnn.h5");
  CHECK(loaded->class_name() == "Sequential");
  CHECK(loaded->name() == "cnn");
  CHECK(loaded->get_config() == model->get_config());
  CHECK(loaded->summary_string() == model->summary_string());
  check_equal(loaded->get_weights(), model->get_weights());
  const Tensor saved_predictions = model->predict(x);
  check_equal(loaded->predict(x), saved_predictions);

  REQUIRE(loaded->compiled());
  CHECK(loaded->optimizer()->class_name() == "Adam");
  CHECK(loaded->optimizer()->get_config() == model->optimizer()->get_config());
  CHECK(loaded->optimizer()->iterations() == 4);
  auto a = model->optimizer()->variables(), b = loaded->optimizer()->variables();
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() == 2 + 2 * model->trainable_weights().size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i]->path());
    CHECK(a[i]->path() == b[i]->path());
    check_equal(a[i]->value(), b[i]->value());
  }
}

TEST_CASE("after load_model, fit continues exactly as the uninterrupted run") {
  TempDir dir;
  Tensor x = ramp({24, 8, 8, 2});
  Tensor y = class_labels(24, 3);
  auto model = make_cnn();
  model->fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0});
  model->save(dir / "ckpt.h5");
  auto resumed = load_model(dir / "ckpt.h5");

  set_random_seed(99);  // the shuffle order of the next epochs
  auto straight = model->fit(x, y, {.batch_size = 8, .epochs = 3, .verbose = 0});
  set_random_seed(99);
  auto continued = resumed->fit(x, y, {.batch_size = 8, .epochs = 3, .verbose = 0});
  CHECK(continued->history.at("loss") == straight->history.at("loss"));
  CHECK(continued->history.at("accuracy") == straight->history.at("accuracy"));
  check_equal(resumed->get_weights(), model->get_weights());
}

TEST_CASE("every optimizer, with schedules, clipping and weight decay, comes back from training_config") {
  TempDir dir;
  using namespace optimizers;
  std::vector<std::shared_ptr<Optimizer>> all = {
      std::make_shared<SGD>(SGDOptions{.learning_rate = 0.05, .momentum = 0.9, .nesterov = true, .clipnorm = 1.0}),
      std::make_shared<Adam>(AdamOptions{.learning_rate = schedules::ExponentialDecay(0.01, 10, 0.5), .amsgrad = true}),
      std::make_shared<AdamW>(AdamWOptions{.learning_rate = 0.002, .weight_decay = 0.01, .global_clipnorm = 2.0}),
      std::make_shared<RMSprop>(RMSpropOptions{.momentum = 0.5, .centered = true, .clipvalue = 0.5}),
      std::make_shared<Adagrad>(AdagradOptions{.initial_accumulator_value = 0.2}),
      std::make_shared<Adadelta>(AdadeltaOptions{.learning_rate = 1.0, .rho = 0.9}),
      std::make_shared<Adamax>(AdamaxOptions{.beta_2 = 0.99}),
      std::make_shared<Nadam>(NadamOptions{.weight_decay = 0.001}),
      std::make_shared<Lion>(LionOptions{.learning_rate = 1e-4}),
      std::make_shared<Ftrl>(FtrlOptions{.l1_regularization_strength = 0.01, .beta = 0.1}),
  };
  Tensor x = ramp({16, 4}), y = ramp({16, 2}, 0.03f);
  for (const auto& opt : all) {
    INFO(opt->class_name());
    using namespace layers;
    Sequential model({Input({4}), Dense(3, {.activation = "tanh"}), Dense(2)}, "m");
    model.compile({.optimizer = opt, .loss = "mse"});
    model.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});
    model.save(dir / "opt.h5");
    auto loaded = load_model(dir / "opt.h5");
    CHECK(loaded->optimizer()->class_name() == opt->class_name());
    CHECK(loaded->optimizer()->get_config() == opt->get_config());
    auto a = opt->variables(), b = loaded->optimizer()->variables();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) check_equal(a[i]->value(), b[i]->value());
    // the next step is the same step
    CHECK(loaded->train_on_batch(x, y) == model.train_on_batch(x, y));
    check_equal(loaded->get_weights(), model.get_weights());
  }
}

TEST_CASE("Keras 2 optimizer state (OptimizerV2 names) is mapped onto the slots by name") {
  TempDir dir;
  using namespace layers;
  Sequential model({Input({3}), Dense(2, {.name = "dense"})}, "m");
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "mse"});
  model.save(dir / "k2.h5");
  {
    // replace the optimizer group by what tf.keras 2.x wrote: iter, then all m slots, then all v slots
    hid_t f = H5Fopen((dir / "k2.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "optimizer_weights", H5P_DEFAULT);
    hid_t g = H5Gcreate2(f, "optimizer_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<std::string> names = {"Adam/iter:0", "Adam/dense/kernel/m:0", "Adam/dense/bias/m:0",
                                      "Adam/dense/kernel/v:0", "Adam/dense/bias/v:0"};
    write_fixed_strings(g, "weight_names", names, 24, H5T_STR_NULLPAD, H5T_CSET_ASCII);
    auto put = [&](const std::string& name, std::vector<hsize_t> dims, hid_t type, const void* data) {
      hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
      H5Pset_create_intermediate_group(lcpl, 1);
      hid_t space = dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
      hid_t ds = H5Dcreate2(g, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
      H5Dclose(ds);
      H5Sclose(space);
      H5Pclose(lcpl);
    };
    std::int64_t iter = 7;
    std::vector<float> km(6, 0.25f), bm(2, 0.5f), kv(6, 0.125f), bv(2, 0.75f);
    put(names[0], {}, H5T_NATIVE_INT64, &iter);
    put(names[1], {3, 2}, H5T_NATIVE_FLOAT, km.data());
    put(names[2], {2}, H5T_NATIVE_FLOAT, bm.data());
    put(names[3], {3, 2}, H5T_NATIVE_FLOAT, kv.data());
    put(names[4], {2}, H5T_NATIVE_FLOAT, bv.data());
    H5Gclose(g);
    H5Fclose(f);
  }
  auto loaded = load_model(dir / "k2.h5");
  CHECK(loaded->optimizer()->iterations() == 7);
  std::map<std::string, float> first;
  for (Variable* v : loaded->optimizer()->variables()) first[v->path()] = static_cast<float>(v->value().item(0));
  CHECK(first.at("adam/dense_kernel_momentum") == 0.25f);
  CHECK(first.at("adam/dense_bias_momentum") == 0.5f);
  CHECK(first.at("adam/dense_kernel_velocity") == 0.125f);
  CHECK(first.at("adam/dense_bias_velocity") == 0.75f);
  CHECK(first.at("adam/learning_rate") == doctest::Approx(0.01));  // from the config: Keras 2 saved no variable
}

TEST_CASE("a functional graph (two inputs and outputs, shared layers, nested Sequential) round-trips") {
  TempDir dir;
  auto model = make_graph();
  model->fit(graph_x(16), graph_y(16), {.batch_size = 8, .epochs = 1, .verbose = 0});
  model->save(dir / "graph.h5");
  auto loaded = load_model(dir / "graph.h5");

  CHECK(loaded->get_config() == model->get_config());
  CHECK(loaded->layers().size() == model->layers().size());
  CHECK(loaded->get_layer("shared")->node_count() == 2);
  CHECK(loaded->get_layer("twice")->node_count() == 2);
  check_equal(loaded->predict(graph_x(5)), model->predict(graph_x(5)));
  // per-output metrics, losses and loss weights came back
  const auto& options = *loaded->compile_options();
  CHECK(options.loss_weights == std::vector<float>{1.0f, 0.5f});
  REQUIRE(options.output_metrics.size() == 2);
  CHECK(options.output_metrics[0][0].identifier() == "mae");
  CHECK(options.output_metrics[1][0].identifier() == "binary_accuracy");
  auto logs = loaded->evaluate(graph_x(16), graph_y(16), {.verbose = 0});
  auto expected = model->evaluate(graph_x(16), graph_y(16), {.verbose = 0});
  CHECK(logs == expected);
  CHECK(logs.count("out1_mae") == 1);
  CHECK(logs.count("out2_binary_accuracy") == 1);
}

TEST_CASE("the functional config is Keras 3's: inbound nodes with keras_history, renumbered per model") {
  auto model = make_graph();
  json c = model->get_config();
  CHECK(c.at("name") == "graph");
  CHECK(c.at("input_layers") == json::parse(R"([["a", 0, 0], ["b", 0, 0]])"));
  CHECK(c.at("output_layers") == json::parse(R"([["out1", 0, 0], ["out2", 0, 0]])"));
  json twice;
  for (const auto& l : c.at("layers"))
    if (l.at("name") == "twice") twice = l;
  CHECK(twice.at("module") == "keras.layers");
  CHECK(twice.at("class_name") == "Dense");
  CHECK(twice.at("registered_name").is_null());
  CHECK(twice.at("build_config") == json::parse(R"({"input_shape": [null, 4]})"));
  REQUIRE(twice.at("inbound_nodes").size() == 2);
  const auto& second = twice.at("inbound_nodes")[1];
  CHECK(second.at("kwargs") == json::object());
  CHECK(second.at("args")[0].at("class_name") == "__keras_tensor__");
  CHECK(second.at("args")[0].at("config").at("keras_history") == json::parse(R"(["twice", 0, 0])"));
  CHECK(second.at("args")[0].at("config").at("shape") == json::parse("[null, 4]"));

  // a single input/output is a bare triple
  auto x = Input({3}, {.name = "only"});
  Model single(x, layers::Dense(2, {.name = "d"})(x));
  CHECK(single.get_config().at("input_layers") == json::parse(R"(["only", 0, 0])"));
  CHECK(single.get_config().at("output_layers") == json::parse(R"(["d", 0, 0])"));

  // a layer called in two models: node indices count only this model's calls
  auto layer = share(layers::Dense(2, {.name = "reused"}));
  auto i1 = Input({3}, {.name = "i1"});
  auto i2 = Input({3}, {.name = "i2"});
  Model first(i1, (*layer)(i1));
  Model second_model(i2, (*layer)(i2));
  json cfg = second_model.get_config();
  CHECK(cfg.at("output_layers") == json::parse(R"(["reused", 0, 0])"));
  auto rebuilt = Model::from_config(cfg);
  CHECK(rebuilt->get_layer("reused")->node_count() == 1);
}

TEST_CASE("functional layers are ordered as Keras orders them: by depth, then by discovery") {
  // the order Keras 3.15 gives this graph (its model.layers and the layer_names it saves)
  using namespace layers;
  auto inp = Input({8, 8, 2}, {.name = "image"});
  auto stem = Conv2D(4, 3, {.padding = "same", .activation = "relu", .name = "stem"})(inp);
  auto a = Dense(5, {.name = "head_a"})(Flatten({.name = "flat_a"})(MaxPooling2D(2, {.name = "pool_a"})(stem)));
  auto b = Dense(3, {.activation = "sigmoid", .name = "head_b"})(GlobalAveragePooling2D({.name = "gap"})(stem));
  auto c = Activation("tanh", {.name = "head_c"})(Reshape({2}, {.name = "to_vec"})(
      GlobalAveragePooling2D({.keepdims = true, .name = "gap_keep"})(Conv2D(2, 1, {.name = "squeeze"})(stem))));
  Model model(std::vector{inp}, std::vector{a, b, c}, "branches");
  std::vector<std::string> names;
  for (const auto& l : model.layers()) names.push_back(l->name());
  CHECK(names == std::vector<std::string>{"image", "stem", "squeeze", "pool_a", "gap_keep", "flat_a", "gap", "to_vec",
                                          "head_a", "head_b", "head_c"});
  // an input no output depends on comes first among the outputs' depth
  auto x = Input({3}, {.name = "used"});
  auto unused = Input({3}, {.name = "unused"});
  Model partial(std::vector{x, unused}, std::vector{Dense(2, {.name = "out"})(x)}, "partial");
  names.clear();
  for (const auto& l : partial.layers()) names.push_back(l->name());
  CHECK(names == std::vector<std::string>{"used", "unused", "out"});
}

TEST_CASE("to_json writes Keras 3's model JSON and model_from_json reads it back") {
  auto model = make_graph();
  json j = json::parse(model->to_json());
  CHECK(j.at("module") == "keras.src.models.functional");
  CHECK(j.at("class_name") == "Functional");
  CHECK(j.at("registered_name") == "Functional");
  CHECK(j.at("build_config") == json::parse(R"({"input_shape": null})"));
  CHECK(j.at("compile_config").at("optimizer").at("class_name") == "RMSprop");
  CHECK(j.at("compile_config").at("loss")[0].at("class_name") == "MeanSquaredError");
  CHECK(j.at("compile_config").at("metrics") == json::parse(R"([["mae"], ["binary_accuracy"]])"));
  auto rebuilt = model_from_json(model->to_json());
  CHECK(rebuilt->get_config() == model->get_config());
  CHECK_FALSE(rebuilt->compiled());  // as Keras: to_json carries the config, not a compiled model

  auto seq = make_cnn("seq");
  json s = json::parse(seq->to_json(2));
  CHECK(s.at("module") == "keras");
  CHECK(s.at("class_name") == "Sequential");
  CHECK(s.at("config").at("build_input_shape") == json::parse("[null, 8, 8, 2]"));
  CHECK(s.at("config").at("layers")[0].at("class_name") == "InputLayer");
  CHECK(s.at("build_config") == json::parse(R"({"input_shape": [null, 8, 8, 2]})"));
  CHECK(model_from_json(seq->to_json())->get_config() == seq->get_config());
}

TEST_CASE("weights files: .weights.h5 (Keras 3 layout) and legacy .h5, with the optimizer") {
  TempDir dir;
  auto model = make_graph();
  model->fit(graph_x(16), graph_y(16), {.batch_size = 8, .epochs = 1, .verbose = 0});
  model->save_weights(dir / "w.weights.h5");
  model->save_weights(dir / "w.h5");

  {
    h5::File f = h5::File::open_read(dir / "w.weights.h5");
    CHECK(f.group("vars").read_string("name") == "graph");
    CHECK(f.group("layers/dense/vars").read_string("name") == "shared");
    CHECK(f.group("layers/dense_1/vars").read_string("name") == "twice");
    CHECK(f.dataset_shape("layers/dense/vars/0") == Shape{5, 4});
    CHECK(f.has_group("layers/input_layer_1/vars"));
    CHECK(f.dataset_shape("layers/sequential/layers/batch_normalization/vars/3") == Shape{3});
    CHECK(f.group("layers/sequential/layers/batch_normalization/vars").read_string("name") == "inner_bn");
    CHECK(f.group("optimizer/vars").read_string("name") == "rm_sprop");
    h5::File legacy = h5::File::open_read(dir / "w.h5");
    CHECK(legacy.read_string_list("layer_names") ==
          std::vector<std::string>{"a", "shared", "twice", "b", "inner", "out1", "out2"});
    CHECK(legacy.group("inner").read_string_list("weight_names") ==
          std::vector<std::string>{"inner/inner_dense/kernel", "inner/inner_dense/bias", "inner/inner_bn/gamma",
                                   "inner/inner_bn/beta", "inner/inner_bn/moving_mean", "inner/inner_bn/moving_variance"});
    CHECK(legacy.group("a").read_string_list("weight_names").empty());
  }
  for (const char* file : {"w.weights.h5", "w.h5"}) {
    INFO(file);
    auto fresh = make_graph();
    fresh->load_weights(dir / file);
    check_equal(fresh->get_weights(), model->get_weights());
    check_equal(fresh->predict(graph_x(4)), model->predict(graph_x(4)));
  }
  // the optimizer state travels with .weights.h5: the next step matches
  auto fresh = make_graph();
  fresh->load_weights(dir / "w.weights.h5");
  CHECK(fresh->optimizer()->iterations() == model->optimizer()->iterations());
  CHECK(fresh->train_on_batch(graph_x(8), graph_y(8)) == model->train_on_batch(graph_x(8), graph_y(8)));
  check_equal(fresh->get_weights(), model->get_weights());
}

TEST_CASE("load_weights by_name and skip_mismatch follow Keras's rules") {
  TempDir dir;
  using namespace layers;
  Sequential source({Input({4}), Dense(3, {.name = "keep"}), Dense(2, {.name = "other"})}, "source");
  source.save_weights(dir / "src.h5");

  // by name: only 'keep' matches; the unmatched layer keeps its weights
  Sequential target({Input({4}), Dense(5, {.name = "unrelated"}), Dense(3, {.name = "keep_not"})}, "target");
  auto before = target.get_weights();
  target.load_weights(dir / "src.h5", {.by_name = true});
  check_equal(target.get_weights(), before);

  Sequential named({Input({4}), Dense(3, {.name = "keep"}), Dense(7, {.name = "other"})}, "named");
  auto other_before = named.get_layer("other")->get_weights();
  std::string msg = error_of<ShapeError>([&] { named.load_weights(dir / "src.h5", {.by_name = true}); });
  CHECK(contains(msg, "src.h5"));
  CHECK(contains(msg, "other"));
  CHECK(contains(msg, "(3, 7)"));
  named.load_weights(dir / "src.h5", {.by_name = true, .skip_mismatch = true});
  check_equal(named.get_layer("keep")->get_weights(), source.get_layer("keep")->get_weights());
  check_equal(named.get_layer("other")->get_weights(), other_before);

  // topological: names do not matter, counts do
  Sequential renamed({Input({4}), Dense(3, {.name = "x1"}), Dense(2, {.name = "x2"})}, "renamed");
  renamed.load_weights(dir / "src.h5");
  check_equal(renamed.get_weights(), source.get_weights());
  Sequential fewer({Input({4}), Dense(3)}, "fewer");
  msg = error_of<ValueError>([&] { fewer.load_weights(dir / "src.h5"); });
  CHECK(contains(msg, "layer count mismatch"));
  CHECK(contains(msg, "expected 1 layers, found 2"));
  Sequential k3({Input({4}), Dense(3), Dense(2)}, "k3");
  k3.save_weights(dir / "k3.weights.h5");
  msg = error_of<ValueError>([&] { k3.load_weights(dir / "k3.weights.h5", {.by_name = true}); });
  CHECK(contains(msg, "by_name"));
}

TEST_CASE("a frozen layer's weights are written trainable-first, as Keras's legacy order") {
  TempDir dir;
  using namespace layers;
  auto bn = share(BatchNormalization({.name = "bn"}));
  Sequential model({Input({3}), Dense(3, {.name = "d"}), bn}, "frozen");
  bn->set_trainable(false);
  model.save(dir / "frozen.h5");
  h5::File f = h5::File::open_read(dir / "frozen.h5");
  auto names = f.group("model_weights/bn").read_string_list("weight_names");
  CHECK(names == std::vector<std::string>{"frozen/bn/gamma", "frozen/bn/beta", "frozen/bn/moving_mean",
                                          "frozen/bn/moving_variance"});
  auto loaded = load_model(dir / "frozen.h5");
  CHECK_FALSE(loaded->get_layer("bn")->trainable());
  CHECK(loaded->trainable_weights().size() == 2);
}

// ---- the .keras archive ----------------------------------------------------------------------------

namespace {

void put16(std::string& s, unsigned v) { s += static_cast<char>(v & 0xff), s += static_cast<char>((v >> 8) & 0xff); }
void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

/// A ZIP archive written by hand, so members can declare sizes they do not have (a decompression bomb).
struct RawMember {
  std::string name, data;
  unsigned method = 0;            // 0 stored, 8 deflated
  std::uint32_t declared = 0;     // uncompressed size it claims (0: its real size)
  std::uint32_t crc = 0;
};

std::string raw_zip(std::vector<RawMember> members) {
  std::string out, central;
  for (auto& m : members) {
    if (m.method == 0 && m.crc == 0)
      m.crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()),
                                                static_cast<uInt>(m.data.size())));
    std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    std::uint32_t size = m.declared ? m.declared : static_cast<std::uint32_t>(m.data.size());
    auto header = [&](std::string& s, bool is_central) {
      put32(s, is_central ? 0x02014b50 : 0x04034b50);
      if (is_central) put16(s, 20);
      put16(s, 20);
      put16(s, 0);
      put16(s, m.method);
      put16(s, 0);
      put16(s, 0x21);
      put32(s, m.crc);
      put32(s, static_cast<std::uint32_t>(m.data.size()));
      put32(s, size);
      put16(s, static_cast<unsigned>(m.name.size()));
      put16(s, 0);
      if (is_central) {
        put16(s, 0);
        put16(s, 0);
        put16(s, 0);
        put32(s, 0);
        put32(s, offset);
      }
      s += m.name;
    };
    header(out, false);
    out += m.data;
    header(central, true);
  }
  std::uint32_t cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<unsigned>(members.size()));
  put16(out, static_cast<unsigned>(members.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

}  // namespace

TEST_CASE("the .keras archive: Keras 3's members, and a model that resumes training from it") {
  TempDir dir;
  auto model = make_cnn("archived");
  Tensor x = ramp({24, 8, 8, 2});
  Tensor y = class_labels(24, 3);
  model->fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0});
  model->save(dir / "model.keras");
  {
    zip::Reader archive(dir / "model.keras");
    CHECK(archive.names() == std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5"});
    json metadata = json::parse(archive.read("metadata.json"));
    CHECK(metadata.at("keras_version") == "3.15.1");
    CHECK(metadata.at("date_saved").get<std::string>().size() == 19);  // YYYY-MM-DD@HH:MM:SS
    json config = json::parse(archive.read("config.json"));
    CHECK(config.at("class_name") == "Sequential");
    CHECK(config.at("compile_config").at("optimizer").at("class_name") == "Adam");
  }
  auto loaded = load_model(dir / "model.keras");
  CHECK(loaded->get_config() == model->get_config());
  check_equal(loaded->get_weights(), model->get_weights());
  const Tensor saved_predictions = model->predict(x);
  check_equal(loaded->predict(x), saved_predictions);
  auto a = model->optimizer()->variables(), b = loaded->optimizer()->variables();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i]->path());
    check_equal(a[i]->value(), b[i]->value());
  }
  set_random_seed(5);
  auto straight = model->fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0});
  set_random_seed(5);
  auto continued = loaded->fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0});
  CHECK(continued->history.at("loss") == straight->history.at("loss"));

  // weights only, from the archive; and not compiled on request
  auto rebuilt = model_from_json(model->to_json());
  rebuilt->load_weights(dir / "model.keras");
  check_equal(rebuilt->predict(x), saved_predictions);
  CHECK_FALSE(load_model(dir / "model.keras", {.compile = false})->compiled());
  CHECK_THROWS_AS(model->save_weights(dir / "weights.keras"), ValueError);
}

TEST_CASE("bad .keras archives raise typed errors naming the archive and the member") {
  TempDir dir;
  auto model = make_cnn();
  model->save(dir / "good.keras");
  const std::string good = read_bytes(dir / "good.keras");
  std::string config_json;
  {
    zip::Reader archive(dir / "good.keras");
    config_json = archive.read("config.json");
  }

  write_bytes(dir / "text.keras", "not a zip archive\n");
  std::string msg = error_of<FileFormatError>([&] { load_model(dir / "text.keras"); });
  CHECK(contains(msg, "text.keras"));
  CHECK(contains(msg, "ZIP"));
  write_bytes(dir / "truncated.keras", good.substr(0, good.size() - 100));
  CHECK_THROWS_AS(load_model(dir / "truncated.keras"), FileFormatError);

  write_bytes(dir / "no_config.keras", raw_zip({{"metadata.json", "{}"}}));
  msg = error_of<FileFormatError>([&] { load_model(dir / "no_config.keras"); });
  CHECK(contains(msg, "no_config.keras"));
  CHECK(contains(msg, "config.json"));

  write_bytes(dir / "npz.keras", raw_zip({{"config.json", config_json}, {"model.weights.npz", "PK"}}));
  msg = error_of<UnsupportedError>([&] { load_model(dir / "npz.keras"); });
  CHECK(contains(msg, "model.weights.npz"));

  write_bytes(dir / "bad_json.keras", raw_zip({{"config.json", "{\"class_name\": "}}));
  msg = error_of<FileFormatError>([&] { load_model(dir / "bad_json.keras"); });
  CHECK(contains(msg, "config.json"));

  // a member that declares 1 GiB but stores 16 bytes is refused before anything is extracted
  RawMember bomb{"model.weights.h5", std::string(16, '\0'), 8, 1u << 30, 0};
  write_bytes(dir / "bomb.keras", raw_zip({{"config.json", config_json}, bomb}));
  msg = error_of<FileFormatError>([&] { load_model(dir / "bomb.keras"); });
  CHECK(contains(msg, "bomb.keras"));
  CHECK(contains(msg, "model.weights.h5"));
  CHECK(contains(msg, "decompression bomb"));
  // a member whose data is not the HDF5 file it claims to be
  write_bytes(dir / "garbage.keras", raw_zip({{"config.json", config_json}, {"model.weights.h5", "garbage"}}));
  msg = error_of<FileFormatError>([&] { load_model(dir / "garbage.keras"); });
  CHECK(contains(msg, "garbage.keras/model.weights.h5"));
}

// ---- Keras 2 dialects ------------------------------------------------------------------------------

TEST_CASE("Keras 2 configs: list-form inbound nodes, batch_input_shape, string dtypes, bare-list Sequential") {
  // tf.keras 2.x functional config (composed from the reference's example)
  json functional = json::parse(R"({"class_name": "Model", "config": {"name": "model",
    "layers": [
      {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
       "config": {"batch_input_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"}},
      {"class_name": "Dense", "name": "dense", "inbound_nodes": [[["input_1", 0, 0, {}]]],
       "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 8, "activation": "relu",
                  "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                  "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                  "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                  "bias_constraint": null}},
      {"class_name": "Dense", "name": "dense_1", "inbound_nodes": [[["dense", 0, 0, {}]], [["dense_1", 0, 0, {}]]],
       "config": {"name": "dense_1", "trainable": false, "dtype": {"class_name": "Policy", "config": {"name": "float32"}},
                  "units": 8, "activation": "linear", "use_bias": false}},
      {"class_name": "BatchNormalization", "name": "bn", "inbound_nodes": [[["dense_1", 1, 0, {}]]],
       "config": {"name": "bn", "axis": [1], "momentum": 0.9, "epsilon": 0.001, "center": true, "scale": false}}],
    "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0], ["bn", 0, 0]]},
    "keras_version": "2.4.0", "backend": "tensorflow"})");
  auto m = model_from_json(functional.dump());
  CHECK(m->name() == "model");
  CHECK(m->inputs()[0].shape() == Shape{-1, 4});
  CHECK(m->outputs().size() == 2);
  CHECK(m->get_layer("dense_1")->node_count() == 2);
  CHECK_FALSE(m->get_layer("dense_1")->trainable());
  CHECK(m->get_layer("dense_1")->weights().size() == 1);  // use_bias false
  CHECK(m->get_layer("bn")->weights().size() == 3);       // scale false: beta + moving stats
  CHECK(m->outputs()[1].shape() == Shape{-1, 8});

  // Keras 2.2.3 .. 2.15 Sequential: {"name", "layers"} with the InputLayer first
  auto seq = model_from_json(R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6, 6, 1], "dtype": "float32", "name": "conv2d_input"}},
      {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 2, "kernel_size": [3, 3], "strides": [1, 1],
        "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu"}},
      {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid",
        "strides": [2, 2], "data_format": "channels_last"}},
      {"class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}},
      {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.5, "noise_shape": null, "seed": null}},
      {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "softmax"}}]},
      "keras_version": "2.8.0", "backend": "tensorflow"})");
  CHECK(seq->outputs()[0].shape() == Shape{-1, 3});
  CHECK(seq->layers().size() == 5);

  // Keras < 2.2.3: the Sequential's config is the bare list; the first layer carries batch_input_shape
  auto bare = model_from_json(R"({"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "dense_1", "units": 5, "activation": "tanh",
        "batch_input_shape": [null, 7], "dtype": "float32", "trainable": true}},
      {"class_name": "Activation", "config": {"name": "activation_1", "activation": "softmax"}}],
      "keras_version": "2.1.3", "backend": "tensorflow"})");
  CHECK(bare->inputs()[0].shape() == Shape{-1, 7});
  CHECK(bare->get_layer("dense_1")->weights()[0]->shape() == Shape{7, 5});
}

TEST_CASE("nested models in Keras 2 configs: tf.keras 2.15's node numbering, read and written") {
  // tf.keras 2.15.1's to_json() of a graph calling a Sequential with an Input, one without, and a functional
  // block twice: Keras 2 counts a nested model's own input-to-output node as its call 0
  std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/tf_keras_2_15_nested_models.json");
  const json tf_json = json::parse(in);
  auto m = model_from_json(tf_json.dump());
  CHECK(m->get_layer("block")->node_count() == 2);
  CHECK(m->get_layer("shared")->node_count() == 2);
  CHECK(m->outputs()[0].shape() == Shape{-1, 4});

  // strata's Keras 2 dialect numbers the calls as tf.keras does
  const json written = json::parse(m->to_json(-1, KerasDialect::keras2));
  CHECK(written.at("keras_version") == "2.15.0");
  std::map<std::string, json> nodes;
  for (const auto& l : written.at("config").at("layers")) nodes[l.at("name")] = l.at("inbound_nodes");
  for (const auto& l : tf_json.at("config").at("layers"))
    CHECK_MESSAGE(nodes[l.at("name")] == l.at("inbound_nodes"), l.at("name").get<std::string>());
  CHECK(written.at("config").at("output_layers") == tf_json.at("config").at("output_layers"));

  // and reads them back into the same graph: same outputs for the same weights
  auto again = model_from_json(written.dump());
  again->set_weights(m->get_weights());
  std::vector<Tensor> x = {ramp({3, 6}), ramp({3, 6}, 0.05f, 0.3f)};
  check_equal(m->predict(x), again->predict(x));
}

TEST_CASE("hard_sigmoid means what it meant in the Keras that wrote the file (slope 0.2 before Keras 3)") {
  auto config_for = [](const std::string& version) {
    return json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1], "dtype": "float32", "name": "in"}},
      {"class_name": "Dense", "config": {"name": "d", "units": 1, "activation": "hard_sigmoid", "use_bias": false}}]},
      "keras_version": ")" + version + R"("})");
  };
  Tensor x = tensor({-3.0f, -1.0f, 0.5f, 2.0f, 4.0f}).reshape({5, 1});
  for (const std::string version : {"2.15.0", "1.2.2", "3.15.1"}) {
    INFO(version);
    auto m = model_from_json(config_for(version).dump());
    m->set_weights({Tensor::full({1, 1}, 1.0f)});
    const bool keras2 = version[0] != '3';
    CHECK(m->get_layer("d")->get_config().at("activation") == (keras2 ? "keras2_hard_sigmoid" : "hard_sigmoid"));
    const Tensor y = m->predict(x);
    for (std::int64_t i = 0; i < 5; ++i) {
      const float v = x.data<float>()[i];
      const float expected = keras2 ? std::clamp(0.2f * v + 0.5f, 0.0f, 1.0f) : std::clamp(v / 6.0f + 0.5f, 0.0f, 1.0f);
      CHECK(y.data<float>()[i] == doctest::Approx(expected).epsilon(1e-6));
    }
    // written back for tf.keras 2 as its own hard_sigmoid; Keras 3's has no tf.keras 2 name
    if (keras2) {
      CHECK(json::parse(m->to_json(-1, KerasDialect::keras2)).dump().find("\"hard_sigmoid\"") != std::string::npos);
    } else {
      CHECK_THROWS_AS(m->to_json(-1, KerasDialect::keras2), UnsupportedError);
    }
  }
}

TEST_CASE("a tf.keras 2.15 .h5 with nested models loads and predicts as tf.keras does") {
  const std::string base = std::string(STRATA_SOURCE_DIR) + "/tests/reference/tf_keras_2_15_nested_models";
  auto m = load_model(base + ".h5");
  std::ifstream in(base + "_io.json");
  const json io = json::parse(in);
  auto tensor_of = [](const json& rows) {
    Tensor t({static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(rows[0].size())});
    std::int64_t k = 0;
    for (const auto& row : rows)
      for (const auto& v : row) t.data<float>()[k++] = v.get<float>();
    return t;
  };
  const Tensor expected = tensor_of(io.at("output"));
  const Tensor got = m->predict({tensor_of(io.at("inputs")[0]), tensor_of(io.at("inputs")[1])})[0];
  REQUIRE(got.shape() == expected.shape());
  for (std::int64_t i = 0; i < got.size(); ++i)
    CHECK(got.data<float>()[i] == doctest::Approx(expected.data<float>()[i]).epsilon(1e-5));
}

TEST_CASE("the Keras 2 dialect: .h5 attributes, weight names and configs as tf.keras 2.15 writes them") {
  TempDir dir;
  const std::string path = dir / "keras2_dialect.h5";
  Sequential model({Input({4}), layers::Dense(3, {.activation = "relu"}), layers::BatchNormalization(),
                    layers::Dense(2)});
  model.compile({.optimizer = optimizers::Adam(), .loss = "mse", .metrics = {"mae"}});
  model.save(path, {.dialect = KerasDialect::keras2});
  {
    h5::File f = h5::File::open_read(path);
    CHECK(f.read_string("keras_version") == "2.15.0");
    CHECK(f.read_string("backend") == "tensorflow");
    const json config = json::parse(f.read_string("model_config"));
    const json& first = config.at("config").at("layers").at(0);
    CHECK(first.at("class_name") == "InputLayer");
    CHECK(first.at("config").at("batch_input_shape") == json::array({nullptr, 4}));
    CHECK(first.at("config").at("dtype") == "float32");
    const json& dense = config.at("config").at("layers").at(1).at("config");
    CHECK(dense.at("dtype") == "float32");
    CHECK(dense.at("kernel_initializer") == json{{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}});
    CHECK_FALSE(config.dump().find("\"module\"") != std::string::npos);
    const json training = json::parse(f.read_string("training_config"));
    CHECK(training.at("optimizer_config").at("config").at("is_legacy_optimizer") == false);
    CHECK_FALSE(training.at("optimizer_config").at("config").contains("loss_scale_factor"));
    CHECK_FALSE(f.has_group("optimizer_weights"));
    h5::Group weights = f.group("model_weights");
    CHECK(weights.read_string("keras_version") == "2.15.0");
    const std::string dense_name = model.layers()[0]->name();
    CHECK(weights.group(dense_name).read_string_list("weight_names") ==
          std::vector<std::string>{dense_name + "/kernel:0", dense_name + "/bias:0"});
  }
  // strata reads its Keras 2 file back: same outputs, compiled
  auto back = load_model(path);
  CHECK(back->compiled());
  Tensor x = ramp({2, 4});
  check_equal(back->predict(x), model.predict(x));
  CHECK_THROWS_AS(model.save(dir / "keras2.keras", {.dialect = KerasDialect::keras2}), ValueError);
}

TEST_CASE("Keras 3 JSON from the reference (3.15) loads, with args/kwargs nodes and DTypePolicy dicts") {
  std::string text = R"({"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
 "config": {"name": "functional", "trainable": true,
   "layers": [
     {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null,
      "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"},
      "name": "input_layer", "inbound_nodes": []},
     {"module": "keras.layers", "class_name": "Dense", "registered_name": null,
      "config": {"name": "dense", "trainable": true,
                 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
                 "units": 8, "activation": "relu", "use_bias": true,
                 "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                 "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                 "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
      "build_config": {"input_shape": [null, 4]},
      "name": "dense",
      "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                   "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}],
                         "kwargs": {}}]}],
   "input_layers": ["input_layer", 0, 0],
   "output_layers": ["dense", 0, 0]},
 "build_config": {"input_shape": null},
 "compile_config": {}})";
  auto m = model_from_json(text);
  CHECK(m->name() == "functional");
  CHECK(m->outputs()[0].shape() == Shape{-1, 8});
  CHECK(m->get_layer("dense")->get_config().at("activation") == "relu");
}

// ---- the HDF5 layer --------------------------------------------------------------------------------


TEST_CASE("string attributes in every encoding Keras files use read back the same") {
  TempDir dir;
  {
    hid_t f = H5Fcreate((dir / "strings.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    // NULLPAD names that fill the width have no terminator (Keras 2's layer_names)
    write_fixed_strings(f, "nullpad", {"dense", "dense_12", "bn"}, 8, H5T_STR_NULLPAD, H5T_CSET_ASCII);
    write_fixed_strings(f, "nullterm", {"a", "bcd"}, 4, H5T_STR_NULLTERM, H5T_CSET_ASCII);
    write_fixed_strings(f, "spacepad", {"x", "yz"}, 5, H5T_STR_SPACEPAD, H5T_CSET_ASCII);
    write_fixed_strings(f, "utf8", {"gr\xc3\xbc\xc3\x9f"}, 6, H5T_STR_NULLPAD, H5T_CSET_UTF8);
    write_fixed_strings(f, "scalar_fixed", {"2.1.6"}, 5, H5T_STR_NULLPAD, H5T_CSET_ASCII, true);
    // zero-length float64, as numpy.asarray([]) for a layer without weights
    hsize_t zero[1] = {0};
    hid_t space = H5Screate_simple(1, zero, nullptr);
    hid_t attr = H5Acreate2(f, "empty", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Aclose(attr);
    H5Sclose(space);
    // a number where a string is expected
    space = H5Screate(H5S_SCALAR);
    attr = H5Acreate2(f, "number", H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT);
    int one = 1;
    H5Awrite(attr, H5T_NATIVE_INT, &one);
    H5Aclose(attr);
    H5Sclose(space);
    H5Fclose(f);
  }
  h5::File f = h5::File::open_read(dir / "strings.h5");
  CHECK(f.read_string_list("nullpad") == std::vector<std::string>{"dense", "dense_12", "bn"});
  CHECK(f.read_string_list("nullterm") == std::vector<std::string>{"a", "bcd"});
  CHECK(f.read_string_list("spacepad") == std::vector<std::string>{"x", "yz"});
  CHECK(f.read_string_list("utf8") == std::vector<std::string>{"gr\xc3\xbc\xc3\x9f"});
  CHECK(f.read_string("scalar_fixed") == "2.1.6");
  CHECK(f.read_string_list("empty").empty());
  std::string msg = error_of<FileFormatError>([&] { f.read_string("number"); });
  CHECK(contains(msg, "strings.h5"));
  CHECK(contains(msg, "number"));
  msg = error_of<FileFormatError>([&] { f.read_string_list("absent"); });
  CHECK(contains(msg, "absent"));
  CHECK(contains(msg, "missing attribute"));
}

TEST_CASE("long name lists are chunked into name0, name1, ... and read back whole") {
  TempDir dir;
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back("layer_with_a_long_name_" + std::to_string(i));
  {
    h5::File f = h5::File::create(dir / "chunks.h5");
    f.write_string_list("layer_names", names);
    f.write_string_list("short", {"a", "b"});
    f.write_string_list("none", {});
    f.close();
  }
  h5::File f = h5::File::open_read(dir / "chunks.h5");
  CHECK_FALSE(f.has_attr("layer_names"));
  CHECK(f.has_attr("layer_names0"));
  CHECK(f.has_attr("layer_names1"));
  CHECK(f.read_string_list("layer_names") == names);
  CHECK(f.read_string_list("short") == std::vector<std::string>{"a", "b"});
  CHECK(f.read_string_list("none").empty());
  hid_t id = H5Fopen((dir / "chunks.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t attr = H5Aopen(id, "none", H5P_DEFAULT);
  hid_t type = H5Aget_type(attr);
  CHECK(H5Tget_class(type) == H5T_FLOAT);  // Keras's empty weight_names: float64, shape (0,)
  CHECK(H5Tget_size(type) == 8);
  H5Tclose(type);
  H5Aclose(attr);
  H5Fclose(id);
}

TEST_CASE("a model whose layer names exceed the attribute limit saves and loads") {
  TempDir dir;
  using namespace layers;
  std::string a(40000, 'a'), b(40000, 'b');
  Sequential model({Input({2}), Dense(2, {.name = a}), Dense(1, {.name = b})}, "long_names");
  model.save(dir / "long.h5");
  h5::File f = h5::File::open_read(dir / "long.h5");
  CHECK(f.group("model_weights").has_attr("layer_names0"));
  CHECK(f.group("model_weights").has_attr("layer_names1"));
  auto loaded = load_model(dir / "long.h5");
  check_equal(loaded->get_weights(), model.get_weights());
}

// ---- custom layers and the registry ----------------------------------------------------------------

TEST_CASE("keras.ops arithmetic in a Keras graph (x + 3.0, 2.0 - y, a / b) loads, predicts and saves as Keras") {
  // from real Keras (tests/reference/make_numpy_operations_reference.py): each op is an operation of module
  // keras.src.ops.numpy whose number operand is in the call's args, not a layer
  std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/numpy_operations_reference.json");
  const json ref = json::parse(in);
  auto model = model_from_json(ref.at("model").dump());
  std::vector<float> x;
  for (const auto& row : ref.at("inputs"))
    for (const auto& v : row) x.push_back(v.get<float>());
  Tensor y = model->predict(Tensor({2, 3}, x));
  const auto& expected = ref.at("outputs");
  REQUIRE(y.size() == static_cast<std::int64_t>(expected.size()));
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(y.item(static_cast<std::int64_t>(i)) == doctest::Approx(expected[i].get<double>()).epsilon(1e-6));
  CHECK(model->summary_string() == ref.at("summary").get<std::string>());

  // saved back: the same operation entries and call args as Keras's
  const json saved = json::parse(model->to_json());
  const auto& keras_layers = ref.at("model").at("config").at("layers");
  const auto& strata_layers = saved.at("config").at("layers");
  REQUIRE(strata_layers.size() == keras_layers.size());
  for (std::size_t i = 1; i < keras_layers.size(); ++i) {
    INFO(keras_layers[i].at("name"));
    for (const char* key : {"module", "class_name", "config", "registered_name", "name", "inbound_nodes"})
      CHECK(strata_layers[i].at(key) == keras_layers[i].at(key));
  }
  TempDir dir;
  model->save(dir / "ops.keras");
  Tensor again = load_model(dir / "ops.keras")->predict(Tensor({2, 3}, x));
  for (std::int64_t i = 0; i < y.size(); ++i) CHECK(again.item(i) == y.item(i));
  // tf.keras 2 writes these as TFOpLambda layers, which strata does not write
  std::string msg = error_of<UnsupportedError>([&] { model->save(dir / "ops.h5", {.dialect = KerasDialect::keras2}); });
  CHECK(contains(msg, "keras.ops operation 'add'"));

  // an operation strata lacks is refused by name, never run as something else
  json other = ref.at("model");
  other["config"]["layers"][1]["class_name"] = "Arctan";
  msg = error_of<UnsupportedError>([&] { model_from_json(other.dump()); });
  CHECK(contains(msg, "'add' (Arctan)"));
  json two_numbers = ref.at("model");
  two_numbers["config"]["layers"][1]["inbound_nodes"][0]["args"][0] = 1.0;
  msg = error_of<UnsupportedError>([&] { model_from_json(two_numbers.dump()); });
  CHECK(contains(msg, "no tensor operand"));
}

TEST_CASE("a registered custom layer saves and loads; unknown classes and Lambda fail clearly") {
  TempDir dir;
  register_layer<Scale>("Scale");
  CHECK(is_registered_layer("Scale"));
  auto x = Input({3});
  auto s = Scale(2.5, "scale")(x);
  Model model(x, layers::Dense(2)(s), "custom");
  model.get_layer("scale")->set_weights({tensor({0.5f, -1.0f, 2.0f})});
  model.save(dir / "custom.h5");
  json entry = model.get_config().at("layers")[1];
  CHECK(entry.at("registered_name") == "Custom>Scale");
  CHECK(entry.at("module").is_null());
  auto loaded = load_model(dir / "custom.h5");
  CHECK(loaded->get_layer("scale")->get_config().at("factor") == 2.5);
  Tensor in = ramp({4, 3});
  check_equal(loaded->predict(in), model.predict(in));

  json unknown = json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}},
      {"class_name": "FancyAttention", "config": {"name": "fancy"}}]}})");
  std::string msg = error_of<UnsupportedError>([&] { model_from_config(unknown); });
  CHECK(contains(msg, "FancyAttention"));
  CHECK(contains(msg, "fancy"));
  CHECK(contains(msg, "Dense"));  // lists the supported classes
  CHECK(contains(msg, "Conv2D"));
  CHECK(contains(msg, "register_layer"));

  json lambda = json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}},
      {"class_name": "Lambda", "config": {"name": "lambda_1", "function": ["4wEAAAAAAAAA", null, null],
       "function_type": "lambda", "module": "__main__"}}]}})");
  msg = error_of<UnsupportedError>([&] { model_from_config(lambda); });
  CHECK(contains(msg, "Lambda"));
  CHECK(contains(msg, "lambda_1"));
  CHECK(contains(msg, "Python"));
}

TEST_CASE("configs with features strata lacks raise UnsupportedError naming the layer and field") {
  auto with = [](const std::string& layer) {
    return json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}}, )" + layer + "]}}");
  };
  std::string msg = error_of<UnsupportedError>([&] {
    model_from_config(with(R"({"class_name": "Dense", "config": {"name": "reg", "units": 2,
        "kernel_regularizer": {"class_name": "MyRegularizer", "config": {"l2": 0.01}}}})"));
  });
  CHECK(contains(msg, "reg"));
  CHECK(contains(msg, "kernel_regularizer"));
  CHECK(contains(msg, "MyRegularizer"));  // a custom Python regularizer; Keras's own load (test_regularizers_constraints)
  msg = error_of<UnsupportedError>([&] {
    model_from_config(with(R"({"class_name": "Dense", "config": {"name": "half", "units": 2, "dtype": "mixed_float16"}})"));
  });
  CHECK(contains(msg, "mixed_float16"));
  msg = error_of<FileFormatError>([&] {
    model_from_config(with(R"({"class_name": "Dense", "config": {"name": "nounits"}})"));
  });
  CHECK(contains(msg, "nounits"));
  CHECK(contains(msg, "units"));
  msg = error_of<FileFormatError>([&] {
    model_from_config(with(R"({"class_name": "Dense", "config": {"name": "badunits", "units": "many"}})"));
  });
  CHECK(contains(msg, "'units'"));
  msg = error_of<FileFormatError>([] { model_from_json("{\"class_name\": \"Sequential\", \"config\": "); });
  CHECK(contains(msg, "JSON"));
}

// ---- atomic writes and bad files -------------------------------------------------------------------

TEST_CASE("a failed save leaves the previous file intact and no temporary file behind") {
  TempDir dir;
  using namespace layers;
  Sequential good({Input({3}), Dense(2)}, "good");
  good.save(dir / "model.h5");
  std::string before = read_bytes(dir / "model.h5");

  auto x = Input({3});
  Model bad(x, Unsaveable()(x), "bad");
  std::string msg = error_of<ValueError>([&] { bad.save(dir / "model.h5"); });
  CHECK(contains(msg, "no config"));
  CHECK(read_bytes(dir / "model.h5") == before);
  CHECK(load_model(dir / "model.h5")->name() == "good");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir.path)) files.push_back(e.path().filename().string());
  CHECK(files == std::vector<std::string>{"model.h5"});

  // a file that did not exist is not created by a failed save
  CHECK_THROWS_AS(bad.save(dir / "new.h5"), ValueError);
  CHECK_FALSE(fs::exists(dir / "new.h5"));
  // nor by a write into a directory that is a file
  CHECK_THROWS_AS(good.save(dir / "model.h5/inner.h5"), FileFormatError);
}

TEST_CASE("bad files raise typed errors naming the file and the field") {
  TempDir dir;
  auto model = make_cnn();
  model->save(dir / "ok.h5");
  const std::string ok = read_bytes(dir / "ok.h5");

  std::string msg = error_of<FileFormatError>([&] { load_model(dir / "missing.h5"); });
  CHECK(contains(msg, "missing.h5"));
  write_bytes(dir / "empty.h5", "");
  msg = error_of<FileFormatError>([&] { load_model(dir / "empty.h5"); });
  CHECK(contains(msg, "empty.h5"));
  CHECK(contains(msg, "empty"));
  write_bytes(dir / "text.h5", "this is not an HDF5 file at all, just text\n");
  msg = error_of<FileFormatError>([&] { load_model(dir / "text.h5"); });
  CHECK(contains(msg, "not an HDF5 file"));
  write_bytes(dir / "truncated.h5", ok.substr(0, ok.size() / 2));
  msg = error_of<FileFormatError>([&] { load_model(dir / "truncated.h5"); });
  CHECK(contains(msg, "truncated.h5"));
  write_bytes(dir / "header_only.h5", ok.substr(0, 64));
  CHECK_THROWS_AS(load_model(dir / "header_only.h5"), FileFormatError);
  CHECK_THROWS_AS(model->load_weights(dir / "truncated.h5"), FileFormatError);

  // corrupt bytes anywhere: a strata error (of some type) or a successful load, never a crash
  int loaded = 0, failed = 0;
  for (std::size_t at = 0; at < ok.size(); at += ok.size() / 97 + 1) {
    std::string bytes = ok;
    for (std::size_t k = at; k < std::min(ok.size(), at + 16); ++k) bytes[k] = static_cast<char>(bytes[k] ^ 0x5a);
    write_bytes(dir / "corrupt.h5", bytes);
    try {
      auto m = load_model(dir / "corrupt.h5");
      m->predict(ramp({1, 8, 8, 2}));
      ++loaded;
    } catch (const Error&) {
      ++failed;
    }
  }
  CHECK(failed > 0);
  MESSAGE("corrupted copies: " << loaded << " still loaded, " << failed << " raised strata errors");

  // well-formed HDF5, wrong content
  {
    h5::File f = h5::File::create(dir / "no_config.h5");
    f.require_group("model_weights");
    f.close();
  }
  msg = error_of<FileFormatError>([&] { load_model(dir / "no_config.h5"); });
  CHECK(contains(msg, "no_config.h5"));
  CHECK(contains(msg, "model_config"));
  {
    h5::File f = h5::File::create(dir / "bad_json.h5");
    f.write_string("model_config", "{\"class_name\": \"Sequential\", ", true);
    f.close();
  }
  msg = error_of<FileFormatError>([&] { load_model(dir / "bad_json.h5"); });
  CHECK(contains(msg, "bad_json.h5"));
  CHECK(contains(msg, "model_config"));
  {
    h5::File f = h5::File::create(dir / "no_weights.h5");
    f.write_string("model_config", json{{"class_name", "Sequential"}, {"config", model->get_config()}}.dump(), true);
    f.close();
  }
  msg = error_of<FileFormatError>([&] { load_model(dir / "no_weights.h5"); });
  CHECK(contains(msg, "model_weights"));
  {
    h5::File f = h5::File::create(dir / "no_layer_names.h5");
    f.write_string("model_config", json{{"class_name", "Sequential"}, {"config", model->get_config()}}.dump(), true);
    f.require_group("model_weights");
    f.close();
  }
  msg = error_of<FileFormatError>([&] { load_model(dir / "no_layer_names.h5"); });
  CHECK(contains(msg, "no_layer_names.h5"));
  CHECK(contains(msg, "layer_names"));
  {
    h5::File f = h5::File::create(dir / "unknown_layer.h5");
    f.write_string("model_config", R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}},
      {"class_name": "Lambda", "config": {"name": "lam"}}]}})", true);
    f.close();
  }
  msg = error_of<UnsupportedError>([&] { load_model(dir / "unknown_layer.h5"); });
  CHECK(contains(msg, "unknown_layer.h5"));
  CHECK(contains(msg, "model_config"));
  CHECK(contains(msg, "Lambda"));

  // a weight of the wrong shape: the file and the dataset path are named
  {
    using namespace layers;
    Sequential small({Input({4}), Dense(3, {.name = "d"})}, "m");
    small.save(dir / "small.h5");
    Sequential wide({Input({4}), Dense(5, {.name = "d"})}, "m");
    msg = error_of<ShapeError>([&] { wide.load_weights(dir / "small.h5"); });
    CHECK(contains(msg, "small.h5"));
    CHECK(contains(msg, "/model_weights/d/m/d/kernel"));
    CHECK(contains(msg, "(4, 5)"));
    CHECK(contains(msg, "(4, 3)"));
    small.save_weights(dir / "small.weights.h5");
    msg = error_of<ShapeError>([&] { wide.load_weights(dir / "small.weights.h5"); });
    CHECK(contains(msg, "small.weights.h5"));
    CHECK(contains(msg, "layers/dense/vars"));
  }
  // a weight dataset that is a group or holds strings
  {
    h5::File f = h5::File::create(dir / "odd.h5");
    f.write_string_list("layer_names", {"d"});
    h5::Group g = f.require_group("d");
    g.write_string_list("weight_names", {"d/kernel", "d/bias"});
    g.require_group("d/kernel");
    f.close();
  }
  using namespace layers;
  Sequential target({Input({4}), Dense(3, {.name = "d"})}, "m");
  msg = error_of<FileFormatError>([&] { target.load_weights(dir / "odd.h5"); });
  CHECK(contains(msg, "odd.h5"));
  CHECK(contains(msg, "d/kernel"));
  CHECK_THROWS_AS(model->save(dir / "model.txt"), ValueError);
  CHECK_THROWS_AS(load_model(dir / "absent.keras"), FileFormatError);
}

TEST_CASE("the same model saves to the same bytes: .h5 always, .keras under SOURCE_DATE_EPOCH") {
  TempDir dir;
  auto model = make_cnn();
  model->save(dir / "first.h5");
  model->save(dir / "first.keras");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // zip times have 2 s resolution, HDF5's 1 s
  model->save(dir / "second.h5");
  CHECK(read_bytes(dir / "first.h5") == read_bytes(dir / "second.h5"));  // no object times, as h5py writes

  // a .keras archive records when it was saved (members' times, metadata.json's date_saved), as Keras does
  model->save(dir / "second.keras");
  CHECK(read_bytes(dir / "first.keras") != read_bytes(dir / "second.keras"));
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  model->save(dir / "epoch1.keras");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  model->save(dir / "epoch2.keras");
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(read_bytes(dir / "epoch1.keras") == read_bytes(dir / "epoch2.keras"));
  std::tm local{};
  const std::time_t epoch = 1700000000;
  localtime_r(&epoch, &local);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%d@%H:%M:%S", &local);
  CHECK(json::parse(zip::Reader(dir / "epoch1.keras").read("metadata.json")).at("date_saved") ==
        std::string(expected));
}

TEST_CASE("a dataset declaring more data than its file holds is refused before anything is allocated") {
  TempDir dir;
  // a 4 GiB contiguous dataset that was never written (HDF5 allocates contiguous storage late): a tiny file
  auto write_dataset = [&](const fs::path& path, std::vector<hsize_t> dims, bool deflate, const float* data) {
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (deflate) {
      H5Pset_chunk(dcpl, static_cast<int>(dims.size()), dims.data());
      H5Pset_deflate(dcpl, 9);
    }
    hid_t ds = H5Dcreate2(f, "w", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (data) H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(f);
  };
  write_dataset(dir / "huge.h5", {hsize_t{1} << 30}, false, nullptr);
  CHECK(fs::file_size(dir / "huge.h5") < 4096);
  std::string msg = error_of<FileFormatError>([&] { h5::File::open_read(dir / "huge.h5").read_tensor("w"); });
  CHECK(contains(msg, "huge.h5"));
  CHECK(contains(msg, "/w"));
  CHECK(contains(msg, "declares 4294967296 bytes"));

  // deflate legitimately stores 4 MB of zeros in a few KB: that still reads, every value
  std::vector<float> zeros(std::size_t{1} << 20, 0.0f);
  zeros.back() = 3.5f;
  write_dataset(dir / "compressed.h5", {zeros.size()}, true, zeros.data());
  CHECK(fs::file_size(dir / "compressed.h5") * 100 < zeros.size() * sizeof(float));
  Tensor t = h5::File::open_read(dir / "compressed.h5").read_tensor("w");
  REQUIRE(t.size() == static_cast<std::int64_t>(zeros.size()));
  CHECK(t.item(0) == 0.0f);
  CHECK(t.item(t.size() - 1) == 3.5f);
}

TEST_CASE("inputs that once crashed or leaked in a reader (tests/fuzz/corpus) now raise typed errors") {
  using namespace layers;
  // an attribute message whose dataspace size runs past the message: HDF5 1.10 read far past it (a wild read)
  const std::string corpus = std::string(STRATA_SOURCE_DIR) + "/tests/fuzz/corpus/";
  const std::string wild = corpus + "h5/attribute_dataspace_size_past_message_wild_read.h5";
  std::string msg = error_of<FileFormatError>([&] { load_model(wild); });
  CHECK(contains(msg, "attribute_dataspace_size_past_message_wild_read.h5"));
  CHECK(contains(msg, "corrupt attribute message"));
  // a group whose dense link storage names a v2 B-tree index where there is none: HDF5 1.10 read a null pointer
  msg = error_of<FileFormatError>([&] { load_model(corpus + "h5/dense_link_storage_corrupt_btree_null_read.h5"); });
  CHECK(contains(msg, "dense_link_storage_corrupt_btree_null_read.h5"));
  CHECK(contains(msg, "corrupt dense storage"));
  // a compact group's link message with an unknown character set: HDF5 1.10 freed uninitialized link entries
  const std::string link = corpus + "h5/link_message_bad_charset_frees_garbage.h5";
  msg = error_of<FileFormatError>([&] { Sequential({Input({4}), Dense(3, {.name = "d"})}, "m").load_weights(link); });
  CHECK(contains(msg, "link_message_bad_charset_frees_garbage.h5"));
  CHECK(contains(msg, "corrupt link message in the object header (unknown character set)"));
  // a string list whose later descriptor is corrupt: the strings already converted were leaked
  const std::string leak = corpus + "h5/vlen_string_list_bad_descriptor_leak.h5";
  Sequential target({Input({4}), Dense(3, {.name = "d"})}, "m");
  CHECK_THROWS_AS(target.load_weights(leak), Error);
  // a float far outside the integer range where an integer is expected (converting it was undefined)
  msg = error_of<FileFormatError>([&] { model_from_json(read_bytes(corpus + "json/float_units_out_of_range.json")); });
  CHECK(contains(msg, "units"));
  // a number beyond double's range: nlohmann's out_of_range escaped untyped
  msg = error_of<FileFormatError>([&] { model_from_json(read_bytes(corpus + "json/number_beyond_double.json")); });
  CHECK(contains(msg, "invalid JSON"));
  // a layer too large for memory is a typed error, not an abort
  CHECK_THROWS_AS(model_from_json(read_bytes(corpus + "json/units_beyond_memory.json")), Error);
}
