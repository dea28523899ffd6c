#include <strata/layers/reshaping/padding_spec.hpp>

namespace strata::layers {

PaddingSpec PaddingSpec::from_json(const nlohmann::json& j, const std::string& where, const std::string& arg) {
  PaddingSpec p;
  if (j.is_number_integer()) return PaddingSpec(j.get<int>());
  if (!j.is_array()) throw FileFormatError(where + "`" + arg + "` must be an int or a list, got " + j.dump());
  bool nested = !j.empty() && j[0].is_array();
  p.form_ = nested ? Form::pairs : Form::flat;
  for (const auto& e : j) {
    if (nested) {
      if (!e.is_array() || e.size() != 2 || !e[0].is_number_integer() || !e[1].is_number_integer())
        throw FileFormatError(where + "`" + arg + "` must hold [begin, end] pairs of ints, got " + j.dump());
      p.pairs_.push_back({e[0].get<int>(), e[1].get<int>()});
    } else {
      if (!e.is_number_integer()) throw FileFormatError(where + "`" + arg + "` must hold ints, got " + j.dump());
      p.flat_.push_back(e.get<int>());
    }
  }
  return p;
}

std::vector<std::array<std::int64_t, 2>> PaddingSpec::resolve(std::size_t rank, const std::string& where,
                                                              const std::string& arg) const {
  std::vector<std::array<std::int64_t, 2>> out;
  auto shape_error = [&] {
    std::string expected = rank == 1 ? "an int or a tuple of 2 integers (begin, end)"
                                     : "an int, a tuple of " + std::to_string(rank) + " ints, or a tuple of " +
                                           std::to_string(rank) + " tuples of 2 ints ((begin, end) per dim)";
    return ValueError(where + "`" + arg + "` should be " + expected + ". Received: " + arg + "=" + str());
  };
  switch (form_) {
    case Form::scalar: out.assign(rank, {flat_.at(0), flat_.at(0)}); break;
    case Form::flat:
      if (rank == 1 && flat_.size() == 2) out.push_back({flat_[0], flat_[1]});
      else if (rank > 1 && flat_.size() == rank)
        for (int v : flat_) out.push_back({v, v});
      else throw shape_error();
      break;
    case Form::pairs:
      if (pairs_.size() != rank) throw shape_error();
      for (auto [a, b] : pairs_) out.push_back({a, b});
      break;
  }
  for (auto& p : out)
    if (p[0] < 0 || p[1] < 0) throw ValueError(where + "`" + arg + "` cannot be negative. Received: " + arg + "=" + str() + ".");
  return out;
}

std::string PaddingSpec::str() const {
  auto tuple = [](const std::vector<int>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
  };
  if (form_ == Form::scalar) return std::to_string(flat_.at(0));
  if (form_ == Form::flat) return tuple(flat_);
  std::string s = "(";
  for (std::size_t i = 0; i < pairs_.size(); ++i) s += (i ? ", " : "") + tuple({pairs_[i][0], pairs_[i][1]});
  return s + (pairs_.size() == 1 ? ",)" : ")");
}

nlohmann::json pairs_json(const std::vector<std::array<std::int64_t, 2>>& pairs, bool single) {
  if (single) return nlohmann::json::array({pairs.at(0)[0], pairs.at(0)[1]});
  nlohmann::json j = nlohmann::json::array();
  for (auto& p : pairs) j.push_back({p[0], p[1]});
  return j;
}

std::string pairs_str(const std::vector<std::array<std::int64_t, 2>>& pairs, bool single) {
  auto one = [](const std::array<std::int64_t, 2>& p) {
    return "(" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
  };
  if (single) return one(pairs.at(0));
  std::string s = "(";
  for (std::size_t i = 0; i < pairs.size(); ++i) s += (i ? ", " : "") + one(pairs[i]);
  return s + ")";
}

}  // namespace strata::layers
