#pragma once
#include <memory>
#include <string>
#include <vector>

#include <strata/api/dtype.hpp>

namespace strata {

class Layer;
struct Node;

/// A symbolic stand-in for a tensor in a layer graph (Keras's KerasTensor): its shape, with -1 (None) for
/// unknown dims such as the batch, its dtype, and the Node that produced it. Nothing is computed.
class SymbolicTensor {
 public:
  SymbolicTensor() = default;
  SymbolicTensor(std::shared_ptr<Node> node, int index);
  const Shape& shape() const;
  DType dtype() const;
  const std::shared_ptr<Node>& node() const { return node_; }
  int index() const { return index_; }
  /// The layer that produced it (an InputLayer for model inputs).
  Layer& layer() const;
  bool valid() const { return node_ != nullptr; }
  bool operator==(const SymbolicTensor& other) const { return node_ == other.node_ && index_ == other.index_; }

 private:
  std::shared_ptr<Node> node_;
  int index_ = 0;
};

/// One call of a layer on symbolic tensors (Keras's Node).
struct Node {
  std::shared_ptr<Layer> layer;
  std::vector<SymbolicTensor> inputs;
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
  int index = 0;  // the layer's n-th call: "dense[1][0]" in a summary's Connected to
};

struct InputOptions {
  std::int64_t batch_size = -1;  // -1: unknown (None)
  DType dtype = DType::float32;
  std::string name;
};

/// A model input of per-sample `shape` (without the batch dimension), as keras.Input.
SymbolicTensor Input(Shape shape, InputOptions options = {});

}  // namespace strata
