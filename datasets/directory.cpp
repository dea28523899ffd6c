#include <strata/datasets/directory.hpp>
#include <strata/datasets/numpy_random.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include <strata/api/random.hpp>
#include <strata/datasets/image_io.hpp>

namespace strata::datasets {

namespace fs = std::filesystem;

namespace {

/// The options both functions share, as Keras's dataset_utils sees them.
struct Common {
  std::string labels;
  std::vector<std::int32_t> label_list;
  std::string label_mode;
  std::vector<std::string> class_names;
  bool shuffle;
  std::optional<std::uint32_t> seed;
  float validation_split;
  std::string subset;
  bool follow_links;
  bool verbose;
};
template <class O>
Common common_of(const O& o) {
  return {o.labels, o.label_list, o.label_mode, o.class_names, o.shuffle, o.seed, o.validation_split, o.subset,
          o.follow_links, o.verbose};
}

std::string list_str(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", '" : "'") + v[i] + "'";
  return s + "]";
}

bool has_format(const std::string& name, const std::vector<std::string>& formats) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(formats.begin(), formats.end(), [&](const std::string& f) { return lower.ends_with(f); });
}

/// Keras's index_subdirectory: files under `dir` (recursively), sorted by folder path and then by name.
std::vector<std::string> index_subdirectory(const fs::path& dir, bool follow_links,
                                            const std::vector<std::string>& formats) {
  std::vector<std::pair<std::string, std::string>> found;  // (root, file name)
  auto options = follow_links ? fs::directory_options::follow_directory_symlink : fs::directory_options::none;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, options, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    // os.walk lists symlinks to files as files; to directories it does not descend without followlinks
    if (it->is_directory()) continue;
    std::string name = it->path().filename().string();
    if (has_format(name, formats)) found.emplace_back(it->path().parent_path().string(), name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  for (auto& [root, name] : found) paths.push_back((fs::path(root) / name).string());
  return paths;
}

struct Index {
  std::vector<std::string> paths;
  std::vector<std::int32_t> labels;  // empty: unlabelled
  std::vector<std::string> class_names;
  bool labelled = true;
};

void check_validation_split(const Common& c) {
  if (c.validation_split && !(c.validation_split > 0 && c.validation_split < 1))
    throw ValueError("`validation_split` must be between 0 and 1, received: " + std::to_string(c.validation_split));
  if ((c.validation_split != 0) != !c.subset.empty())
    throw ValueError("If `subset` is set, `validation_split` must be set, and inversely.");
  if (!c.subset.empty() && c.subset != "training" && c.subset != "validation" && c.subset != "both")
    throw ValueError("`subset` must be either \"training\", \"validation\" or \"both\", received: " + c.subset);
  if (c.validation_split && c.shuffle && !c.seed)
    throw ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, to "
                     "make sure that there is no overlap between the training and validation subset.");
}

/// Keras's dataset_utils.index_directory.
Index index_directory(const std::string& directory, const Common& c, const std::vector<std::string>& formats,
                      std::uint32_t seed) {
  if (!fs::is_directory(directory)) throw ValueError("The directory '" + directory + "' does not exist or is not a directory");
  Index index;
  const bool inferred = c.label_list.empty() && c.labels == "inferred";
  std::vector<std::string> subdirs;
  if (inferred) {
    for (const auto& entry : fs::directory_iterator(directory)) {
      std::string name = entry.path().filename().string();
      if (entry.is_directory() && !name.starts_with(".")) subdirs.push_back(name);
    }
    std::sort(subdirs.begin(), subdirs.end());
    if (!c.class_names.empty()) {
      for (const auto& name : c.class_names)
        if (std::find(subdirs.begin(), subdirs.end(), name) == subdirs.end())
          throw ValueError("The `class_names` passed did not match the names of the subdirectories of the target "
                           "directory. Expected: " + list_str(subdirs) + " (or a subset of it), but received: "
                           "class_names=" + list_str(c.class_names));
      subdirs = c.class_names;
    }
  } else {
    subdirs = {""};
    if (!c.class_names.empty())
      throw ValueError(c.label_list.empty() ? "When `labels=None` (no labels), argument `class_names` cannot be specified."
                                            : "When argument `labels` is specified, argument `class_names` cannot be "
                                              "specified (the `class_names` will be the sorted list of labels).");
  }
  for (std::size_t k = 0; k < subdirs.size(); ++k) {
    fs::path dir = subdirs[k].empty() ? fs::path(directory) : fs::path(directory) / subdirs[k];
    for (auto& p : index_subdirectory(dir, c.follow_links, formats)) {
      index.paths.push_back(std::move(p));
      if (inferred) index.labels.push_back(static_cast<std::int32_t>(k));
    }
  }
  if (inferred) {
    index.class_names = subdirs;
  } else if (!c.label_list.empty()) {
    if (c.label_list.size() != index.paths.size())
      throw ValueError("Expected the lengths of `labels` to match the number of files in the target directory. "
                       "len(labels) is " + std::to_string(c.label_list.size()) + " while we found " +
                       std::to_string(index.paths.size()) + " files in directory " + directory + ".");
    index.labels = c.label_list;
    std::set<std::int32_t> distinct(index.labels.begin(), index.labels.end());
    for (auto l : distinct) index.class_names.push_back(std::to_string(l));
  } else {
    index.labelled = false;
  }
  if (c.verbose) {
    if (!index.labelled)
      std::cout << "Found " << index.paths.size() << " files." << std::endl;
    else
      std::cout << "Found " << index.paths.size() << " files belonging to " << index.class_names.size()
                << " classes." << std::endl;
  }
  if (c.shuffle) {
    auto order = numpy_legacy_shuffled_range(static_cast<std::int64_t>(index.paths.size()), seed);
    std::vector<std::string> paths;
    std::vector<std::int32_t> labels;
    for (auto i : order) {
      paths.push_back(index.paths[i]);
      if (index.labelled) labels.push_back(index.labels[i]);
    }
    index.paths = std::move(paths);
    index.labels = std::move(labels);
  }
  return index;
}

/// Keras's get_training_or_validation_split (including its quirk: a split of 0 files leaves no training files).
Index split(const Index& all, float validation_split, const std::string& subset, bool verbose) {
  if (!validation_split) return all;
  const std::size_t n = all.paths.size();
  const auto num_val = static_cast<std::size_t>(static_cast<double>(validation_split) * static_cast<double>(n));
  Index out = all;
  std::size_t begin = 0, end = n;
  if (subset == "training") {
    if (verbose) std::cout << "Using " << n - num_val << " files for training." << std::endl;
    end = num_val ? n - num_val : 0;  // Python's samples[:-0] is empty
  } else {
    if (verbose) std::cout << "Using " << num_val << " files for validation." << std::endl;
    begin = num_val ? n - num_val : 0;  // samples[-0:] is all of them
  }
  out.paths.assign(all.paths.begin() + begin, all.paths.begin() + end);
  if (all.labelled) out.labels.assign(all.labels.begin() + begin, all.labels.begin() + end);
  return out;
}

void check_label_mode(const std::string& label_mode) {
  if (label_mode != "int" && label_mode != "categorical" && label_mode != "binary" && label_mode != "none" &&
      !label_mode.empty())
    throw ValueError("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: "
                     "label_mode=" + label_mode);
}

void check_labels_arg(const Common& c) {
  if (c.label_list.empty() && c.labels != "inferred" && c.labels != "none" && !c.labels.empty())
    throw ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as the number of "
                     "files in the target directory. If you wish to infer the labels from the subdirectory names in "
                     "the target directory, pass `labels=\"inferred\"`. If you wish to get a dataset that only "
                     "contains images (no labels), pass `labels=None`. Received: labels=" + c.labels);
  if (!c.class_names.empty() && !(c.label_list.empty() && c.labels == "inferred"))
    throw ValueError("You can only pass `class_names` if `labels=\"inferred\"`. Received: labels=" +
                     (c.label_list.empty() ? c.labels : std::string("[...]")) + ", and class_names=" +
                     list_str(c.class_names));
}

/// The label tensor of one file by label_mode (int: int32 scalar; categorical: one-hot; binary: (1,) float32).
Tensor label_tensor(std::int32_t label, const std::string& mode, std::size_t num_classes) {
  if (mode == "int") return Tensor(Shape{}, std::vector<std::int32_t>{label});
  if (mode == "binary") return Tensor(Shape{1}, std::vector<float>{static_cast<float>(label)});
  Tensor t(Shape{static_cast<std::int64_t>(num_classes)});
  if (label >= 0 && static_cast<std::size_t>(label) < num_classes) t.data<float>()[label] = 1;
  return t;
}

std::uint32_t resolve_seed(const std::optional<std::uint32_t>& seed) {
  return seed ? *seed : static_cast<std::uint32_t>(next_seed() % 1000000);  // Keras: np.random.randint(1e6)
}

struct ImageSettings {
  std::int64_t height, width;
  int channels;
  std::string interpolation;
  bool crop;
};

Tensor load_image(const std::string& path, const ImageSettings& s) {
  Tensor img = decode_image(fs::path(path), {.channels = s.channels});
  if (s.crop) {
    // Keras's smart_resize: the largest centred box with the target aspect ratio
    std::int64_t h = img.shape()[0], w = img.shape()[1], c = img.shape()[2];
    auto crop_h = static_cast<std::int64_t>(static_cast<double>(w * s.height) / static_cast<double>(s.width));
    crop_h = std::max<std::int64_t>(std::min(h, crop_h), 1);
    auto crop_w = static_cast<std::int64_t>(static_cast<double>(h * s.width) / static_cast<double>(s.height));
    crop_w = std::max<std::int64_t>(std::min(w, crop_w), 1);
    auto h0 = static_cast<std::int64_t>(static_cast<double>(h - crop_h) / 2);
    auto w0 = static_cast<std::int64_t>(static_cast<double>(w - crop_w) / 2);
    Tensor cropped({crop_h, crop_w, c}, DType::uint8);
    for (std::int64_t y = 0; y < crop_h; ++y)
      std::memcpy(cropped.data<std::uint8_t>() + y * crop_w * c, img.data<std::uint8_t>() + ((h0 + y) * w + w0) * c,
                  static_cast<std::size_t>(crop_w * c));
    img = std::move(cropped);
  }
  return resize_image(img, s.height, s.width, s.interpolation);
}

DirectoryDataset images_to_dataset(const Index& index, const ImageDatasetOptions& o, const ImageSettings& settings,
                                   bool shuffle, std::uint32_t seed) {
  const std::string mode = index.labelled ? (o.label_mode == "none" ? "" : o.label_mode) : "";
  auto paths = std::make_shared<const std::vector<std::string>>(index.paths);
  const auto n = static_cast<std::int64_t>(index.paths.size());
  Tensor ids({n}, DType::int64);
  for (std::int64_t i = 0; i < n; ++i) ids.data<std::int64_t>()[i] = i;
  Dataset ds = Dataset::from_tensor_slices({ids});
  if (shuffle)
    ds = ds.shuffle(o.batch_size ? *o.batch_size * 8 : 1024, {.seed = seed});
  auto labels = std::make_shared<const std::vector<std::int32_t>>(index.labels);
  const std::size_t num_classes = index.class_names.size();
  const bool skip = o.on_corrupt == "skip";
  ds = ds.map(
      [paths, labels, settings, mode, num_classes, skip](Element e) -> Element {
        auto i = static_cast<std::size_t>(e[0].data<std::int64_t>()[0]);
        Element out;
        try {
          out.push_back(load_image((*paths)[i], settings));
        } catch (const FileFormatError& error) {
          if (!skip) throw;
          spdlog::warn("image_dataset_from_directory: skipping {}: {}", (*paths)[i], error.what());
          return {};
        }
        if (!mode.empty()) out.push_back(label_tensor((*labels)[i], mode, num_classes));
        return out;
      },
      {.num_parallel_calls = AUTOTUNE});
  if (skip) ds = ds.filter([](const Element& e) { return !e.empty(); });
  if (o.batch_size) ds = ds.batch(*o.batch_size);
  ds = ds.prefetch(AUTOTUNE);
  return DirectoryDataset(std::move(ds), index.class_names, index.paths);
}

std::vector<DirectoryDataset> image_datasets(const std::string& directory, ImageDatasetOptions o) {
  Common c = common_of(o);
  check_labels_arg(c);
  check_label_mode(o.label_mode);
  ImageSettings settings{o.image_size[0], o.image_size[1], 3, o.interpolation, o.crop_to_aspect_ratio};
  if (o.color_mode == "rgb") settings.channels = 3;
  else if (o.color_mode == "rgba") settings.channels = 4;
  else if (o.color_mode == "grayscale") settings.channels = 1;
  else
    throw ValueError("`color_mode` must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode=" +
                     o.color_mode);
  if (o.image_size[0] < 1 || o.image_size[1] < 1)
    throw ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size=(" +
                     std::to_string(o.image_size[0]) + ", " + std::to_string(o.image_size[1]) + ")");
  if (o.interpolation != "bilinear" && o.interpolation != "nearest")
    throw UnsupportedError("image_dataset_from_directory: interpolation '" + o.interpolation +
                           "' is not supported (bilinear, nearest)");
  if (o.on_corrupt != "raise" && o.on_corrupt != "skip")
    throw ValueError("image_dataset_from_directory: on_corrupt must be \"raise\" or \"skip\", received: " + o.on_corrupt);
  if (o.batch_size && *o.batch_size < 1)
    throw ValueError("image_dataset_from_directory: batch_size must be a positive integer, received: " +
                     std::to_string(*o.batch_size));
  check_validation_split(c);
  std::uint32_t seed = resolve_seed(o.seed);
  const std::vector<std::string> formats{".jpeg", ".jpg", ".png"};
  Index all = index_directory(directory, c, formats, seed);
  if (all.labelled && o.label_mode == "binary" && all.class_names.size() != 2)
    throw ValueError("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: "
                     "class_names=" + list_str(all.class_names));
  std::vector<DirectoryDataset> out;
  auto make = [&](const std::string& subset, bool shuffle, const char* what) {
    Index part = split(all, o.validation_split, subset, o.verbose);
    if (part.paths.empty())
      throw ValueError(std::string("No ") + what + "images found in directory " + directory +
                       ". Allowed formats: ('.jpeg', '.jpg', '.png')");
    out.push_back(images_to_dataset(part, o, settings, shuffle, seed));
  };
  if (o.subset == "both") {
    make("training", o.shuffle, "training ");
    make("validation", false, "validation ");
  } else {
    make(o.subset, o.shuffle, "");
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileFormatError("text_dataset_from_directory: cannot read '" + path + "'");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<TextFiles> text_files(const std::string& directory, TextDatasetOptions o) {
  Common c = common_of(o);
  check_labels_arg(c);
  check_label_mode(o.label_mode);
  if (o.max_length && *o.max_length < 0)
    throw ValueError("text_dataset_from_directory: max_length must be >= 0, received: " + std::to_string(*o.max_length));
  check_validation_split(c);
  std::uint32_t seed = resolve_seed(o.seed);
  Index all = index_directory(directory, c, {".txt"}, seed);
  if (all.labelled && o.label_mode == "binary" && all.class_names.size() != 2)
    throw ValueError("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: "
                     "class_names=" + list_str(all.class_names));
  std::vector<TextFiles> out;
  auto make = [&](const std::string& subset, const char* what) {
    Index part = split(all, o.validation_split, subset, o.verbose);
    if (part.paths.empty())
      throw ValueError(std::string("No ") + what + "text files found in directory " + directory +
                       ". Allowed format: .txt");
    TextFiles files{{}, {}, part.class_names, part.paths};
    for (const auto& p : part.paths) {
      std::string text = read_text(p);
      if (o.max_length && static_cast<std::int64_t>(text.size()) > *o.max_length)
        text.resize(static_cast<std::size_t>(*o.max_length));
      files.texts.push_back(std::move(text));
    }
    const std::string mode = o.label_mode == "none" ? "" : o.label_mode;
    if (part.labelled && !mode.empty()) {
      auto n = static_cast<std::int64_t>(part.labels.size());
      if (mode == "int") {
        files.labels = Tensor({n}, DType::int32);
        std::copy(part.labels.begin(), part.labels.end(), files.labels.data<std::int32_t>());
      } else {
        std::int64_t width = mode == "binary" ? 1 : static_cast<std::int64_t>(part.class_names.size());
        files.labels = Tensor({n, width});
        for (std::int64_t i = 0; i < n; ++i) {
          Tensor row = label_tensor(part.labels[static_cast<std::size_t>(i)], mode, part.class_names.size());
          std::copy(row.data<float>(), row.data<float>() + width, files.labels.data<float>() + i * width);
        }
      }
    }
    out.push_back(std::move(files));
  };
  if (o.subset == "both") {
    make("training", "training ");
    make("validation", "validation ");
  } else {
    make(o.subset, "");
  }
  return out;
}

}  // namespace

Tensor resize_image(const Tensor& image, std::int64_t out_h, std::int64_t out_w, const std::string& interpolation) {
  if (image.ndim() != 3)
    throw ShapeError("resize_image: expected a (height, width, channels) image, got " + std::to_string(image.ndim()) +
                     " dimensions");
  Tensor src = image.dtype() == DType::float32 ? image : image.astype(DType::float32);
  const std::int64_t in_h = src.shape()[0], in_w = src.shape()[1], c = src.shape()[2];
  Tensor out({out_h, out_w, c});
  const float* in = src.data<float>();
  float* dst = out.data<float>();
  const float scale_y = static_cast<float>(in_h) / static_cast<float>(out_h);
  const float scale_x = static_cast<float>(in_w) / static_cast<float>(out_w);
  if (interpolation == "nearest") {
    // tf's resize_nearest_neighbor with half_pixel_centers
    for (std::int64_t y = 0; y < out_h; ++y) {
      std::int64_t sy = std::min(static_cast<std::int64_t>(std::floor((static_cast<float>(y) + 0.5f) * scale_y)), in_h - 1);
      for (std::int64_t x = 0; x < out_w; ++x) {
        std::int64_t sx = std::min(static_cast<std::int64_t>(std::floor((static_cast<float>(x) + 0.5f) * scale_x)), in_w - 1);
        std::copy(in + (sy * in_w + sx) * c, in + (sy * in_w + sx + 1) * c, dst + (y * out_w + x) * c);
      }
    }
    return out;
  }
  if (interpolation != "bilinear")
    throw UnsupportedError("resize_image: interpolation '" + interpolation + "' is not supported (bilinear, nearest)");
  // tf's resize_bilinear with half_pixel_centers: source = (i + 0.5) * scale - 0.5, clamped at the edges
  struct Weight {
    std::int64_t lo, hi;
    float lerp;
  };
  auto weights = [](std::int64_t out_size, std::int64_t in_size, float scale) {
    std::vector<Weight> w(static_cast<std::size_t>(out_size));
    for (std::int64_t i = 0; i < out_size; ++i) {
      float pos = (static_cast<float>(i) + 0.5f) * scale - 0.5f;
      float fl = std::floor(pos);
      w[static_cast<std::size_t>(i)] = {std::max<std::int64_t>(static_cast<std::int64_t>(fl), 0),
                                        std::min<std::int64_t>(static_cast<std::int64_t>(std::ceil(pos)), in_size - 1),
                                        pos - fl};
    }
    return w;
  };
  auto wy = weights(out_h, in_h, scale_y), wx = weights(out_w, in_w, scale_x);
  for (std::int64_t y = 0; y < out_h; ++y) {
    const Weight& a = wy[static_cast<std::size_t>(y)];
    for (std::int64_t x = 0; x < out_w; ++x) {
      const Weight& b = wx[static_cast<std::size_t>(x)];
      for (std::int64_t k = 0; k < c; ++k) {
        float tl = in[(a.lo * in_w + b.lo) * c + k], tr = in[(a.lo * in_w + b.hi) * c + k];
        float bl = in[(a.hi * in_w + b.lo) * c + k], br = in[(a.hi * in_w + b.hi) * c + k];
        float top = tl + (tr - tl) * b.lerp, bottom = bl + (br - bl) * b.lerp;
        dst[(y * out_w + x) * c + k] = top + (bottom - top) * a.lerp;
      }
    }
  }
  return out;
}

DirectoryDataset image_dataset_from_directory(const std::string& directory, ImageDatasetOptions options) {
  if (options.subset == "both")
    throw ValueError("image_dataset_from_directory: subset \"both\" returns two datasets; call "
                     "image_dataset_from_directory_both");
  return std::move(image_datasets(directory, std::move(options)).front());
}

std::pair<DirectoryDataset, DirectoryDataset> image_dataset_from_directory_both(const std::string& directory,
                                                                                ImageDatasetOptions options) {
  options.subset = "both";
  auto both = image_datasets(directory, std::move(options));
  return {std::move(both[0]), std::move(both[1])};
}

TextFiles text_dataset_from_directory(const std::string& directory, TextDatasetOptions options) {
  if (options.subset == "both")
    throw ValueError("text_dataset_from_directory: subset \"both\" returns two sets; call "
                     "text_dataset_from_directory_both");
  return std::move(text_files(directory, std::move(options)).front());
}

std::pair<TextFiles, TextFiles> text_dataset_from_directory_both(const std::string& directory,
                                                                 TextDatasetOptions options) {
  options.subset = "both";
  auto both = text_files(directory, std::move(options));
  return {std::move(both[0]), std::move(both[1])};
}

}  // namespace strata::datasets
