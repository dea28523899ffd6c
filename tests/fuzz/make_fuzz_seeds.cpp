// Writes the seed corpora for the reader fuzz targets: small models saved by strata in every format.
// Usage: make_fuzz_seeds DIR  (writes DIR/h5, DIR/keras, DIR/json, DIR/npy, DIR/idx, DIR/image)
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <strata/datasets/idx.hpp>
#include <strata/datasets/image_io.hpp>
#include <strata/datasets/npy.hpp>
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
  // the dataset readers: small arrays of every dtype strata writes, in each container
  for (const char* sub : {"npy", "idx", "image"}) fs::create_directories(dir / sub);
  Tensor f({2, 3}, std::vector<float>{1.5f, -2, 3, 0, 0.25f, 8});
  Tensor i({4}, std::vector<std::int32_t>{-7, 0, 7, 9});
  Tensor l({1, 2}, std::vector<std::int64_t>{-5, 5});
  Tensor u({2, 2, 3}, DType::uint8);
  for (int k = 0; k < 12; ++k) u.data<std::uint8_t>()[k] = static_cast<std::uint8_t>(k * 20);
  datasets::write_npy((dir / "npy" / "f4.npy").string(), f);
  datasets::write_npy((dir / "npy" / "i4.npy").string(), i);
  datasets::write_npy((dir / "npy" / "i8.npy").string(), l);
  datasets::write_npy((dir / "npy" / "u1.npy").string(), u);
  datasets::write_npz((dir / "npy" / "stored.npz").string(), {{"f", f}, {"u", u}});
  datasets::write_npz((dir / "npy" / "deflated.npz").string(), {{"i", i}, {"l", l}}, true);
  datasets::write_idx((dir / "idx" / "u1.idx").string(), u);
  datasets::write_idx((dir / "idx" / "f4.idx").string(), f);
  datasets::write_idx((dir / "idx" / "i4.idx.gz").string(), i);
  Tensor rgba({3, 5, 4}, DType::uint8);
  for (int k = 0; k < 60; ++k) rgba.data<std::uint8_t>()[k] = static_cast<std::uint8_t>(k * 4);
  Tensor rgb({8, 8, 3}, DType::uint8);
  for (int k = 0; k < 192; ++k) rgb.data<std::uint8_t>()[k] = static_cast<std::uint8_t>(k);
  datasets::write_png(dir / "image" / "rgba.png", rgba);
  datasets::write_png(dir / "image" / "gray.png", u.reshape({2, 6, 1}));
  datasets::write_jpeg(dir / "image" / "rgb.jpg", rgb, 80);
  datasets::write_jpeg(dir / "image" / "gray.jpg", u.reshape({4, 3, 1}), 90);
  std::printf("seeds written to %s\n", dir.c_str());
  return 0;
}
