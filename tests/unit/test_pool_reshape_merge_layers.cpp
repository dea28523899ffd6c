// Pooling, reshaping and merging layers against real Keras 3 (tests/reference/pool_reshape_merge_reference.json,
// written by make_pool_reshape_merge_reference.py): outputs in both data formats, configs both ways, the C++
// constructors, output shapes and the errors bad arguments raise.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/api/model.hpp>
#include <strata/backends/backend.hpp>
#include <strata/api/saving/registry.hpp>
#include <strata/layers/layers.hpp>

#include "keras_reference.hpp"

using namespace strata;
using namespace strata::testing;
using nlohmann::json;

namespace {

const json& reference() {
  static const json ref = [] {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/reference/pool_reshape_merge_reference.json");
    REQUIRE_MESSAGE(in.good(), "tests/reference/pool_reshape_merge_reference.json is missing");
    return json::parse(in);
  }();
  return ref;
}

std::shared_ptr<Layer> from_keras(const json& c) {
  return deserialize_layer({{"class_name", c.at("class_name")}, {"config", c.at("config")}});
}

std::vector<Tensor> inputs_of(const json& c) {
  std::vector<Tensor> xs;
  for (const auto& j : c.at("inputs")) xs.push_back(Tensor(shape_of(j), j.at("data").get<std::vector<float>>()));
  return xs;
}

Shape unbatched(Shape s) {
  s[0] = -1;
  return s;
}

std::string message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

using Factory = std::function<std::shared_ptr<Layer>()>;

/// The same layers as make_pool_reshape_merge_reference.py, through the C++ constructors.
const std::map<std::string, Factory>& cpp_factories() {
  using namespace layers;
  static const std::map<std::string, Factory> f = {
      {"max_pool1d", [] { return std::make_shared<MaxPooling1D>(); }},
      {"max_pool1d_3_s1_same_cf",
       [] { return std::make_shared<MaxPooling1D>(3, Pooling1DOptions{.strides = 1, .padding = "same", .data_format = "channels_first"}); }},
      {"avg_pool1d_3_s2_same",
       [] { return std::make_shared<AveragePooling1D>(3, Pooling1DOptions{.strides = 2, .padding = "same"}); }},
      {"max_pool2d_3_s2_same_cf",
       [] { return std::make_shared<MaxPooling2D>(3, Pooling2DOptions{.strides = 2, .padding = "same", .data_format = "channels_first"}); }},
      {"avg_pool2d_2x3_same_cf",
       [] { return std::make_shared<AveragePooling2D>(SpatialSize{2, 3}, Pooling2DOptions{.padding = "same", .data_format = "channels_first"}); }},
      {"max_pool3d", [] { return std::make_shared<MaxPooling3D>(); }},
      {"max_pool3d_same_cf",
       [] {
         return std::make_shared<MaxPooling3D>(SpatialSize{2, 3, 2}, Pooling3DOptions{.strides = {1, 2, 2}, .padding = "same", .data_format = "channels_first"});
       }},
      {"avg_pool3d_same", [] { return std::make_shared<AveragePooling3D>(2, Pooling3DOptions{.padding = "same"}); }},
      {"global_max_pool1d", [] { return std::make_shared<GlobalMaxPooling1D>(); }},
      {"global_max_pool1d_cf_keepdims",
       [] { return std::make_shared<GlobalMaxPooling1D>(GlobalPooling1DOptions{.data_format = "channels_first", .keepdims = true}); }},
      {"global_avg_pool1d_cf",
       [] { return std::make_shared<GlobalAveragePooling1D>(GlobalPooling1DOptions{.data_format = "channels_first"}); }},
      {"global_max_pool2d", [] { return std::make_shared<GlobalMaxPooling2D>(); }},
      {"global_avg_pool2d_cf_keepdims",
       [] { return std::make_shared<GlobalAveragePooling2D>(GlobalPooling2DOptions{.data_format = "channels_first", .keepdims = true}); }},
      {"global_max_pool3d_keepdims",
       [] { return std::make_shared<GlobalMaxPooling3D>(GlobalPooling3DOptions{.keepdims = true}); }},
      {"global_avg_pool3d", [] { return std::make_shared<GlobalAveragePooling3D>(); }},
      {"permute_312", [] { return std::make_shared<Permute>(std::vector<int>{3, 1, 2}); }},
      {"repeat_vector", [] { return std::make_shared<RepeatVector>(3); }},
      {"cropping1d", [] { return std::make_shared<Cropping1D>(PaddingSpec{1, 2}); }},
      {"cropping2d", [] { return std::make_shared<Cropping2D>(PaddingSpec{{1, 2}, {0, 1}}); }},
      {"cropping2d_cf",
       [] { return std::make_shared<Cropping2D>(PaddingSpec{{1, 2}, {0, 1}}, Cropping2DOptions{.data_format = "channels_first"}); }},
      {"cropping2d_symmetric", [] { return std::make_shared<Cropping2D>(PaddingSpec{1, 2}); }},
      {"cropping3d", [] { return std::make_shared<Cropping3D>(PaddingSpec{{1, 0}, {0, 1}, {1, 1}}); }},
      {"up_sampling1d", [] { return std::make_shared<UpSampling1D>(3); }},
      {"up_sampling2d_nearest_cf",
       [] { return std::make_shared<UpSampling2D>(SpatialSize{2, 3}, UpSampling2DOptions{.data_format = "channels_first"}); }},
      {"up_sampling2d_bilinear",
       [] { return std::make_shared<UpSampling2D>(2, UpSampling2DOptions{.interpolation = "bilinear"}); }},
      {"up_sampling2d_bilinear_cf",
       [] { return std::make_shared<UpSampling2D>(2, UpSampling2DOptions{.data_format = "channels_first", .interpolation = "bilinear"}); }},
      {"up_sampling3d", [] { return std::make_shared<UpSampling3D>(SpatialSize{2, 1, 2}); }},
      {"zero_padding1d", [] { return std::make_shared<ZeroPadding1D>(PaddingSpec{1, 2}); }},
      {"zero_padding1d_cf",
       [] { return std::make_shared<ZeroPadding1D>(2, ZeroPadding1DOptions{.data_format = "channels_first"}); }},
      {"zero_padding2d", [] { return std::make_shared<ZeroPadding2D>(PaddingSpec{{1, 2}, {0, 1}}); }},
      {"zero_padding3d_cf",
       [] { return std::make_shared<ZeroPadding3D>(1, ZeroPadding3DOptions{.data_format = "channels_first"}); }},
      {"add3", [] { return std::make_shared<Add>(); }},
      {"add_lower_rank", [] { return std::make_shared<Add>(); }},
      {"subtract", [] { return std::make_shared<Subtract>(); }},
      {"multiply", [] { return std::make_shared<Multiply>(); }},
      {"average3", [] { return std::make_shared<Average>(); }},
      {"maximum", [] { return std::make_shared<Maximum>(); }},
      {"minimum3", [] { return std::make_shared<Minimum>(); }},
      {"concatenate_last", [] { return std::make_shared<Concatenate>(); }},
      {"concatenate_axis1", [] { return std::make_shared<Concatenate>(1); }},
      {"concatenate_axis_minus2", [] { return std::make_shared<Concatenate>(-2); }},
      {"dot_axes1", [] { return std::make_shared<Dot>(1); }},
      {"dot_axes_1_2", [] { return std::make_shared<Dot>(std::array<int, 2>{1, 2}); }},
      {"dot_axes_minus1_normalize", [] { return std::make_shared<Dot>(-1, DotOptions{.normalize = true}); }},
      {"dot_rank2_rank3", [] { return std::make_shared<Dot>(std::array<int, 2>{1, 2}); }},
  };
  return f;
}

/// Runs the layer eagerly on the case's inputs and compares with Keras's output.
void check_case(Layer& layer, const json& c, const std::string& what) {
  auto xs = inputs_of(c);
  std::vector<Shape> shapes;
  for (const auto& x : xs) shapes.push_back(unbatched(x.shape()));
  layer.ensure_built(shapes);
  Tensor y = xs.size() == 1 ? layer(xs[0]) : layer(xs).at(0);
  check_close(y, c.at("output"), 1e-5, 1e-6, what);
  // the output shape Keras gives for an unknown batch size
  Shape expected = shape_of(c.at("output"));
  expected[0] = -1;
  CHECK_MESSAGE(layer.compute_output_shape(shapes).at(0) == expected, what << " compute_output_shape");
}

}  // namespace

TEST_CASE("pool/reshape/merge reference comes from Keras 3") {
  CHECK(reference().at("keras_version").get<std::string>().rfind("3.", 0) == 0);
  CHECK(reference().at("backend") == "jax");
}

TEST_CASE("pooling, reshaping and merging layers built from Keras's configs match Keras 3 outputs") {
  for (const auto& c : reference().at("layers")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto layer = from_keras(c);
      CHECK(layer->class_name() == c.at("class_name"));
      check_case(*layer, c, name);
      // get_config writes back Keras's keys and values (tuples as lists)
      json mine = layer->get_config();
      for (const char* base : {"name", "trainable", "dtype"}) mine.erase(base);
      CHECK_MESSAGE(mine == c.at("config"), name << ": strata " << mine.dump() << " vs keras " << c.at("config").dump());
    }
  }
}

TEST_CASE("pooling, reshaping and merging layers built with the C++ constructors match Keras 3") {
  for (const auto& [name, make] : cpp_factories()) {
    SUBCASE(name.c_str()) {
      const json& c = find_case(reference().at("layers"), name);
      auto layer = make();
      check_case(*layer, c, name);
      json mine = layer->get_config();
      for (const char* base : {"name", "trainable", "dtype"}) mine.erase(base);
      CHECK_MESSAGE(mine == c.at("config"), name << ": strata " << mine.dump() << " vs keras " << c.at("config").dump());
      // and the config round trip gives the same layer again
      auto again = deserialize_layer(serialize_layer(*layer));
      json back = again->get_config();
      CHECK(back.at("name") == layer->get_config().at("name"));
      for (const char* base : {"name", "trainable", "dtype"}) back.erase(base);
      CHECK(back == mine);
    }
  }
}

TEST_CASE("merge layers inside a functional model: Concatenate, Add and Dot over shared inputs") {
  const json& cat = find_case(reference().at("layers"), "concatenate_last");
  auto xs = inputs_of(cat);
  SymbolicTensor a = Input({3, 4}), b = Input({3, 2});
  auto joined = layers::Concatenate()(std::vector<SymbolicTensor>{a, b});
  Model model(std::vector<SymbolicTensor>{a, b}, joined);
  auto y = model.predict(xs);
  check_close(y.at(0), cat.at("output"), 1e-6, 1e-7, "concatenate in a model");
}

TEST_CASE("bad pooling, reshaping and merging arguments raise errors naming the layer and the values") {
  using namespace layers;
  // negative or zero sizes
  CHECK_THROWS_AS(MaxPooling1D(0), ValueError);
  CHECK(message([] { MaxPooling3D(SpatialSize{2, -1, 2}, {.name = "mp3"}); }).find("mp3") != std::string::npos);
  CHECK(message([] { AveragePooling1D(2, {.strides = -2}); }).find("strides") != std::string::npos);
  std::string crop = message([] { Cropping2D(-1, {.name = "crop_neg"}); });
  CHECK(crop.find("crop_neg") != std::string::npos);
  CHECK(crop.find("cropping=-1") != std::string::npos);
  CHECK_THROWS_AS(Cropping1D(PaddingSpec{1, 2, 3}), ValueError);
  CHECK_THROWS_AS(Cropping3D(PaddingSpec{{1, 1}, {1, 1}}), ValueError);
  CHECK(message([] { ZeroPadding2D(PaddingSpec{{1, -2}, {0, 0}}); }).find("((1, -2), (0, 0))") != std::string::npos);
  CHECK_THROWS_AS(ZeroPadding3D(-1), ValueError);
  CHECK(message([] { UpSampling2D(0, {.name = "up0"}); }).find("up0") != std::string::npos);
  CHECK_THROWS_AS(UpSampling3D(SpatialSize{2, 2}), ValueError);
  CHECK_THROWS_AS(UpSampling2D(2, {.interpolation = "cubic"}), ValueError);
  CHECK_THROWS_AS(UpSampling2D(2, {.interpolation = "bicubic"}), UnsupportedError);
  CHECK_THROWS_AS(RepeatVector(0), ValueError);
  std::string perm = message([] { Permute({1, 3}, {.name = "perm"}); });
  CHECK(perm.find("perm") != std::string::npos);
  CHECK(perm.find("dims=(1, 3)") != std::string::npos);

  // unknown data_format
  std::string df = message([] { MaxPooling2D(2, {.data_format = "channels_middle", .name = "mp_df"}); });
  CHECK(df.find("mp_df") != std::string::npos);
  CHECK(df.find("channels_middle") != std::string::npos);
  CHECK_THROWS_AS(GlobalMaxPooling3D({.data_format = "nchw"}), ValueError);
  CHECK_THROWS_AS(ZeroPadding1D(1, {.data_format = "x"}), ValueError);
  CHECK_THROWS_AS(Cropping3D(1, {.data_format = "x"}), ValueError);
  CHECK_THROWS_AS(UpSampling2D(2, {.data_format = "x"}), ValueError);

  // kernel larger than the input with valid padding, crops that leave nothing, wrong ranks
  MaxPooling1D big(5, {.name = "too_big"});
  std::string tb = message([&] { big.ensure_built({{-1, 4, 3}}); });
  CHECK(tb.find("too_big") != std::string::npos);
  CHECK(tb.find("(5,)") != std::string::npos);
  CHECK_THROWS_AS(AveragePooling3D(3).ensure_built({{-1, 4, 2, 4, 1}}), ShapeError);
  CHECK_THROWS_AS(AveragePooling2D(3, {.data_format = "channels_first"}).ensure_built({{-1, 2, 2, 8}}), ShapeError);
  CHECK_NOTHROW(AveragePooling2D(3, {.padding = "same"}).ensure_built({{-1, 2, 2, 8}}));
  std::string cropped = message([] { Cropping2D(PaddingSpec{{2, 2}, {1, 1}}).ensure_built({{-1, 3, 4, 1}}); });
  CHECK(cropped.find("cropping=((2, 2), (1, 1))") != std::string::npos);
  CHECK_THROWS_AS(Cropping1D(PaddingSpec{2, 2}).ensure_built({{-1, 4, 1}}), ShapeError);
  CHECK_THROWS_AS(RepeatVector(3).ensure_built({{-1, 2, 2}}), ShapeError);
  CHECK_THROWS_AS(MaxPooling3D().ensure_built({{-1, 4, 4, 1}}), ShapeError);
  CHECK_THROWS_AS(Permute({2, 1}).ensure_built({{-1, 2, 2, 2}}), ShapeError);

  // incompatible merge shapes
  std::string add = message([] { Add({.name = "adder"}).ensure_built({{-1, 3}, {-1, 4}}); });
  CHECK(add.find("adder") != std::string::npos);
  CHECK(add.find("(3,) and (4,)") != std::string::npos);
  CHECK_THROWS_AS(Multiply().ensure_built({{2, 3}, {3, 3}}), ValueError);
  CHECK(message([] { Subtract().ensure_built({{-1, 3}, {-1, 3}, {-1, 3}}); }).find("exactly 2 inputs") != std::string::npos);
  std::string cat = message([] { Concatenate(-1, {.name = "cat"}).ensure_built({{-1, 3, 1}, {-1, 4, 2}}); });
  CHECK(cat.find("cat") != std::string::npos);
  CHECK(cat.find("[(None, 3, 1), (None, 4, 2)]") != std::string::npos);
  CHECK_THROWS_AS(Concatenate(3).ensure_built({{-1, 3}, {-1, 3}}), ValueError);
  std::string dot = message([] { Dot(1).ensure_built({{-1, 3}, {-1, 4}}); });
  CHECK(dot.find("axis values 3 (at axis 1) != 4 (at axis 1)") != std::string::npos);
  CHECK_THROWS_AS(Dot(0).ensure_built({{-1, 3}, {-1, 3}}), ValueError);
  CHECK_THROWS_AS(Dot(1).ensure_built({{-1, 3}}), ValueError);
}

TEST_CASE("every pooling, reshaping and merging layer's gradient matches central finite differences") {
  for (const auto& c : reference().at("layers")) {
    const std::string name = c.at("name");
    SUBCASE(name.c_str()) {
      auto layer = from_keras(c);
      // distinct inputs, 0.02 apart, so max pooling and Maximum never see a tie within the step h
      std::vector<Tensor> xs = inputs_of(c);
      for (std::size_t i = 0; i < xs.size(); ++i) {
        auto v = xs[i].values();
        for (std::size_t k = 0; k < v.size(); ++k)
          v[k] = -1.0f + 0.02f * static_cast<float>((k * 7919 + i * 13 + 1) % v.size()) + 0.005f * static_cast<float>(i);
      }
      Graph g;
      std::vector<Value> in;
      std::vector<Shape> shapes;
      for (const auto& x : xs) {
        in.push_back(g.add_input(x.shape(), DType::float32, "in"));
        shapes.push_back(unbatched(x.shape()));
      }
      layer->ensure_built(shapes);
      CallContext ctx{g, true};
      Value y = layer->call(in, ctx).at(0);
      Tensor w(y.shape());
      auto wv = w.values();
      for (std::size_t k = 0; k < wv.size(); ++k) wv[k] = std::sin(0.7f * static_cast<float>(k) + 0.3f);
      Value loss = ops::sum(y * g.add_constant(w));
      std::vector<Value> grads = gradients(loss, in);
      std::vector<ValueId> in_ids, out_ids{loss.id()};
      for (auto& v : in) in_ids.push_back(v.id());
      for (auto& d : grads) {
        REQUIRE(d.valid());
        out_ids.push_back(d.id());
      }
      Program program(std::move(g), in_ids, out_ids, backend());
      auto exec = program.make_execution();
      auto run_loss = [&] {
        for (std::size_t i = 0; i < xs.size(); ++i) std::memcpy(exec->input(i), xs[i].raw(), xs[i].nbytes());
        exec->run();
        return static_cast<double>(*static_cast<float*>(exec->output(0)));
      };
      run_loss();
      std::vector<Tensor> analytic;
      for (std::size_t i = 0; i < xs.size(); ++i)
        analytic.push_back(Tensor::from_data(xs[i].shape(), DType::float32, exec->output(1 + i)));
      const float h = 2e-3f;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        auto values = xs[i].values();
        const std::size_t n = values.size(), step = std::max<std::size_t>(1, n / 30);
        for (std::size_t k = 0; k < n; k += step) {
          const float saved = values[k];
          values[k] = saved + h;
          const double up = run_loss();
          values[k] = saved - h;
          const double down = run_loss();
          values[k] = saved;
          const double numeric = (up - down) / (2 * h);
          CAPTURE(i);
          CAPTURE(k);
          CHECK(analytic[i].values()[k] == doctest::Approx(numeric).epsilon(2e-2).scale(std::max(1.0, std::fabs(numeric))));
        }
      }
    }
  }
}
