#pragma once
// keras.utils.image_dataset_from_directory and text_dataset_from_directory: files indexed, labelled, shuffled and
// split exactly as Keras does, so a seed selects the same training/validation files.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <strata/datasets/dataset.hpp>

namespace strata::datasets {

/// keras.utils.image_dataset_from_directory's arguments, names and defaults (designated-initializer order).
struct ImageDatasetOptions {
  /// "inferred": one class per subdirectory; "none": no labels (then label_mode is ignored).
  std::string labels = "inferred";
  /// Explicit integer labels, one per file in sorted path order (Keras's list form of `labels`); replaces
  /// `labels` when not empty.
  std::vector<std::int32_t> label_list;
  /// "int" (int32 scalar), "categorical" (float32 one-hot), "binary" (float32 (1,), two classes only) or "none".
  std::string label_mode = "int";
  /// The classes to use and their order (a subset of the subdirectories); empty: all, sorted.
  std::vector<std::string> class_names;
  std::string color_mode = "rgb";  // "grayscale", "rgb" or "rgba"
  /// Files per batch; unset: elements are single images.
  std::optional<std::int64_t> batch_size = 32;
  std::array<std::int64_t, 2> image_size{256, 256};
  bool shuffle = true;
  /// Seed of the file shuffle (numpy's RandomState, as Keras) and of the dataset's shuffle; needed with
  /// validation_split. Unset: drawn from strata::set_random_seed's generator.
  std::optional<std::uint32_t> seed;
  float validation_split = 0;
  std::string subset = "";  // "training", "validation", "both" (the *_both functions) or "" (all files)
  bool follow_links = false;
  bool verbose = true;  // prints "Found N files belonging to K classes." and "Using M files for ..."
  std::string interpolation = "bilinear";  // "bilinear" or "nearest" (tf.image.resize, half-pixel centers)
  /// Resize the largest centred crop with the target aspect ratio instead of distorting the image.
  bool crop_to_aspect_ratio = false;
  /// "raise": a corrupt or unreadable image raises FileFormatError naming it when its batch is read; "skip": the
  /// image is left out with a warning (strata's option; Keras always raises).
  std::string on_corrupt = "raise";
};

/// A Dataset with what Keras attaches to it: the class names (index = label) and the files in dataset order
/// before the per-epoch shuffle.
struct DirectoryDataset : Dataset {
  DirectoryDataset(Dataset dataset, std::vector<std::string> class_names, std::vector<std::string> file_paths)
      : Dataset(std::move(dataset)), class_names(std::move(class_names)), file_paths(std::move(file_paths)) {}
  std::vector<std::string> class_names;
  std::vector<std::string> file_paths;
};

/// Images from `directory` (PNG and JPEG; ".png", ".jpg", ".jpeg"), decoded and resized to float32
/// (batch, height, width, channels) in [0, 255], with labels by `label_mode`: elements (images, labels) or
/// (images). ValueError for Keras's bad arguments and for a directory without images.
DirectoryDataset image_dataset_from_directory(const std::string& directory, ImageDatasetOptions options = {});
/// subset "both": the training and validation datasets of one split.
std::pair<DirectoryDataset, DirectoryDataset> image_dataset_from_directory_both(const std::string& directory,
                                                                                ImageDatasetOptions options);

/// keras.utils.text_dataset_from_directory's arguments.
struct TextDatasetOptions {
  /// "inferred": one class per subdirectory; "none": no labels (then label_mode is ignored).
  std::string labels = "inferred";
  /// Explicit integer labels, one per file in sorted path order (Keras's list form of `labels`); replaces
  /// `labels` when not empty.
  std::vector<std::int32_t> label_list;
  /// "int" (int32 scalar), "categorical" (float32 one-hot), "binary" (float32 (1,), two classes only) or "none".
  std::string label_mode = "int";
  /// The classes to use and their order (a subset of the subdirectories); empty: all, sorted.
  std::vector<std::string> class_names;
  /// Texts longer than this many bytes are truncated; unset: whole files.
  std::optional<std::int64_t> max_length;
  bool shuffle = true;
  /// Seed of the file shuffle (numpy's RandomState, as Keras) and of the dataset's shuffle; needed with
  /// validation_split. Unset: drawn from strata::set_random_seed's generator.
  std::optional<std::uint32_t> seed;
  float validation_split = 0;
  std::string subset = "";  // "training", "validation", "both" (the *_both functions) or "" (all files)
  bool follow_links = false;
  bool verbose = true;  // prints "Found N files belonging to K classes." and "Using M files for ..."
};

/// Text files of a directory (".txt"), as Keras's text_dataset_from_directory indexes, labels, shuffles and
/// splits them. strata's tensors hold no strings, so the texts come as std::strings beside the label tensor.
struct TextFiles {
  std::vector<std::string> texts;
  /// Labels by label_mode, one row per text; empty when unlabelled.
  Tensor labels;
  std::vector<std::string> class_names;
  std::vector<std::string> file_paths;
};
TextFiles text_dataset_from_directory(const std::string& directory, TextDatasetOptions options = {});
std::pair<TextFiles, TextFiles> text_dataset_from_directory_both(const std::string& directory,
                                                                 TextDatasetOptions options);

/// tf.image.resize of a uint8 or float32 (height, width, channels) image to float32 (half-pixel centres, no
/// antialiasing), by "bilinear" or "nearest".
Tensor resize_image(const Tensor& image, std::int64_t height, std::int64_t width,
                    const std::string& interpolation = "bilinear");

}  // namespace strata::datasets
