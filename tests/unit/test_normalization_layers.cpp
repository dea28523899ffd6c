// BatchNormalization on any axis, LayerNormalization, GroupNormalization, UnitNormalization against real Keras 3
// (keras_reference.json "issue4_layers"), their gradients against finite differences, and their errors.
#include <doctest/doctest.h>

#include "issue4_reference.hpp"
#include "layer_gradient_check.hpp"

using namespace strata;
using namespace strata::testing;
using namespace strata::layers;

namespace {

template <class L, class... A>
LayerFactory4 make(A... args) {
  return [=] { return std::make_shared<L>(args...); };
}

const std::map<std::string, LayerFactory4>& factories() {
  using BN = BatchNormalizationOptions;
  using LN = LayerNormalizationOptions;
  using GN = GroupNormalizationOptions;
  static const std::map<std::string, LayerFactory4> f = {
      {"bn_axis1_inference", make<BatchNormalization>(BN{.axis = 1})},
      {"bn_axis1_training", make<BatchNormalization>(BN{.axis = 1, .momentum = 0.8})},
      {"bn_axis_minus2_training", make<BatchNormalization>(BN{.axis = -2, .epsilon = 0.01})},
      {"bn_axis1_5d_inference", make<BatchNormalization>(BN{.axis = 1, .center = false})},
      {"layer_norm_2d", make<LayerNormalization>()},
      {"layer_norm_3d_eps", make<LayerNormalization>(LN{.epsilon = 1e-5})},
      {"layer_norm_axes_12", make<LayerNormalization>(LN{.axis = {1, 2}})},
      {"layer_norm_axis1", make<LayerNormalization>(LN{.axis = {1}})},
      {"layer_norm_4d_axes_23", make<LayerNormalization>(LN{.axis = {2, 3}, .center = false})},
      {"layer_norm_no_center_scale", make<LayerNormalization>(LN{.center = false, .scale = false})},
      {"layer_norm_rms_scaling", make<LayerNormalization>(LN{.rms_scaling = true})},
      {"group_norm_2groups", make<GroupNormalization>(2)},
      {"group_norm_instance", make<GroupNormalization>(-1)},
      {"group_norm_channels_first", make<GroupNormalization>(3, GN{.axis = 1, .epsilon = 1e-4})},
      {"group_norm_one_group_no_center", make<GroupNormalization>(1, GN{.center = false})},
      {"unit_norm_default", make<UnitNormalization>()},
      {"unit_norm_axes_12", make<UnitNormalization>(UnitNormalizationOptions{.axis = {1, 2}})},
      {"unit_norm_axis1", make<UnitNormalization>(UnitNormalizationOptions{.axis = {1}})},
  };
  return f;
}

Tensor random_input(const Shape& s, std::uint64_t seed, float scale = 1.0f, float offset = 0.0f) {
  Tensor t(s);
  auto v = t.values();
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = offset + scale * (2.0f * random::uniform(random::stream_key(seed, 1), i) - 1.0f);
  return t;
}

/// Random weights (positive where `positive`), so gradients through gamma and beta are not the trivial ones.
void randomize_weights(Layer& layer, std::uint64_t seed) {
  std::vector<Tensor> w;
  for (Variable* v : layer.weights()) {
    bool positive = v->name() == "moving_variance";
    Tensor t = random_input(v->shape(), seed++, 0.5f, positive ? 1.0f : 0.0f);
    w.push_back(t);
  }
  layer.set_weights(w);
}

}  // namespace

TEST_CASE("normalization layers match Keras 3 (outputs, moving statistics, configs, from_config)") {
  check_issue4_family("normalization", factories());
}

TEST_CASE("gradient: normalization layers against finite differences") {
  struct Case {
    const char* name;
    std::function<std::shared_ptr<Layer>()> make;
    Shape x;
    bool training;
  };
  using BN = BatchNormalizationOptions;
  using LN = LayerNormalizationOptions;
  std::vector<Case> cases = {
      {"bn axis 1 training", make<BatchNormalization>(BN{.axis = 1}), {4, 3, 5}, true},
      {"bn axis 1 inference", make<BatchNormalization>(BN{.axis = 1}), {2, 3, 2, 2}, false},
      {"bn axis -2 training 4d", make<BatchNormalization>(BN{.axis = -2}), {2, 2, 3, 2}, true},
      {"layer norm last axis (oneDNN)", make<LayerNormalization>(), {3, 2, 6}, false},
      {"layer norm last axis, no center/scale", make<LayerNormalization>(LN{.center = false, .scale = false}), {4, 5},
       false},
      {"layer norm axes 1, 2 (composed)", make<LayerNormalization>(LN{.axis = {1, 2}}), {2, 3, 4}, false},
      {"layer norm rms_scaling", make<LayerNormalization>(LN{.rms_scaling = true}), {3, 5}, false},
      {"group norm", make<GroupNormalization>(2), {2, 3, 4}, false},
      {"group norm channels_first", make<GroupNormalization>(2, GroupNormalizationOptions{.axis = 1}), {2, 4, 3},
       false},
      {"unit norm", make<UnitNormalization>(), {3, 4}, false},
      {"unit norm axes 1, 2", make<UnitNormalization>(UnitNormalizationOptions{.axis = {1, 2}}), {2, 2, 3}, false},
  };
  std::uint64_t seed = 10;
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      auto layer = c.make();
      Shape per_sample = c.x;
      per_sample[0] = -1;
      layer->ensure_built({per_sample});
      randomize_weights(*layer, seed);
      check_layer_gradients(*layer, random_input(c.x, seed + 100, 1.5f, 0.3f), c.training);
    }
    ++seed;
  }
}

TEST_CASE("LayerNormalization: weights shaped like the normalized axes, in Keras's order") {
  LayerNormalization ln({.axis = {2, 1}});
  ln.ensure_built({{-1, 3, 4, 5}});
  REQUIRE(ln.weights().size() == 2);
  CHECK(ln.weights()[0]->name() == "gamma");
  CHECK(ln.weights()[0]->shape() == Shape{3, 4});
  CHECK(ln.weights()[1]->name() == "beta");
  LayerNormalization rms({.rms_scaling = true});
  rms.ensure_built({{-1, 6}});
  REQUIRE(rms.weights().size() == 1);  // rms_scaling has no beta, as in Keras
  GroupNormalization gn(2, {.scale = false});
  gn.ensure_built({{-1, 5, 4}});
  REQUIRE(gn.weights().size() == 1);
  CHECK(gn.weights()[0]->name() == "beta");
  CHECK(gn.weights()[0]->shape() == Shape{4});
  BatchNormalization bn({.axis = 1});
  bn.ensure_built({{-1, 3, 8, 8}});
  CHECK(bn.weights()[0]->shape() == Shape{3});
}

TEST_CASE("normalization layers: bad arguments raise errors naming the layer and the values") {
  {
    LayerNormalization ln({.axis = {3}, .name = "ln_bad_axis"});
    check_throws_naming<ValueError>([&] { ln.ensure_built({{-1, 4}}); }, {"ln_bad_axis", "Axis 3", "(None, 4)"});
  }
  check_throws_naming<ValueError>([] { LayerNormalization({.epsilon = 0, .name = "ln_eps"}); }, {"ln_eps", "epsilon"});
  check_throws_naming<ValueError>([] { GroupNormalization(0, {.name = "gn_zero"}); }, {"gn_zero", "groups=0"});
  {
    GroupNormalization gn(3, {.name = "gn_multiple"});
    check_throws_naming<ValueError>([&] { gn.ensure_built({{-1, 5, 4}}); },
                                    {"gn_multiple", "Number of groups (3)", "channels (4)"});
    GroupNormalization many(8, {.name = "gn_many"});
    check_throws_naming<ValueError>([&] { many.ensure_built({{-1, 4}}); }, {"gn_many", "cannot be more", "(4)"});
  }
  {
    BatchNormalization bn({.axis = 4, .name = "bn_axis4"});
    check_throws_naming<ValueError>([&] { bn.ensure_built({{-1, 3, 4}}); }, {"bn_axis4", "axis 4", "(None, 3, 4)"});
  }
  {
    UnitNormalization un({.axis = {2}, .name = "un_axis2"});
    check_throws_naming<ShapeError>([&] { un(Tensor({2, 3})); }, {"un_axis2", "Axis 2", "(2, 3)"});
  }
  {
    BatchNormalization bn({.axis = 1, .name = "bn_channels"});
    bn.ensure_built({{-1, 3, 4}});
    check_throws_naming<ShapeError>([&] { bn(Tensor({2, 4, 3})); }, {"bn_channels", "(2, 4, 3)"});
  }
}
