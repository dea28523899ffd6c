// The `strata` command (cli/): summary output equals the model's own summary, conversions through every
// format keep the predictions and the compile state, and bad input or usage gives exit codes 1 and 2.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <strata/api/saving/hdf5.hpp>
#include <strata/strata.hpp>

using namespace strata;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static std::mt19937_64 rng(std::random_device{}());
    path = fs::temp_directory_path() / ("strata_cli_" + std::to_string(rng()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

struct Run {
  int code = -1;
  std::string out, err;
};

/// Runs `strata ARGS` (arguments are single-quoted; none here contains a quote).
Run strata_cli(const TempDir& dir, const std::vector<std::string>& args) {
  std::string command = "'" STRATA_CLI_PATH "'";
  for (const auto& a : args) command += " '" + a + "'";
  command += " > '" + dir / "stdout" + "' 2> '" + dir / "stderr" + "'";
  int status = std::system(command.c_str());
  Run r;
  REQUIRE(WIFEXITED(status));  // a signal (a crash, an abort) is never an answer
  r.code = WEXITSTATUS(status);
  r.out = read_file(dir / "stdout");
  r.err = read_file(dir / "stderr");
  return r;
}

Tensor ramp(Shape shape, float scale = 0.1f, float offset = 0.0f) {
  Tensor t(shape);
  auto v = t.values<float>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = offset + scale * static_cast<float>((i * 37) % 23) - 1.0f;
  return t;
}

Tensor labels(std::int64_t n, std::int64_t classes) {
  Tensor t({n}, DType::int32);
  for (std::int64_t i = 0; i < n; ++i) t.data<std::int32_t>()[i] = static_cast<std::int32_t>((i * 5 + 1) % classes);
  return t;
}

/// A compiled CNN that has taken two Adam steps, so the optimizer holds state worth keeping.
std::shared_ptr<Sequential> trained_cnn() {
  using namespace layers;
  auto m = std::make_shared<Sequential>(Sequential(
      {Input({6, 6, 2}), Conv2D(4, 3, {.padding = "same", .activation = "relu"}), BatchNormalization(),
       MaxPooling2D(2), Flatten(), Dense(3, {.activation = "softmax"})},
      "cnn"));
  m->compile({.optimizer = optimizers::Adam({.learning_rate = 0.01}),
              .loss = "sparse_categorical_crossentropy",
              .metrics = {"accuracy"}});
  m->train_on_batch(ramp({4, 6, 6, 2}), labels(4, 3));
  m->train_on_batch(ramp({4, 6, 6, 2}, 0.05f), labels(4, 3));
  return m;
}

void check_identical(const Tensor& a, const Tensor& b) {
  REQUIRE(shape_str(a.shape()) == shape_str(b.shape()));
  for (std::int64_t i = 0; i < a.size(); ++i) REQUIRE(a.item(i) == b.item(i));
}

}  // namespace

TEST_CASE("strata summary prints the model's Keras summary table for .h5, .keras and .json") {
  TempDir dir;
  auto model = trained_cnn();
  model->save(dir / "cnn.h5");
  model->save(dir / "cnn.keras");
  const std::string expected = model->summary_string();
  REQUIRE(contains(expected, "Optimizer params"));  // the compile state shows in the table too

  for (const std::string file : {"cnn.h5", "cnn.keras"}) {
    INFO(file);
    Run r = strata_cli(dir, {"summary", dir / file});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == expected);
    CHECK(r.out == load_model(dir / file)->summary_string());
  }
  // a .json needs no weights for a summary
  write_file(dir / "cnn.json", model->to_json());
  Run r = strata_cli(dir, {"summary", dir / "cnn.json"});
  CHECK(r.code == 0);
  CHECK(r.out == expected);

  // a functional model with two inputs and a shared layer, and --line-length
  using namespace layers;
  auto a = Input({5}, {.name = "a"});
  auto b = Input({5}, {.name = "b"});
  auto shared = share(Dense(4, {.name = "shared"}));
  auto out = Dense(2, {.name = "out"})((*shared)(b));
  Model graph({a, b}, {(*shared)(a), out}, "graph");
  graph.save(dir / "graph.keras");
  r = strata_cli(dir, {"summary", "--line-length", "120", dir / "graph.keras"});
  CHECK(r.code == 0);
  CHECK(r.out == graph.summary_string(120));
  CHECK(contains(r.out, "shared (Dense)"));
}

TEST_CASE("strata convert h5 -> keras -> json -> h5 keeps predictions and the compile state") {
  TempDir dir;
  auto model = trained_cnn();
  model->save(dir / "a.h5");
  Run r = strata_cli(dir, {"convert", dir / "a.h5", dir / "b.keras"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "b.keras"));
  r = strata_cli(dir, {"convert", dir / "b.keras", dir / "c.json"});
  REQUIRE(r.code == 0);
  CHECK(fs::exists(dir / "c.weights.h5"));
  r = strata_cli(dir, {"convert", dir / "c.json", dir / "d.h5"});
  REQUIRE(r.code == 0);

  auto back = load_model(dir / "d.h5");
  Tensor x = ramp({5, 6, 6, 2}, 0.03f, 0.2f);
  check_identical(back->predict(x), model->predict(x));
  // the optimizer came through every format with its step count and slots
  REQUIRE(back->compiled());
  REQUIRE(back->optimizer());
  CHECK(back->optimizer()->class_name() == "Adam");
  auto expected_vars = model->optimizer()->variables();
  auto got_vars = back->optimizer()->variables();
  REQUIRE(got_vars.size() == expected_vars.size());
  for (std::size_t i = 0; i < got_vars.size(); ++i) {
    INFO(expected_vars[i]->path());
    check_identical(got_vars[i]->value(), expected_vars[i]->value());
  }
  // and training resumes exactly where the original would
  Tensor y = labels(4, 3);
  auto expected_loss = model->train_on_batch(ramp({4, 6, 6, 2}, 0.02f), y).at("loss");
  auto got_loss = back->train_on_batch(ramp({4, 6, 6, 2}, 0.02f), y).at("loss");
  CHECK(got_loss == expected_loss);

  // --no-compile drops it
  r = strata_cli(dir, {"convert", "--no-compile", dir / "a.h5", dir / "plain.keras"});
  REQUIRE(r.code == 0);
  CHECK_FALSE(load_model(dir / "plain.keras")->compiled());

  // --keras2 writes tf.keras 2's dialect (.h5 only), which reads back to the same predictions
  r = strata_cli(dir, {"convert", "--keras2", dir / "b.keras", dir / "tf.h5"});
  REQUIRE(r.code == 0);
  CHECK(h5::File::open_read(dir / "tf.h5").read_string("keras_version") == "2.15.0");
  check_identical(load_model(dir / "tf.h5")->predict(x), load_model(dir / "b.keras")->predict(x));
  r = strata_cli(dir, {"convert", "--keras2", dir / "b.keras", dir / "tf.keras"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "--keras2"));
}

TEST_CASE("strata convert refuses to overwrite without --force and needs a .json's weights") {
  TempDir dir;
  auto model = trained_cnn();
  model->save(dir / "m.keras");
  write_file(dir / "taken.h5", "keep me");
  Run r = strata_cli(dir, {"convert", dir / "m.keras", dir / "taken.h5"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "taken.h5"));
  CHECK(contains(r.err, "--force"));
  CHECK(read_file(dir / "taken.h5") == "keep me");
  r = strata_cli(dir, {"convert", "--force", dir / "m.keras", dir / "taken.h5"});
  CHECK(r.code == 0);
  check_identical(load_model(dir / "taken.h5")->predict(ramp({2, 6, 6, 2})), model->predict(ramp({2, 6, 6, 2})));

  r = strata_cli(dir, {"convert", dir / "m.keras", dir / "m.keras"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "m.keras"));

  // a .json without its weights: an error naming the missing file, unless --no-weights
  write_file(dir / "arch.json", model->to_json());
  r = strata_cli(dir, {"convert", dir / "arch.json", dir / "arch.h5"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "arch.weights.h5"));
  CHECK(contains(r.err, "--no-weights"));
  CHECK_FALSE(fs::exists(dir / "arch.h5"));
  r = strata_cli(dir, {"convert", "--no-weights", dir / "arch.json", dir / "arch.h5"});
  CHECK(r.code == 0);
  CHECK(contains(r.err, "freshly initialized"));
  CHECK(load_model(dir / "arch.h5")->count_params() == model->count_params());

  // Keras's own to_json() can leave the optimizer out of compile_config: converted without the compile state
  auto keras_like = nlohmann::json::parse(model->to_json());
  keras_like["compile_config"].erase("optimizer");
  write_file(dir / "keras_like.json", keras_like.dump());
  model->save_weights(dir / "keras_like.weights.h5");
  r = strata_cli(dir, {"convert", dir / "keras_like.json", dir / "keras_like.keras"});
  CHECK(r.code == 0);
  CHECK(contains(r.err, "names no optimizer"));
  auto converted = load_model(dir / "keras_like.keras");
  CHECK_FALSE(converted->compiled());
  check_identical(converted->predict(ramp({2, 6, 6, 2})), model->predict(ramp({2, 6, 6, 2})));
}

TEST_CASE("bad files exit 1 with a message naming the file; usage errors exit 2") {
  TempDir dir;
  write_file(dir / "corrupt.h5", std::string("\x89HDF\r\n\x1a\n", 8) + std::string(200, '\x7f'));
  write_file(dir / "text.keras", "not a zip archive");
  write_file(dir / "empty.json", "");
  write_file(dir / "bad.json", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Nope\"}]}}");
  for (const std::string file : {"corrupt.h5", "text.keras", "empty.json", "bad.json", "missing.h5"}) {
    INFO(file);
    Run r = strata_cli(dir, {"summary", dir / file});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(contains(r.err, "strata: error: "));
    CHECK(contains(r.err, dir / file));
    r = strata_cli(dir, {"convert", dir / file, dir / "out.keras"});
    CHECK(r.code == 1);
    CHECK(contains(r.err, dir / file));
  }
  CHECK_FALSE(fs::exists(dir / "out.keras"));

  auto model = trained_cnn();
  model->save_weights(dir / "only.weights.h5");
  Run r = strata_cli(dir, {"summary", dir / "only.weights.h5"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "only.weights.h5"));
  CHECK(contains(r.err, "architecture"));
  model->save(dir / "m.h5");
  r = strata_cli(dir, {"convert", dir / "m.h5", dir / "m.txt"});
  CHECK(r.code == 1);
  CHECK(contains(r.err, "m.txt"));

  // usage
  CHECK(strata_cli(dir, {}).code == 2);
  CHECK(strata_cli(dir, {"summary"}).code == 2);
  CHECK(strata_cli(dir, {"convert", dir / "m.h5"}).code == 2);
  CHECK(strata_cli(dir, {"frobnicate"}).code == 2);
  CHECK(strata_cli(dir, {"summary", "--bogus", dir / "m.h5"}).code == 2);

  r = strata_cli(dir, {"--help"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "summary"));
  CHECK(contains(r.out, "convert"));
  CHECK(contains(r.out, "Examples:"));
  r = strata_cli(dir, {"convert", "--help"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "--force"));
  CHECK(contains(r.out, "strata convert model.h5 model.keras"));
  r = strata_cli(dir, {"--version"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "strata 0."));
}
