#include <strata/datasets/dataset.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <strata/api/random.hpp>
#include <strata/backends/ops/random.hpp>

namespace strata::datasets {

namespace {

using Impl = Iterator::Impl;
using NodePtr = std::shared_ptr<const Dataset::Node>;

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

/// Row `i` of `t` along axis 0, as a tensor of the remaining dims.
Tensor row_of(const Tensor& t, std::int64_t i) {
  Shape s(t.shape().begin() + 1, t.shape().end());
  std::size_t row = t.shape()[0] ? t.nbytes() / static_cast<std::size_t>(t.shape()[0]) : 0;
  return Tensor::from_data(std::move(s), t.dtype(), static_cast<const std::byte*>(t.raw()) + i * row);
}

/// Stacks elements component-wise along a new axis 0 (tf's batch).
Element stack(const std::vector<Element>& elements) {
  const Element& first = elements.front();
  Element out;
  out.reserve(first.size());
  for (std::size_t c = 0; c < first.size(); ++c) {
    const Tensor& t0 = first[c];
    for (std::size_t i = 1; i < elements.size(); ++i) {
      if (elements[i].size() != first.size())
        throw ValueError("Dataset.batch: element " + std::to_string(i) + " has " + std::to_string(elements[i].size()) +
                         " components, the first has " + std::to_string(first.size()));
      const Tensor& t = elements[i][c];
      if (t.shape() != t0.shape() || t.dtype() != t0.dtype())
        throw ShapeError("Cannot batch tensors with different shapes in component " + std::to_string(c) +
                         ". First element had shape " + shape_str(t0.shape()) + " and element " + std::to_string(i) +
                         " had shape " + shape_str(t.shape()) + ".");
    }
    Shape s{static_cast<std::int64_t>(elements.size())};
    s.insert(s.end(), t0.shape().begin(), t0.shape().end());
    Tensor b(std::move(s), t0.dtype());
    auto* dst = static_cast<std::byte*>(b.raw());
    for (std::size_t i = 0; i < elements.size(); ++i)
      std::memcpy(dst + i * t0.nbytes(), elements[i][c].raw(), t0.nbytes());
    out.push_back(std::move(b));
  }
  return out;
}

/// An iterator over a node chain built from a lambda (the simple, single-threaded transformations).
template <class F>
class FnImpl : public Impl {
 public:
  explicit FnImpl(F f) : f_(std::move(f)) {}
  std::optional<Element> next() override { return f_(); }

 private:
  F f_;
};
template <class F>
std::unique_ptr<Impl> make_impl(F f) {
  return std::make_unique<FnImpl<F>>(std::move(f));
}

template <class F>
class FnNode : public Dataset::Node {
 public:
  FnNode(F iterate, std::int64_t cardinality) : iterate_(std::move(iterate)), cardinality_(cardinality) {}
  std::unique_ptr<Impl> iterate() const override { return iterate_(); }
  std::int64_t cardinality() const override { return cardinality_; }

 private:
  F iterate_;
  std::int64_t cardinality_;
};
template <class F>
Dataset make_dataset(F iterate, std::int64_t cardinality) {
  return Dataset(std::make_shared<FnNode<F>>(std::move(iterate), cardinality));
}

void check_positive(const char* what, std::int64_t v) {
  if (v < 1) throw ValueError(std::string("Dataset.") + what + " must be a positive integer, got " + std::to_string(v));
}

// ---- parallel map: workers pull inputs in turn (numbered in pull order) and the consumer takes results in number
// order, so the output order is the input order whatever the thread timing.
class ParallelMapImpl : public Impl {
 public:
  ParallelMapImpl(std::unique_ptr<Impl> input, Dataset::MapFn fn, std::int64_t threads)
      : input_(std::move(input)), fn_(std::move(fn)), window_(2 * threads) {
    for (std::int64_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ParallelMapImpl() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  std::optional<Element> next() override {
    std::unique_lock lock(mutex_);
    ready_cv_.wait(lock, [&] { return next_out_ >= end_ || results_.count(next_out_); });
    if (next_out_ >= end_) return std::nullopt;
    auto node = results_.extract(next_out_++);
    work_cv_.notify_all();
    if (node.mapped().error) std::rethrow_exception(node.mapped().error);
    return std::move(node.mapped().value);
  }

 private:
  struct Result {
    std::optional<Element> value;
    std::exception_ptr error;
  };

  void work() {
    for (;;) {
      std::int64_t seq;
      Result r;
      std::optional<Element> input;
      {
        // one worker pulls at a time; the number is taken under the same lock so pull order = number order
        std::unique_lock pull(input_mutex_);
        std::unique_lock lock(mutex_);
        work_cv_.wait(lock, [&] { return stop_ || (!input_done_ && next_in_ < next_out_ + window_); });
        if (stop_) return;
        seq = next_in_++;
        lock.unlock();
        try {
          input = input_->next();
        } catch (...) {
          r.error = std::current_exception();
        }
        lock.lock();
        if (r.error || !input) {
          input_done_ = true;
          end_ = r.error ? seq + 1 : seq;
          if (r.error) results_[seq] = std::move(r);
          ready_cv_.notify_all();
          continue;
        }
      }
      try {
        r.value = fn_(std::move(*input));
      } catch (...) {
        r.error = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      results_[seq] = std::move(r);
      ready_cv_.notify_all();
    }
  }

  std::unique_ptr<Impl> input_;
  Dataset::MapFn fn_;
  const std::int64_t window_;  // results computed ahead of the consumer, at most
  std::mutex input_mutex_, mutex_;
  std::condition_variable work_cv_, ready_cv_;
  std::int64_t next_in_ = 0, next_out_ = 0, end_ = INT64_MAX;
  bool input_done_ = false, stop_ = false;
  std::map<std::int64_t, Result> results_;
  std::vector<std::thread> workers_;
};

// ---- prefetch: one producer thread fills a bounded queue.
class PrefetchImpl : public Impl {
 public:
  PrefetchImpl(std::unique_ptr<Impl> input, std::size_t capacity)
      : input_(std::move(input)), capacity_(capacity), producer_([this] { produce(); }) {}
  ~PrefetchImpl() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    space_cv_.notify_all();
    producer_.join();
  }

  std::optional<Element> next() override {
    std::unique_lock lock(mutex_);
    data_cv_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
      Element e = std::move(queue_.front());
      queue_.pop_front();
      space_cv_.notify_one();
      return e;
    }
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return std::nullopt;
  }

 private:
  void produce() {
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        space_cv_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
        if (stop_) return;
      }
      std::optional<Element> e;
      std::exception_ptr error;
      try {
        e = input_->next();
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      if (e) {
        queue_.push_back(std::move(*e));
      } else {
        error_ = error;
        done_ = true;
      }
      data_cv_.notify_one();
      if (done_) return;
    }
  }

  std::unique_ptr<Impl> input_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable space_cv_, data_cv_;
  std::deque<Element> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread producer_;  // last: starts once the members above exist
};

// ---- shuffle (tf's algorithm): fill a buffer, emit a uniformly drawn slot, refill that slot from the input.
class ShuffleNode : public Dataset::Node {
 public:
  ShuffleNode(NodePtr input, std::int64_t buffer, std::uint64_t seed, bool reshuffle)
      : input_(std::move(input)), buffer_(buffer), seed_(seed), reshuffle_(reshuffle) {}
  std::int64_t cardinality() const override { return input_->cardinality(); }
  std::unique_ptr<Impl> iterate() const override {
    std::uint64_t iteration = reshuffle_ ? iterations_.fetch_add(1) : 0;
    std::uint64_t key = random::stream_key(seed_, iteration);
    return make_impl([input = input_->iterate(), buffer = std::vector<Element>(), capacity = buffer_, key,
                      counter = std::uint64_t{0}, input_done = false]() mutable -> std::optional<Element> {
      while (!input_done && static_cast<std::int64_t>(buffer.size()) < capacity) {
        auto e = input->next();
        if (!e) {
          input_done = true;
          break;
        }
        buffer.push_back(std::move(*e));
      }
      if (buffer.empty()) return std::nullopt;
      std::size_t i = random::mix64(key + (counter++) * 0xD1B54A32D192ED03ull) % buffer.size();
      Element out = std::move(buffer[i]);
      if (i + 1 != buffer.size()) buffer[i] = std::move(buffer.back());
      buffer.pop_back();
      return out;
    });
  }

 private:
  NodePtr input_;
  std::int64_t buffer_;
  std::uint64_t seed_;
  bool reshuffle_;
  mutable std::atomic<std::uint64_t> iterations_{0};
};

// ---- cache: the first complete iteration's elements, replayed afterwards.
class CacheNode : public Dataset::Node, public std::enable_shared_from_this<CacheNode> {
 public:
  explicit CacheNode(NodePtr input) : input_(std::move(input)) {}
  std::int64_t cardinality() const override { return input_->cardinality(); }
  std::unique_ptr<Impl> iterate() const override {
    std::shared_ptr<const std::vector<Element>> cached;
    {
      std::lock_guard lock(mutex_);
      cached = cached_;
    }
    if (cached)
      return make_impl([cached, i = std::size_t{0}]() mutable -> std::optional<Element> {
        if (i >= cached->size()) return std::nullopt;
        return (*cached)[i++];
      });
    return make_impl([self = shared_from_this(), input = input_->iterate(), filling = std::make_shared<std::vector<Element>>()]() mutable
                     -> std::optional<Element> {
      if (!input) return std::nullopt;
      auto e = input->next();
      if (e) {
        filling->push_back(*e);
        return e;
      }
      input.reset();
      std::lock_guard lock(self->mutex_);
      if (!self->cached_) self->cached_ = std::move(filling);
      return std::nullopt;
    });
  }

 private:
  NodePtr input_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const std::vector<Element>> cached_;
};

std::int64_t batched_cardinality(std::int64_t n, std::int64_t size, bool drop) {
  if (n < 0) return n;
  return drop ? n / size : (n + size - 1) / size;
}

}  // namespace

Dataset Dataset::from_tensors(Element tensors) {
  auto shared = std::make_shared<const Element>(std::move(tensors));
  return make_dataset(
      [shared] {
        return make_impl([shared, done = false]() mutable -> std::optional<Element> {
          if (done) return std::nullopt;
          done = true;
          return *shared;
        });
      },
      1);
}

Dataset Dataset::from_tensor_slices(Element tensors) {
  if (tensors.empty()) throw ValueError("Dataset.from_tensor_slices: no tensors given");
  std::int64_t n = -1;
  std::string sizes;
  bool ambiguous = false;
  for (const auto& t : tensors) {
    if (t.ndim() == 0) throw ValueError("Dataset.from_tensor_slices: cannot slice a scalar (rank-0) tensor");
    sizes += (sizes.empty() ? "" : ", ") + std::to_string(t.shape()[0]);
    if (n >= 0 && t.shape()[0] != n) ambiguous = true;
    n = t.shape()[0];
  }
  if (ambiguous)
    throw ValueError("Dataset.from_tensor_slices: dimension 0 in all tensors must be equal, got sizes " + sizes);
  auto shared = std::make_shared<const Element>(std::move(tensors));
  return make_dataset(
      [shared, n] {
        return make_impl([shared, n, i = std::int64_t{0}]() mutable -> std::optional<Element> {
          if (i >= n) return std::nullopt;
          Element e;
          e.reserve(shared->size());
          for (const auto& t : *shared) e.push_back(row_of(t, i));
          ++i;
          return e;
        });
      },
      n);
}

Dataset Dataset::from_generator(Generator next) {
  auto shared = std::make_shared<Generator>(std::move(next));
  return make_dataset([shared] { return make_impl([shared] { return (*shared)(); }); }, UNKNOWN_CARDINALITY);
}

Dataset Dataset::from_generator(std::function<Generator()> make_generator) {
  return make_dataset([make_generator] { return make_impl([next = make_generator()] { return next(); }); },
                      UNKNOWN_CARDINALITY);
}

Dataset Dataset::map(MapFn fn, MapOptions options) const {
  std::int64_t threads = options.num_parallel_calls;
  if (threads == AUTOTUNE) threads = std::max<std::int64_t>(1, std::thread::hardware_concurrency());
  check_positive("map: num_parallel_calls", threads);
  return make_dataset(
      [input = node_, fn = std::move(fn), threads]() -> std::unique_ptr<Impl> {
        if (threads == 1)
          return make_impl([in = input->iterate(), fn]() -> std::optional<Element> {
            auto e = in->next();
            if (!e) return std::nullopt;
            return fn(std::move(*e));
          });
        return std::make_unique<ParallelMapImpl>(input->iterate(), fn, threads);
      },
      node_->cardinality());
}

Dataset Dataset::batch(std::int64_t size, BatchOptions options) const {
  check_positive("batch: batch_size", size);
  return make_dataset(
      [input = node_, size, drop = options.drop_remainder] {
        return make_impl([in = input->iterate(), size, drop,
                          pending = std::vector<Element>()]() mutable -> std::optional<Element> {
          pending.clear();
          while (static_cast<std::int64_t>(pending.size()) < size) {
            auto e = in->next();
            if (!e) break;
            pending.push_back(std::move(*e));
          }
          if (pending.empty() || (drop && static_cast<std::int64_t>(pending.size()) < size)) return std::nullopt;
          return stack(pending);
        });
      },
      batched_cardinality(node_->cardinality(), size, options.drop_remainder));
}

Dataset Dataset::unbatch() const {
  return make_dataset(
      [input = node_] {
        return make_impl([in = input->iterate(), current = Element(), row = std::int64_t{0},
                          rows = std::int64_t{0}]() mutable -> std::optional<Element> {
          while (row >= rows) {
            auto e = in->next();
            if (!e) return std::nullopt;
            current = std::move(*e);
            row = 0;
            rows = -1;
            for (const auto& t : current) {
              if (t.ndim() == 0) throw ValueError("Dataset.unbatch: an element has a scalar component");
              if (rows >= 0 && t.shape()[0] != rows)
                throw ValueError("Dataset.unbatch: the components of an element differ in their first dimension (" +
                                 std::to_string(rows) + " vs " + std::to_string(t.shape()[0]) + ")");
              rows = t.shape()[0];
            }
            if (rows < 0) rows = 0;
          }
          Element out;
          for (const auto& t : current) out.push_back(row_of(t, row));
          ++row;
          return out;
        });
      },
      UNKNOWN_CARDINALITY);
}

Dataset Dataset::shuffle(std::int64_t buffer_size, ShuffleOptions options) const {
  check_positive("shuffle: buffer_size", buffer_size);
  std::uint64_t seed = options.seed ? *options.seed : next_seed();
  return Dataset(std::make_shared<ShuffleNode>(node_, buffer_size, seed, options.reshuffle_each_iteration));
}

Dataset Dataset::repeat(std::int64_t count) const {
  if (count < -1) throw ValueError("Dataset.repeat: count must be >= -1, got " + std::to_string(count));
  std::int64_t n = node_->cardinality();
  std::int64_t card = n == 0 || count == 0 ? 0 : count == -1 ? (n == UNKNOWN_CARDINALITY ? n : INFINITE_CARDINALITY)
                                           : n < 0 ? n : n * count;
  return make_dataset(
      [input = node_, count] {
        return make_impl([input, count, in = std::unique_ptr<Impl>(), done = std::int64_t{0},
                          produced = false]() mutable -> std::optional<Element> {
          while (count < 0 || done < count) {
            if (!in) {
              in = input->iterate();
              produced = false;
            }
            if (auto e = in->next()) {
              produced = true;
              return e;
            }
            in.reset();
            ++done;
            if (!produced) return std::nullopt;  // an empty input repeated forever is still empty
          }
          return std::nullopt;
        });
      },
      card);
}

Dataset Dataset::take(std::int64_t count) const {
  if (count < -1) throw ValueError("Dataset.take: count must be >= -1, got " + std::to_string(count));
  std::int64_t n = node_->cardinality();
  std::int64_t card = count == -1                 ? n
                      : n == UNKNOWN_CARDINALITY  ? n
                      : n == INFINITE_CARDINALITY ? count
                                                  : std::min(n, count);
  return make_dataset(
      [input = node_, count] {
        return make_impl([in = input->iterate(), count, i = std::int64_t{0}]() mutable -> std::optional<Element> {
          if (count >= 0 && i >= count) return std::nullopt;
          ++i;
          return in->next();
        });
      },
      card);
}

Dataset Dataset::skip(std::int64_t count) const {
  if (count < -1) throw ValueError("Dataset.skip: count must be >= -1, got " + std::to_string(count));
  std::int64_t n = node_->cardinality();
  std::int64_t card = n < 0 ? n : count == -1 ? 0 : std::max<std::int64_t>(0, n - count);
  return make_dataset(
      [input = node_, count] {
        return make_impl([in = input->iterate(), count, skipped = false]() mutable -> std::optional<Element> {
          if (!skipped) {
            skipped = true;
            for (std::int64_t i = 0; count < 0 || i < count; ++i)
              if (!in->next()) return std::nullopt;
          }
          return in->next();
        });
      },
      card);
}

Dataset Dataset::filter(Predicate predicate) const {
  return make_dataset(
      [input = node_, predicate] {
        return make_impl([in = input->iterate(), predicate]() -> std::optional<Element> {
          while (auto e = in->next())
            if (predicate(*e)) return e;
          return std::nullopt;
        });
      },
      node_->cardinality() == INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
}

Dataset Dataset::cache() const { return Dataset(std::make_shared<CacheNode>(node_)); }

Dataset Dataset::prefetch(std::int64_t buffer_size) const {
  if (buffer_size == AUTOTUNE) buffer_size = 2;
  check_positive("prefetch: buffer_size", buffer_size);
  return make_dataset(
      [input = node_, buffer_size]() -> std::unique_ptr<Impl> {
        return std::make_unique<PrefetchImpl>(input->iterate(), static_cast<std::size_t>(buffer_size));
      },
      node_->cardinality());
}

}  // namespace strata::datasets
