#pragma once
#include <array>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/errors.hpp>

namespace strata::layers {

/// Keras's cropping / padding arguments: `1` (every side), `{1, 2}` (per dim symmetric; for 1-D layers
/// (begin, end)) or `{{1, 2}, {3, 4}}` ((begin, end) per dim).
class PaddingSpec {
 public:
  PaddingSpec() = default;
  PaddingSpec(int value) : flat_{value}, form_(Form::scalar) {}
  PaddingSpec(std::initializer_list<int> values) : flat_(values), form_(Form::flat) {}
  PaddingSpec(std::initializer_list<std::pair<int, int>> pairs) : form_(Form::pairs) {
    for (auto [a, b] : pairs) pairs_.push_back({a, b});
  }
  /// From a config value: an int, a list of ints, or a list of [begin, end] lists.
  static PaddingSpec from_json(const nlohmann::json& j, const std::string& where, const std::string& arg);

  /// (begin, end) per dim; ValueError naming `arg` and the value when the form or a sign is wrong.
  std::vector<std::array<std::int64_t, 2>> resolve(std::size_t rank, const std::string& where,
                                                   const std::string& arg) const;
  /// Keras's printed form: "1", "(1, 2)", "((1, 2), (3, 4))".
  std::string str() const;

 private:
  enum class Form { scalar, flat, pairs };
  std::vector<int> flat_;
  std::vector<std::array<int, 2>> pairs_;
  Form form_ = Form::scalar;
};

/// (begin, end) pairs as Keras's config writes them: [b, e] for one dim, [[b, e], ...] for several.
nlohmann::json pairs_json(const std::vector<std::array<std::int64_t, 2>>& pairs, bool single);
std::string pairs_str(const std::vector<std::array<std::int64_t, 2>>& pairs, bool single);

}  // namespace strata::layers
