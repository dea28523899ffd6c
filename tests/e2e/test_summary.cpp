// model.summary() of real strata models against the text Keras 3.15.1 prints for the same models
// (captured in tests/unit/test_summary_table.cpp's generator, stdout not a terminal).
#include <doctest/doctest.h>

#include <cstdlib>

#include <strata/strata.hpp>

using namespace strata;

TEST_CASE("summary of a CNN model equals Keras's") {
  ::unsetenv("COLUMNS");
  Sequential model({Input({28, 28, 1}), layers::Conv2D(32, 3, {.activation = "relu", .name = "conv2d"}),
                    layers::BatchNormalization({.name = "batch_normalization"}),
                    layers::MaxPooling2D(2, {.name = "max_pooling2d"}),
                    layers::Conv2D(64, 3, {.activation = "relu", .name = "conv2d_1"}),
                    layers::MaxPooling2D(2, {.name = "max_pooling2d_1"}), layers::Flatten({.name = "flatten"}),
                    layers::Dropout(0.5, {.name = "dropout"}),
                    layers::Dense(10, {.activation = "softmax", .name = "dense"})},
                   "sequential");
  CHECK(model.summary_string() == R"K(Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 26, 26, 32)     │           128 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flatten (Flatten)               │ (None, 1600)           │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 1600)           │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 10)             │        16,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 34,954 (136.54 KB)
 Trainable params: 34,890 (136.29 KB)
 Non-trainable params: 64 (256.00 B)
)K");
}

TEST_CASE("summary after training counts the optimizer's variables as Keras does") {
  ::unsetenv("COLUMNS");
  Sequential model({Input({32}), layers::Dense(64, {.activation = "relu", .name = "dense"}),
                    layers::Dense(10, {.name = "dense_1"})},
                   "mlp");
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.train_on_batch(Tensor({4, 32}), Tensor({4, 10}));
  CHECK(model.summary_string() == R"K(Model: "mlp"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 64)             │         2,112 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 8,288 (32.38 KB)
 Trainable params: 2,762 (10.79 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 5,526 (21.59 KB)
)K");
}

TEST_CASE("the optimizer's bytes count the iteration counter as Keras's JAX backend stores it (int32)") {
  ::unsetenv("COLUMNS");
  // Keras 3.15.1 (jax) prints "Optimizer params: 18 (72.00 B)" for this model after one step
  Sequential model({Input({3}), layers::Dense(2, {.name = "dense"})}, "sequential");
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.train_on_batch(Tensor({4, 3}), Tensor({4, 2}));
  const std::string s = model.summary_string();
  CHECK(s.find(" Total params: 26 (104.00 B)\n") != std::string::npos);
  CHECK(s.find(" Optimizer params: 18 (72.00 B)\n") != std::string::npos);
}
