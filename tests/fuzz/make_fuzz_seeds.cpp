// Writes the seed corpora for the reader fuzz targets: small models saved by strata in every format.
// Usage: make_fuzz_seeds DIR  (writes DIR/h5, DIR/keras, DIR/json)
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <strata/strata.hpp>

using namespace strata;
using namespace strata::layers;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  for (const char* sub : {"h5", "keras", "json"}) fs::create_directories(dir / sub);

  // the smallest useful models: a Dense chain, a tiny CNN with every reader path (BatchNormalization's
  // non-trainable weights, compile state with an optimizer), and a functional graph with a shared layer
  Sequential dense({Input({4}), Dense(3, {.activation = "relu", .name = "d1"}), Dense(2, {.name = "d2"})}, "dense");
  auto cnn = std::make_shared<Sequential>(
      Sequential({Input({4, 4, 1}), Conv2D(2, 2, {.activation = "relu"}), BatchNormalization(), MaxPooling2D(2),
                  Flatten(), Dense(2, {.activation = "softmax"})},
                 "cnn"));
  cnn->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}), .loss = "sparse_categorical_crossentropy",
                .metrics = {"accuracy"}});
  cnn->build_optimizer();
  auto a = Input({3}, {.name = "a"});
  auto b = Input({3}, {.name = "b"});
  auto shared = share(Dense(2, {.name = "shared"}));
  Model graph({a, b}, {(*shared)(a), Activation("tanh", {.name = "t"})((*shared)(b))}, "graph");

  dense.save((dir / "h5" / "dense.h5").string());
  cnn->save((dir / "h5" / "cnn.h5").string());
  graph.save((dir / "h5" / "graph.h5").string());
  dense.save_weights((dir / "h5" / "dense_legacy_weights.h5").string());
  dense.save_weights((dir / "h5" / "dense.weights.h5").string());

  dense.save((dir / "keras" / "dense.keras").string());
  cnn->save((dir / "keras" / "cnn.keras").string());
  graph.save((dir / "keras" / "graph.keras").string());

  std::ofstream((dir / "json" / "dense.json").string()) << dense.to_json();
  std::ofstream((dir / "json" / "cnn.json").string()) << cnn->to_json();
  std::ofstream((dir / "json" / "graph.json").string()) << graph.to_json();
  std::printf("seeds written to %s\n", dir.c_str());
  return 0;
}
