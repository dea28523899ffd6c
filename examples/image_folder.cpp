// Train a CNN on a folder of images with augmentation, the way a real project starts: one subfolder per class,
// read by image_dataset_from_directory, augmented by preprocessing layers that act only in training.
// The folder is written first from Fashion-MNIST's test images (PNG files), so the example runs anywhere.
// Usage: image_folder [images_per_class] [epochs] [folder]
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>

#include <strata/strata.hpp>

using namespace strata;
namespace fs = std::filesystem;

// fashion_mnist/<class>/<index>.png, as a user's photo folders would be laid out
void write_image_folder(const fs::path& folder, std::int64_t per_class) {
  auto [train, test] = datasets::fashion_mnist::load_data();
  std::vector<std::int64_t> written(10, 0);
  for (std::int64_t i = 0; i < test.x.shape()[0]; ++i) {
    int label = test.y.at<std::uint8_t>({i});
    if (written[label] == per_class) continue;
    std::string name(datasets::fashion_mnist::class_names()[label]);
    std::replace(name.begin(), name.end(), '/', '_');  // "T-shirt/top" is not a folder name
    fs::create_directories(folder / name);
    Tensor image = test.x.slice(i, i + 1).reshape({28, 28, 1});
    datasets::write_png(folder / name / (std::to_string(i) + ".png"), image);
    ++written[label];
  }
}

int main(int argc, char** argv) {
  const std::int64_t per_class = argc > 1 ? std::stoll(argv[1]) : 500;
  const int epochs = argc > 2 ? std::stoi(argv[2]) : 8;
  const fs::path folder = argc > 3 ? fs::path(argv[3]) : fs::temp_directory_path() / "strata_image_folder";
  fs::remove_all(folder);
  write_image_folder(folder, per_class);

  auto [train, validation] = datasets::image_dataset_from_directory_both(
      folder.string(), {.color_mode = "grayscale", .batch_size = 32, .image_size = {28, 28}, .seed = 1337,
                        .validation_split = 0.2, .subset = "both"});

  set_random_seed(42);
  Sequential model({
      Input({28, 28, 1}),
      layers::RandomFlip("horizontal", {.seed = 1}),  // augmentation: active in fit only
      layers::RandomTranslation(0.1, 0.1, {.seed = 2}),
      layers::Rescaling(1.0 / 255),
      layers::Conv2D(32, 3, {.activation = "relu"}),
      layers::MaxPooling2D(2),
      layers::Conv2D(64, 3, {.activation = "relu"}),
      layers::MaxPooling2D(2),
      layers::Flatten(),
      layers::Dense(10, {.activation = "softmax"}),
  });
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  model.fit(train.prefetch(2), {.epochs = epochs, .verbose = 2, .validation_data = validation.prefetch(2)});

  auto logs = model.evaluate(validation, {.verbose = 0});
  std::cout << "classes: " << train.class_names.size() << ", validation accuracy " << logs.at("accuracy") << "\n";
  fs::remove_all(folder);
  return logs.at("accuracy") > 0.75 ? 0 : 1;  // a chance-level model would score 0.1
}
