#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <strata/api/tensor.hpp>

namespace strata::datasets {

/// One element of a Dataset: a tuple of tensors. fit() reads it as (x..., y...) or (x..., y..., sample_weight...)
/// with one tensor per model input and output; predict() as (x...).
using Element = std::vector<Tensor>;

/// tf.data's cardinality codes.
inline constexpr std::int64_t INFINITE_CARDINALITY = -1;
inline constexpr std::int64_t UNKNOWN_CARDINALITY = -2;
/// tf.data.AUTOTUNE: prefetch picks a small buffer, map one thread per core.
inline constexpr std::int64_t AUTOTUNE = -1;

/// A pull-based iterator over a Dataset's elements; next() returns nullopt at the end. Destroying it mid-stream
/// stops its background threads (prefetch, parallel map). Exceptions thrown by a map function or a generator
/// reach the caller of next() with their type and message.
class Iterator {
 public:
  class Impl {
   public:
    virtual ~Impl() = default;
    virtual std::optional<Element> next() = 0;
  };
  explicit Iterator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::optional<Element> next() { return impl_->next(); }

 private:
  std::unique_ptr<Impl> impl_;
};

struct MapOptions {
  /// Elements computed at once on their own threads (tf's num_parallel_calls); 1 runs the function in the
  /// caller's thread. Output order always follows input order.
  std::int64_t num_parallel_calls = 1;
};

struct BatchOptions {
  bool drop_remainder = false;
};

struct ShuffleOptions {
  /// Seed of the shuffle order; unset: drawn from strata::set_random_seed's generator when shuffle() is called.
  std::optional<std::uint64_t> seed;
  /// Each new iteration (each epoch, each repeat) gets a new order, as tf.data's default.
  bool reshuffle_each_iteration = true;
};

/// tf.data.Dataset: an immutable, lazily evaluated pipeline. Transformations return new Datasets that share their
/// input; iterating (iterator(), range-for) runs the pipeline. Copying a Dataset is cheap (a handle).
class Dataset {
 public:
  using Generator = std::function<std::optional<Element>()>;
  using MapFn = std::function<Element(Element)>;
  using Predicate = std::function<bool(const Element&)>;

  /// The plan node behind a Dataset (one per transformation).
  class Node {
   public:
    virtual ~Node() = default;
    virtual std::unique_ptr<Iterator::Impl> iterate() const = 0;
    virtual std::int64_t cardinality() const = 0;
  };

  /// One element: the tensors as they are.
  static Dataset from_tensors(Element tensors);
  /// One element per row of axis 0 of every tensor (all must have the same number of rows).
  static Dataset from_tensor_slices(Element tensors);
  /// Elements from `next` until it returns nullopt. A second iteration continues the same function; pass a
  /// factory (below) to restart from the beginning on each iteration, as tf's from_generator does.
  static Dataset from_generator(Generator next);
  /// `make_generator` is called at the start of every iteration for a fresh generator.
  static Dataset from_generator(std::function<Generator()> make_generator);

  Dataset map(MapFn fn, MapOptions options = {}) const;
  /// Elements of `size` consecutive input elements stacked along a new axis 0; the last batch is smaller unless
  /// drop_remainder. ShapeError if elements of one batch differ in shape.
  Dataset batch(std::int64_t size, BatchOptions options = {}) const;
  /// Splits every element along axis 0 (the inverse of batch).
  Dataset unbatch() const;
  /// tf.data's buffered shuffle: each output is drawn uniformly from a buffer of `buffer_size` elements.
  Dataset shuffle(std::int64_t buffer_size, ShuffleOptions options = {}) const;
  /// The input `count` times; -1: forever.
  Dataset repeat(std::int64_t count = -1) const;
  Dataset take(std::int64_t count) const;
  Dataset skip(std::int64_t count) const;
  Dataset filter(Predicate predicate) const;
  /// Keeps the elements of the first complete iteration in memory and replays them afterwards.
  Dataset cache() const;
  /// Computes up to `buffer_size` elements ahead on a background thread (AUTOTUNE: 2).
  Dataset prefetch(std::int64_t buffer_size = AUTOTUNE) const;

  /// Number of elements; INFINITE_CARDINALITY (-1) or UNKNOWN_CARDINALITY (-2) as tf.data.
  std::int64_t cardinality() const { return node_->cardinality(); }
  Iterator iterator() const { return Iterator(node_->iterate()); }

  /// Range-for support: `for (const Element& e : dataset)`.
  class InputIterator {
   public:
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    InputIterator() = default;
    explicit InputIterator(std::shared_ptr<Iterator> it) : it_(std::move(it)) { advance(); }
    const Element& operator*() const { return *current_; }
    const Element* operator->() const { return &*current_; }
    InputIterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    bool operator==(std::default_sentinel_t) const { return !current_; }

   private:
    void advance() { current_ = it_->next(); }
    std::shared_ptr<Iterator> it_;
    std::optional<Element> current_;
  };
  InputIterator begin() const { return InputIterator(std::make_shared<Iterator>(iterator())); }
  std::default_sentinel_t end() const { return {}; }

  explicit Dataset(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  const std::shared_ptr<const Node>& node() const { return node_; }

 private:
  std::shared_ptr<const Node> node_;
};

}  // namespace strata::datasets
