// TensorBoard's event-file framing (checked here with an independent CRC32C; tests/interop/check_tensorboard.py reads
// the files with the real tensorboard package) and BackupAndRestore in one process: arguments, unwritable
// directories, resuming after an exception at an epoch end and mid-epoch, double_checkpoint's fallback.
// The SIGKILL proof is tests/backup_restore/run.sh.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <strata/api/optimizers/optimizers.hpp>
#include <strata/api/random.hpp>
#include <strata/api/sequential.hpp>
#include <strata/callbacks/callbacks.hpp>
#include <strata/layers/core/dense.hpp>
#include <strata/layers/core/dropout.hpp>

using namespace strata;
namespace cb = strata::callbacks;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("strata_tb_backup_" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

/// CRC-32C bit by bit (the callback uses a table), masked as TFRecord does.
std::uint32_t masked_crc(const std::string& bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  crc ^= 0xffffffffu;
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

/// The payloads of a TFRecord file; every CRC checked.
std::vector<std::string> read_records(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  std::vector<std::string> records;
  std::size_t pos = 0;
  while (pos < data.size()) {
    REQUIRE(pos + 12 <= data.size());
    std::uint64_t length = 0;
    std::uint32_t length_crc = 0, data_crc = 0;
    std::memcpy(&length, data.data() + pos, 8);
    std::memcpy(&length_crc, data.data() + pos + 8, 4);
    CHECK(length_crc == masked_crc(data.substr(pos, 8)));
    REQUIRE(pos + 16 + length <= data.size());
    std::string payload = data.substr(pos + 12, length);
    std::memcpy(&data_crc, data.data() + pos + 12 + length, 4);
    CHECK(data_crc == masked_crc(payload));
    records.push_back(std::move(payload));
    pos += 16 + length;
  }
  return records;
}

fs::path only_file(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  REQUIRE(files.size() == 1);
  return files[0];
}

struct Data {
  Tensor x{Shape{30, 4}}, y{Shape{30}};
  Data() {
    for (std::int64_t i = 0; i < x.size(); ++i) x.values()[static_cast<std::size_t>(i)] = static_cast<float>((i * 13 % 29) - 14) / 9.0f;
    for (std::int64_t i = 0; i < 30; ++i) y.values()[static_cast<std::size_t>(i)] = static_cast<float>(i % 2);
  }
};

/// The same model (and seed draws) every call: a fresh process would build exactly this.
Sequential make_model() {
  set_random_seed(11);
  Sequential model({Input({4}), layers::Dense(6, {.activation = "tanh"}), layers::Dropout(0.25),
                    layers::Dense(1, {.activation = "sigmoid"})});
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "binary_crossentropy",
                 .metrics = {"accuracy"}});
  return model;
}

struct Interrupt : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A callback that throws after the training step numbered `at` (1-based, counted by the optimizer).
std::shared_ptr<cb::LambdaCallback> interrupt_after(Sequential& model, std::int64_t at) {
  return std::make_shared<cb::LambdaCallback>(cb::LambdaCallbackOptions{
      .on_train_batch_end = [&model, at](std::int64_t, const Logs&) {
        if (model.optimizer()->iterations() == at) throw Interrupt("interrupted");
      }});
}

void check_same_weights(const Model& a, const Model& b) {
  auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i].to_vector<float>() == wb[i].to_vector<float>());
}

}  // namespace

TEST_CASE("TensorBoard: TFRecord framing with TensorFlow's masked CRC32C, complete files after an exception") {
  CHECK(masked_crc("123456789") == (((0xe3069283u >> 15) | (0xe3069283u << 17)) + 0xa282ead8u));
  const fs::path dir = scratch("tb_interrupted");
  Data d;
  Sequential model = make_model();
  auto tensorboard = std::make_shared<cb::TensorBoard>(dir.string(), cb::TensorBoardOptions{.update_freq = std::string("batch")});
  // 3 batches an epoch: stop in the second epoch; the first epoch's summaries and 4 batches' are on disk
  CHECK_THROWS_AS(model.fit(d.x, d.y, {.batch_size = 10, .epochs = 3, .verbose = 0,
                                       .callbacks = {tensorboard, interrupt_after(model, 5)}}),
                  Interrupt);
  const fs::path file = only_file(dir / "train");
  const std::string name = file.filename().string();
  CHECK(name.starts_with("events.out.tfevents."));
  CHECK(name.find("." + std::to_string(getpid()) + ".") != std::string::npos);
  CHECK(name.ends_with(".v2"));
  const auto records = read_records(file);
  // file version, the keras graph, 3 batches x (accuracy, loss), epoch 0's accuracy, learning_rate and loss,
  // 2 more batches
  REQUIRE(records.size() == 1 + 1 + 6 + 3 + 4);
  CHECK(records[0].find("brain.Event:2") != std::string::npos);
  CHECK(records[1].find("graph_keras_model") != std::string::npos);
  CHECK(records[2].find("batch_accuracy") != std::string::npos);
  CHECK(records[8].find("epoch_accuracy") != std::string::npos);
  CHECK(records[9].find("epoch_learning_rate") != std::string::npos);
  CHECK(records[10].find("epoch_loss") != std::string::npos);
  CHECK(records[14].find("batch_loss") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("TensorBoard: arguments and log directories are validated") {
  CHECK_THROWS_AS(cb::TensorBoard("logs", {.write_images = true}), UnsupportedError);
  CHECK_THROWS_AS(cb::TensorBoard("logs", {.update_freq = std::string("sometimes")}), ValueError);
  CHECK_THROWS_AS(cb::TensorBoard("logs", {.update_freq = std::int64_t{0}}), ValueError);
  CHECK_THROWS_AS(cb::TensorBoard("logs", {.histogram_freq = -1}), ValueError);
  CHECK_THROWS_AS(cb::TensorBoard(""), ValueError);
  // a log_dir under a regular file cannot be created: the error names it, before any training
  const fs::path blocker = scratch("tb_blocker");
  std::ofstream(blocker) << "x";
  const std::string log_dir = (blocker / "logs").string();
  Data d;
  Sequential model = make_model();
  auto tensorboard = std::make_shared<cb::TensorBoard>(log_dir);
  try {
    model.fit(d.x, d.y, {.batch_size = 10, .epochs = 1, .verbose = 0, .callbacks = {tensorboard}});
    FAIL("fit did not throw");
  } catch (const FileFormatError& e) {
    CHECK(std::string(e.what()).find(log_dir) != std::string::npos);
  }
  CHECK(model.optimizer()->iterations() == 0);
  fs::remove(blocker);
}

TEST_CASE("BackupAndRestore: arguments and backup directories are validated") {
  CHECK_THROWS_WITH_AS(cb::BackupAndRestore(""), "Empty `backup_dir` argument passed", ValueError);
  CHECK_THROWS_AS(cb::BackupAndRestore("b", {.save_freq = std::string("batch")}), ValueError);
  CHECK_THROWS_AS(cb::BackupAndRestore("b", {.save_freq = std::int64_t{0}}), ValueError);
  const fs::path blocker = scratch("backup_blocker");
  std::ofstream(blocker) << "x";
  const std::string backup_dir = (blocker / "backup").string();
  Data d;
  Sequential model = make_model();
  try {
    model.fit(d.x, d.y, {.batch_size = 10, .epochs = 1, .verbose = 0,
                         .callbacks = {std::make_shared<cb::BackupAndRestore>(backup_dir)}});
    FAIL("fit did not throw");
  } catch (const FileFormatError& e) {
    CHECK(std::string(e.what()).find(backup_dir) != std::string::npos);
  }
  fs::remove(blocker);
}

TEST_CASE("BackupAndRestore: a fit stopped by an exception resumes where its backup was") {
  Data d;
  const FitOptions base{.batch_size = 10, .epochs = 4, .verbose = 0};
  Sequential reference = make_model();
  auto ref_history = reference.fit(d.x, d.y, base);

  for (const bool per_batch : {false, true}) {
    CAPTURE(per_batch);
    const fs::path dir = scratch(per_batch ? "backup_batch" : "backup_epoch");
    cb::BackupAndRestoreOptions options;
    if (per_batch) options.save_freq = std::int64_t{2};
    // 3 batches an epoch; stop after step 8 (epoch 2, batch 1): the last backup was at the end of epoch 1
    // (step 6) or after step 8 itself (batches 2 at a time)
    {
      Sequential model = make_model();
      FitOptions fit = base;
      fit.callbacks = {std::make_shared<cb::BackupAndRestore>(dir.string(), options), interrupt_after(model, 8)};
      CHECK_THROWS_AS(model.fit(d.x, d.y, fit), Interrupt);
      CHECK(fs::exists(dir / "training_metadata.json"));
    }
    Sequential model = make_model();
    FitOptions fit = base;
    auto backup = std::make_shared<cb::BackupAndRestore>(dir.string(), options);
    fit.callbacks = {backup};
    auto history = model.fit(d.x, d.y, fit);
    CHECK(model.optimizer()->iterations() == 12);
    check_same_weights(model, reference);
    // History holds the epochs this fit ran: 2 and 3, with the uninterrupted run's logs
    REQUIRE(history->history.at("loss").size() == 2);
    for (const char* key : {"loss", "accuracy"})
      for (std::size_t e = 0; e < 2; ++e)
        CHECK(history->history.at(key)[e] == doctest::Approx(ref_history->history.at(key)[e + 2]).epsilon(1e-12));
    CHECK_FALSE(fs::exists(dir));  // delete_checkpoint
  }
}

TEST_CASE("BackupAndRestore: delete_checkpoint and double_checkpoint") {
  Data d;
  const fs::path dir = scratch("backup_double");
  const cb::BackupAndRestoreOptions options{.double_checkpoint = true, .delete_checkpoint = false};
  {
    Sequential model = make_model();
    model.fit(d.x, d.y, {.batch_size = 10, .epochs = 2, .verbose = 0,
                         .callbacks = {std::make_shared<cb::BackupAndRestore>(dir.string(), options)}});
  }
  // kept: the latest backup (after epoch 2) and the previous one (after epoch 1)
  CHECK(fs::exists(dir / "training_metadata.json"));
  CHECK(fs::exists(dir / "training_metadata.json.bkp"));
  CHECK(fs::exists(dir / "ckpt-2.weights.h5"));
  CHECK(fs::exists(dir / "ckpt-1.weights.h5"));
  // the latest weights unreadable: the previous backup is restored, so training goes on from epoch 1
  std::ofstream(dir / "ckpt-2.weights.h5", std::ios::trunc) << "not hdf5";
  Sequential model = make_model();
  auto history = model.fit(d.x, d.y, {.batch_size = 10, .epochs = 2, .verbose = 0,
                                      .callbacks = {std::make_shared<cb::BackupAndRestore>(dir.string(), options)}});
  CHECK(history->history.at("loss").size() == 1);
  CHECK(model.optimizer()->iterations() == 6);
  // without double_checkpoint the same damage is an error
  std::ifstream metadata(dir / "training_metadata.json");
  const std::string latest = nlohmann::json::parse(metadata).at("weights").get<std::string>();
  CHECK(latest == "ckpt-3.weights.h5");  // numbering goes on past the damaged file
  std::ofstream(dir / latest, std::ios::trunc) << "not hdf5";
  Sequential again = make_model();
  CHECK_THROWS_AS(again.fit(d.x, d.y, {.batch_size = 10, .epochs = 3, .verbose = 0,
                                       .callbacks = {std::make_shared<cb::BackupAndRestore>(dir.string())}}),
                  Error);
  fs::remove_all(dir);
}
