// The Dataset pipeline (tf.data semantics) and fit/evaluate/predict on a Dataset.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include <strata/strata.hpp>

using namespace strata;
using datasets::Dataset;
using datasets::Element;

namespace {

/// 0, 1, ..., n-1 as a float32 (n,) tensor.
Tensor range(std::int64_t n) {
  Tensor t({n});
  for (std::int64_t i = 0; i < n; ++i) t.data<float>()[i] = static_cast<float>(i);
  return t;
}

/// The first component of every element, flattened, in iteration order.
std::vector<float> collect(const Dataset& ds) {
  std::vector<float> out;
  for (const Element& e : ds)
    for (float v : e[0].values()) out.push_back(v);
  return out;
}

std::vector<float> iota_vec(int begin, int end) {
  std::vector<float> v;
  for (int i = begin; i < end; ++i) v.push_back(static_cast<float>(i));
  return v;
}

std::int64_t count(const Dataset& ds) {
  std::int64_t n = 0;
  for (auto it = ds.iterator(); it.next();) ++n;
  return n;
}

}  // namespace

TEST_CASE("from_tensor_slices yields rows in order and batch stacks them") {
  Tensor x({5, 2}, std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor y({5}, std::vector<std::int32_t>{10, 11, 12, 13, 14});
  auto ds = Dataset::from_tensor_slices({x, y});
  CHECK(ds.cardinality() == 5);
  auto it = ds.iterator();
  auto e = it.next();
  REQUIRE(e);
  CHECK(e->at(0).shape() == Shape{2});
  CHECK(e->at(0).to_vector() == std::vector<float>{0, 1});
  CHECK(e->at(1).shape() == Shape{});
  CHECK(e->at(1).dtype() == DType::int32);
  CHECK(e->at(1).data<std::int32_t>()[0] == 10);

  auto batched = ds.batch(2);
  CHECK(batched.cardinality() == 3);
  std::vector<Shape> shapes;
  for (const auto& b : batched) shapes.push_back(b[0].shape());
  CHECK(shapes == std::vector<Shape>{{2, 2}, {2, 2}, {1, 2}});
  CHECK(collect(batched) == iota_vec(0, 10));
  CHECK(ds.batch(2, {.drop_remainder = true}).cardinality() == 2);
  CHECK(count(ds.batch(2, {.drop_remainder = true})) == 2);
  CHECK(count(Dataset::from_tensor_slices({range(12)}).batch(4, {.drop_remainder = true})) == 3);
  CHECK(collect(ds.batch(2).unbatch()) == iota_vec(0, 10));

  CHECK_THROWS_AS(Dataset::from_tensor_slices({range(3), range(4)}), ValueError);
  CHECK_THROWS_AS(ds.batch(0), ValueError);
  CHECK(Dataset::from_tensors({range(3)}).cardinality() == 1);
  CHECK(collect(Dataset::from_tensors({range(3)})) == iota_vec(0, 3));
}

TEST_CASE("batch reports ragged elements in tf's words") {
  int calls = 0;
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> {
    if (calls == 2) return std::nullopt;
    return Element{range(++calls + 1)};
  });
  CHECK(ds.cardinality() == datasets::UNKNOWN_CARDINALITY);
  auto it = ds.batch(2).iterator();
  CHECK_THROWS_WITH_AS(it.next(), doctest::Contains("Cannot batch tensors with different shapes in component 0. First "
                                                    "element had shape [2] and element 1 had shape [3]."),
                       ShapeError);
}

TEST_CASE("shuffle: a permutation, reproducible by seed, reshuffled each iteration unless told otherwise") {
  auto base = Dataset::from_tensor_slices({range(50)});
  auto a = base.shuffle(50, {.seed = 7});
  std::vector<float> first = collect(a), second = collect(a);
  std::vector<float> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == iota_vec(0, 50));
  CHECK(first != iota_vec(0, 50));
  CHECK(first != second);  // reshuffle_each_iteration
  CHECK(collect(base.shuffle(50, {.seed = 7})) == first);  // the seed reproduces the order
  CHECK(collect(base.shuffle(50, {.seed = 8})) != first);
  auto fixed = base.shuffle(50, {.seed = 7, .reshuffle_each_iteration = false});
  CHECK(collect(fixed) == collect(fixed));
  // a buffer of 1 is no shuffle at all; a small buffer only moves elements a bounded distance forward
  CHECK(collect(base.shuffle(1, {.seed = 3})) == iota_vec(0, 50));
  std::vector<float> local = collect(base.shuffle(4, {.seed = 3}));
  for (std::size_t i = 0; i < local.size(); ++i) CHECK(local[i] <= static_cast<float>(i + 3));
  // without a seed, set_random_seed makes the order reproducible
  set_random_seed(11);
  auto s1 = collect(base.shuffle(50));
  set_random_seed(11);
  CHECK(collect(base.shuffle(50)) == s1);
  // inside repeat every pass is a new order (tf: a new iterator per repetition)
  auto rep = collect(base.shuffle(50, {.seed = 1}).repeat(2));
  CHECK(std::vector<float>(rep.begin(), rep.begin() + 50) != std::vector<float>(rep.begin() + 50, rep.end()));
}

TEST_CASE("repeat, take and skip compose with tf.data's counts and cardinalities") {
  auto base = Dataset::from_tensor_slices({range(5)});
  CHECK(base.repeat(3).cardinality() == 15);
  CHECK(count(base.repeat(3)) == 15);
  CHECK(base.repeat().cardinality() == datasets::INFINITE_CARDINALITY);
  CHECK(base.repeat().take(12).cardinality() == 12);
  CHECK(collect(base.repeat().take(12)) ==
        std::vector<float>{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1});
  CHECK(collect(base.take(3).repeat(2)) == std::vector<float>{0, 1, 2, 0, 1, 2});
  CHECK(collect(base.skip(3).repeat(2)) == std::vector<float>{3, 4, 3, 4});
  CHECK(collect(base.repeat(2).skip(3)) == std::vector<float>{3, 4, 0, 1, 2, 3, 4});
  CHECK(base.skip(3).cardinality() == 2);
  CHECK(base.skip(9).cardinality() == 0);
  CHECK(count(base.skip(9)) == 0);
  CHECK(base.take(9).cardinality() == 5);
  CHECK(base.take(-1).cardinality() == 5);
  CHECK(base.skip(-1).cardinality() == 0);
  CHECK(base.repeat(0).cardinality() == 0);
  CHECK(count(base.repeat(0)) == 0);
  CHECK(base.batch(2).repeat(2).cardinality() == 6);
  CHECK(base.repeat(2).batch(2).cardinality() == 5);
  CHECK(collect(base.repeat(2).batch(4).take(2)) == std::vector<float>{0, 1, 2, 3, 4, 0, 1, 2});
  CHECK(base.filter([](const Element&) { return true; }).cardinality() == datasets::UNKNOWN_CARDINALITY);
  CHECK(collect(base.filter([](const Element& e) { return static_cast<int>(e[0].item()) % 2 == 0; })) ==
        std::vector<float>{0, 2, 4});
  // an empty input repeated forever ends instead of spinning
  CHECK(count(base.take(0).repeat()) == 0);
}

TEST_CASE("cache replays the first complete iteration without running the pipeline again") {
  std::atomic<int> calls{0};
  auto ds = Dataset::from_tensor_slices({range(6)})
                .map([&](Element e) {
                  ++calls;
                  return e;
                })
                .cache();
  CHECK(ds.cardinality() == 6);
  CHECK(collect(ds) == iota_vec(0, 6));
  CHECK(calls == 6);
  CHECK(collect(ds) == iota_vec(0, 6));
  CHECK(calls == 6);
  // a random map before cache is frozen by it
  auto shuffled = Dataset::from_tensor_slices({range(20)}).shuffle(20, {.seed = 2}).cache();
  CHECK(collect(shuffled) == collect(shuffled));
}

TEST_CASE("map runs in parallel and keeps the input order") {
  std::atomic<int> running{0}, peak{0};
  auto slow = [&](Element e) {
    int now = ++running;
    int p = peak;
    while (now > p && !peak.compare_exchange_weak(p, now)) {
    }
    // later elements finish first: the output must be reordered
    std::this_thread::sleep_for(std::chrono::microseconds(200 * (4 - static_cast<int>(e[0].item()) % 4)));
    --running;
    e[0] = Tensor(Shape{}, std::vector<float>{static_cast<float>(e[0].item()) * 10});
    return e;
  };
  auto ds = Dataset::from_tensor_slices({range(40)}).map(slow, {.num_parallel_calls = 4});
  std::vector<float> expected;
  for (int i = 0; i < 40; ++i) expected.push_back(static_cast<float>(i * 10));
  CHECK(collect(ds) == expected);
  CHECK(peak > 1);
  CHECK(ds.cardinality() == 40);
  CHECK(collect(Dataset::from_tensor_slices({range(40)}).map(slow, {.num_parallel_calls = datasets::AUTOTUNE})) ==
        expected);
}

TEST_CASE("exceptions inside map and generators reach the caller with their type and message") {
  auto failing = [](Element e) {
    if (e[0].item() == 3) throw std::out_of_range("element 3 is bad");
    return e;
  };
  auto base = Dataset::from_tensor_slices({range(8)});
  for (std::int64_t threads : {1, 3}) {
    CAPTURE(threads);
    auto it = base.map(failing, {.num_parallel_calls = threads}).iterator();
    for (int i = 0; i < 3; ++i) CHECK(it.next()->at(0).item() == i);
    CHECK_THROWS_WITH_AS(it.next(), "element 3 is bad", std::out_of_range);
    // behind prefetch and batch too
    auto batched = base.map(failing, {.num_parallel_calls = threads}).batch(2).prefetch(2).iterator();
    CHECK(batched.next());
    CHECK_THROWS_WITH_AS(batched.next(), "element 3 is bad", std::out_of_range);
  }
  auto gen = Dataset::from_generator([n = 0]() mutable -> std::optional<Element> {
    if (n == 2) throw ValueError("generator broke");
    return Element{range(++n)};
  });
  auto it = gen.prefetch(4).iterator();
  CHECK(it.next());
  CHECK(it.next());
  CHECK_THROWS_WITH_AS(it.next(), "generator broke", ValueError);
}

TEST_CASE("prefetch reads ahead on a background thread and stops cleanly mid-stream") {
  std::atomic<int> produced{0};
  auto ds = Dataset::from_tensor_slices({range(100)}).map([&](Element e) {
    ++produced;
    return e;
  });
  CHECK(collect(ds.prefetch(3)) == iota_vec(0, 100));
  produced = 0;
  {
    auto it = ds.prefetch(5).iterator();
    CHECK(it.next());
    // the producer fills the buffer without being asked
    for (int i = 0; i < 200 && produced < 6; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(produced == 6);  // one taken + a full buffer of 5, and no more
  }  // destroyed mid-stream: joins without hanging
  // an infinite pipeline with parallel map and prefetch destroyed mid-stream
  {
    auto it = Dataset::from_tensor_slices({range(10)}).repeat().map([](Element e) { return e; },
                                                                      {.num_parallel_calls = 3}).prefetch(2).iterator();
    for (int i = 0; i < 25; ++i) CHECK(it.next()->at(0).item() == i % 10);
  }
  // from_generator with a factory restarts each iteration
  auto restart = Dataset::from_generator([]() -> Dataset::Generator {
    return [n = 0]() mutable -> std::optional<Element> {
      if (n == 3) return std::nullopt;
      return Element{Tensor(Shape{}, std::vector<float>{static_cast<float>(n++)})};
    };
  });
  CHECK(collect(restart) == iota_vec(0, 3));
  CHECK(collect(restart.prefetch()) == iota_vec(0, 3));
}

namespace {

Tensor ramp(Shape shape, float scale, float offset) {
  Tensor t(shape);
  for (std::int64_t i = 0; i < t.size(); ++i)
    t.data<float>()[i] = scale * static_cast<float>((i * 37) % 101) / 101.0f + offset;
  return t;
}

Sequential small_model() {
  set_random_seed(5);
  Sequential model({Input({4}), layers::Dense(8, {.activation = "tanh"}), layers::Dense(2)});
  model.compile({.optimizer = "adam", .loss = "mse", .metrics = {"mae"}});
  return model;
}

std::vector<float> flat_weights(Model& m) {
  std::vector<float> out;
  for (const auto& w : m.get_weights())
    for (float v : w.values()) out.push_back(v);
  return out;
}

/// Counts batches per epoch.
struct BatchCounter : Callback {
  std::vector<int> per_epoch;
  void on_epoch_begin(int, const Logs&) override { per_epoch.push_back(0); }
  void on_train_batch_end(std::int64_t, const Logs&) override { ++per_epoch.back(); }
};

}  // namespace

TEST_CASE("fit on a Dataset gives exactly the weights of fit on the same tensors without shuffling") {
  Tensor x = ramp({50, 4}, 2, -1), y = ramp({50, 2}, 1, 0);
  Sequential a = small_model();
  auto ha = a.fit(x, y, {.batch_size = 8, .epochs = 3, .verbose = 0, .shuffle = false});
  Sequential b = small_model();
  CHECK(flat_weights(a) != flat_weights(b));
  auto ds = Dataset::from_tensor_slices({x, y}).batch(8).prefetch(2);
  auto hb = b.fit(ds, {.epochs = 3, .verbose = 0});
  CHECK(flat_weights(a) == flat_weights(b));  // exact: same batches, same programs
  CHECK(ha->history.at("loss") == hb->history.at("loss"));
  CHECK(ha->history.at("mae") == hb->history.at("mae"));

  // evaluate and predict agree exactly with the tensor paths
  auto ea = a.evaluate(x, y, {.batch_size = 8, .verbose = 0});
  auto eb = b.evaluate(Dataset::from_tensor_slices({x, y}).batch(8), {.verbose = 0});
  CHECK(ea == eb);
  Tensor pa = a.predict(x, {.batch_size = 8});
  auto pb = b.predict(Dataset::from_tensor_slices({x}).batch(8));
  REQUIRE(pb.size() == 1);
  CHECK(pb[0].shape() == Shape{50, 2});
  CHECK(pa.to_vector() == pb[0].to_vector());
  // predict reads (x, y) elements too, ignoring y
  CHECK(b.predict(Dataset::from_tensor_slices({x, y}).batch(16))[0].to_vector() == pa.to_vector());

  // validation_data as a Dataset matches validation_data as tensors
  Sequential c = small_model(), d = small_model();
  auto hc = c.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .validation_data = std::pair{x, y}, .shuffle = false});
  auto hd = d.fit(ds, {.epochs = 2, .verbose = 0, .validation_data = Dataset::from_tensor_slices({x, y}).batch(8)});
  CHECK(hc->history.at("val_loss") == hd->history.at("val_loss"));
}

TEST_CASE("(x, y, sample_weight) elements weigh fit and evaluate exactly as fit's sample_weight does") {
  Tensor x = ramp({24, 4}, 2, -1), y = ramp({24, 2}, 1, 0), w = ramp({24}, 0.25f, 0);
  Sequential a = small_model(), b = small_model(), c = small_model();
  a.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false, .sample_weight = w});
  b.fit(Dataset::from_tensor_slices({x, y, w}).batch(8), {.epochs = 2, .verbose = 0});
  c.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = false});
  CHECK(flat_weights(a) == flat_weights(b));
  CHECK(flat_weights(a) != flat_weights(c));  // the weights matter
  auto ea = a.evaluate(x, y, {.batch_size = 8, .verbose = 0, .sample_weight = w});
  auto eb = b.evaluate(Dataset::from_tensor_slices({x, y, w}).batch(8), {.verbose = 0});
  CHECK(ea == eb);
  // train_on_batch / test_on_batch take the same weights
  Sequential d = small_model(), e = small_model();
  auto ld = d.train_on_batch(x.slice(0, 8), y.slice(0, 8), w.slice(0, 8));
  auto le = e.fit(x.slice(0, 8), y.slice(0, 8), {.batch_size = 8, .verbose = 0, .shuffle = false,
                                                 .sample_weight = w.slice(0, 8)});
  CHECK(flat_weights(d) == flat_weights(e));
  CHECK(ld.at("loss") == le->history.at("loss")[0]);
  CHECK(d.test_on_batch(x, y, w) == d.evaluate(x, y, {.batch_size = 24, .verbose = 0, .sample_weight = w}));
}

TEST_CASE("fit on a Dataset: Keras's argument errors") {
  Sequential m = small_model();
  auto ds = Dataset::from_tensor_slices({ramp({8, 4}, 1, 0), ramp({8, 2}, 1, 0)}).batch(4);
  CHECK_THROWS_WITH_AS(m.fit(ds, {.batch_size = 4, .verbose = 0}),
                       doctest::Contains("The `batch_size` argument must not be specified for the given input type"),
                       ValueError);
  CHECK_THROWS_WITH_AS(m.fit(ds, {.verbose = 0, .validation_split = 0.2f}),
                       doctest::Contains("`validation_split` is only supported for Tensors"), ValueError);
  CHECK_THROWS_WITH_AS(m.fit(ds.repeat(), {.verbose = 0}),
                       doctest::Contains("When providing an infinite dataset, you must specify the number of steps"),
                       ValueError);
  CHECK_THROWS_WITH_AS(m.fit(Dataset::from_tensor_slices({ramp({8, 4}, 1, 0)}).batch(4), {.verbose = 0}),
                       doctest::Contains("needs (x..., y...[, sample_weight]) elements of 2 tensors"), ValueError);
  CHECK_THROWS_WITH_AS(
      m.fit(Dataset::from_tensor_slices({ramp({8, 4}, 1, 0), ramp({8, 2}, 1, 0), ramp({8}, 1, 0), ramp({8}, 1, 0)})
                .batch(4),
            {.verbose = 0}),
      doctest::Contains("needs (x..., y...[, sample_weight]) elements of 2 tensors"), ValueError);
  CHECK_THROWS_WITH_AS(
      m.fit(Dataset::from_tensor_slices({ramp({8, 4}, 1, 0), ramp({8, 2}, 1, 0), ramp({8, 3}, 1, 0)}).batch(4),
            {.verbose = 0}),
      doctest::Contains("(4, 3) cannot be broadcast"), Error);  // weights of neither (N,) nor the loss's shape
  CHECK_THROWS_AS(m.fit(Dataset::from_tensor_slices({ramp({8, 5}, 1, 0), ramp({8, 2}, 1, 0)}).batch(4), {.verbose = 0}),
                  ShapeError);
  // an exception inside the pipeline reaches fit's caller
  auto broken = Dataset::from_tensor_slices({ramp({8, 4}, 1, 0), ramp({8, 2}, 1, 0)})
                    .map([](Element e) -> Element { throw std::runtime_error("augmentation failed"); })
                    .batch(4)
                    .prefetch(1);
  CHECK_THROWS_WITH_AS(m.fit(broken, {.verbose = 0}), "augmentation failed", std::runtime_error);
}

TEST_CASE("steps_per_epoch: the iterator persists across epochs and running out ends the epoch as Keras 3") {
  Tensor x = ramp({40, 4}, 2, -1), y = ramp({40, 2}, 1, 0);
  auto ten_batches = Dataset::from_tensor_slices({x, y}).batch(4);  // cardinality 10
  {
    Sequential m = small_model();
    auto counter = std::make_shared<BatchCounter>();
    m.fit(ten_batches, {.epochs = 4, .verbose = 0, .callbacks = {counter}, .steps_per_epoch = 4});
    // 4, 4, then the 2 left (Keras warns "Your input ran out of data"), then a fresh pass
    CHECK(counter->per_epoch == std::vector<int>{4, 4, 2, 4});
  }
  {
    // unknown cardinality: the end is found by running out
    Sequential m = small_model();
    auto counter = std::make_shared<BatchCounter>();
    m.fit(ten_batches.filter([](const Element&) { return true; }),
          {.epochs = 4, .verbose = 0, .callbacks = {counter}, .steps_per_epoch = 4});
    CHECK(counter->per_epoch == std::vector<int>{4, 4, 2, 4});
  }
  {
    // an infinite dataset with steps_per_epoch continues where the last epoch stopped: same as tensors in order
    Sequential a = small_model(), b = small_model();
    a.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .shuffle = false});
    auto counter = std::make_shared<BatchCounter>();
    b.fit(ten_batches.repeat(), {.epochs = 4, .verbose = 0, .callbacks = {counter}, .steps_per_epoch = 5});
    CHECK(counter->per_epoch == std::vector<int>{5, 5, 5, 5});
    CHECK(flat_weights(a) == flat_weights(b));
  }
  {
    // without steps_per_epoch every epoch is one full pass, whatever the cardinality
    Sequential m = small_model();
    auto counter = std::make_shared<BatchCounter>();
    m.fit(ten_batches.filter([](const Element&) { return true; }), {.epochs = 2, .verbose = 0, .callbacks = {counter}});
    CHECK(counter->per_epoch == std::vector<int>{10, 10});
  }
  {
    // validation_steps walks on through the validation data across epochs (Keras keeps that iterator)
    Sequential a = small_model();
    auto h = a.fit(ten_batches, {.epochs = 2, .verbose = 0, .validation_data = ten_batches, .validation_steps = 5});
    Sequential b = small_model();
    b.fit(ten_batches, {.epochs = 1, .verbose = 0});
    auto first_half = b.evaluate(ten_batches.take(5), {.verbose = 0});
    CHECK(h->history.at("val_loss")[0] == doctest::Approx(first_half.at("loss")).epsilon(1e-6));
    // evaluate's steps
    auto head = b.evaluate(ten_batches, {.verbose = 0, .steps = 3});
    CHECK(head.at("loss") == doctest::Approx(b.evaluate(ten_batches.take(3), {.verbose = 0}).at("loss")).epsilon(1e-6));
    CHECK(b.predict(ten_batches, {.steps = 2})[0].shape() == Shape{8, 2});
  }
}

TEST_CASE("a Sequential model without an Input builds its graph from the first batch of a Dataset") {
  Tensor x = ramp({20, 4}, 2, -1), y = ramp({20, 2}, 1, 0);
  set_random_seed(9);
  Sequential a({layers::Dense(3, {.activation = "relu"}), layers::Dense(2)});
  a.compile({.optimizer = "sgd", .loss = "mse"});
  a.fit(x, y, {.batch_size = 6, .epochs = 2, .verbose = 0, .shuffle = false});
  set_random_seed(9);
  Sequential b({layers::Dense(3, {.activation = "relu"}), layers::Dense(2)});
  b.compile({.optimizer = "sgd", .loss = "mse"});
  b.fit(Dataset::from_tensor_slices({x, y}).batch(6), {.epochs = 2, .verbose = 0});
  CHECK(flat_weights(a) == flat_weights(b));
}
