// Train a small model, save it as a Keras .h5 file and a .keras archive, load each back, and check the
// predictions match; then resume training from the file. Both open in Python with keras.models.load_model.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <strata/strata.hpp>

using namespace strata;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "strata_example.h5").string();

  // a noisy 2-D classification problem: is the point inside the unit circle?
  set_random_seed(42);
  const std::int64_t n = 512;
  Tensor x({n, 2}), y({n}, DType::int32);
  for (std::int64_t i = 0; i < n; ++i) {
    float a = std::sin(0.37f * static_cast<float>(i)) * 1.6f, b = std::cos(0.91f * static_cast<float>(i)) * 1.6f;
    x.at({i, 0}) = a;
    x.at({i, 1}) = b;
    y.at<std::int32_t>({i}) = a * a + b * b < 1.0f ? 1 : 0;
  }

  Sequential model({Input({2}), layers::Dense(16, {.activation = "relu"}), layers::BatchNormalization(),
                    layers::Dense(2, {.activation = "softmax"})},
                   "circle");
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  model.fit(x, y, {.batch_size = 32, .epochs = 20, .verbose = 0});

  model.save(path);  // config, weights, compile arguments and optimizer state
  const std::string archive = path.substr(0, path.rfind('.')) + ".keras";
  model.save(archive);  // the same in Keras 3's native format
  auto loaded = load_model(path);

  Tensor expected = model.predict(x);
  float max_diff = 0;
  for (const auto& file : {path, archive}) {
    Tensor actual = load_model(file)->predict(x);
    for (std::int64_t i = 0; i < expected.size(); ++i)
      max_diff = std::max(max_diff, std::abs(expected.values<float>()[i] - actual.values<float>()[i]));
  }
  std::cout << "saved " << path << " and " << archive << "; reloaded '" << loaded->name() << "' ("
            << loaded->layers().size() << " layers), max prediction difference " << max_diff << "\n";

  // the optimizer came back with its state: training resumes where it stopped
  std::cout << "optimizer " << loaded->optimizer()->class_name() << " at iteration "
            << loaded->optimizer()->iterations() << "\n";
  auto logs = loaded->evaluate(x, y, {.verbose = 0});
  loaded->fit(x, y, {.batch_size = 32, .epochs = 5, .verbose = 0});
  auto after = loaded->evaluate(x, y, {.verbose = 0});
  std::cout << "accuracy " << logs.at("accuracy") << " -> " << after.at("accuracy") << " after 5 more epochs\n";
  std::remove(path.c_str());
  std::remove(archive.c_str());

  bool ok = max_diff == 0.0f && loaded->optimizer()->iterations() == 20 * (n / 32) + 5 * (n / 32);
  std::cout << (ok ? "Predictions identical after reload" : "MISMATCH") << "\n";
  return ok ? 0 : 1;
}
