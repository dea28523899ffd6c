#include <doctest/doctest.h>

#include <strata/api/errors.hpp>
#include <strata/api/summary_table.hpp>

#include <string>
#include <vector>

// Expected strings were printed by keras 3.15.1 (rich 15.0.0, Python 3.11, jax backend) from real models with
// stdout not a terminal, COLUMNS unset unless the case says otherwise (so Keras's width is min(88 or 108, 80 - 4)).

using strata::SummaryFormat;
using strata::SummaryRow;
using strata::SummaryTable;
using strata::format_summary;

namespace {

SummaryRow row(std::string name, std::string shape, std::int64_t params, std::vector<std::string> connected = {}) {
  SummaryRow r;
  r.name_and_type = std::move(name);
  r.output_shape = std::move(shape);
  r.params = params;
  r.connected_to = std::move(connected);
  return r;
}

// keras.Sequential([keras.Input((32,)), layers.Dense(64, activation="relu"), layers.Dense(10)], name="mlp")
SummaryTable mlp() {
  SummaryTable t;
  t.model_name = "mlp";
  t.rows = {row("dense (Dense)", "(None, 64)", 2112), row("dense_1 (Dense)", "(None, 10)", 650)};
  t.trainable_params = 2762;
  return t;
}

SummaryFormat columns(int terminal_columns, int line_length = -1) {
  SummaryFormat f;
  f.terminal_columns = terminal_columns;
  f.line_length = line_length;
  return f;
}

// Two Inputs, a Dense on each, Concatenate, Dense(1): a functional model, so "Connected to" is shown.
SummaryTable two_input() {
  SummaryTable t;
  t.model_name = "two_input";
  t.sequential_like = false;
  t.rows = {row("features (InputLayer)", "(None, 16)", 0), row("extra (InputLayer)", "(None, 8)", 0),
            row("branch_a (Dense)", "(None, 32)", 544, {"features[0][0]"}),
            row("branch_b (Dense)", "(None, 32)", 288, {"extra[0][0]"}),
            row("merge (Concatenate)", "(None, 64)", 0, {"branch_a[0][0]", "branch_b[0][0]"}),
            row("out (Dense)", "(None, 1)", 65, {"merge[0][0]"})};
  t.trainable_params = 897;
  return t;
}

}  // namespace

TEST_CASE("summary of a Sequential MLP matches Keras") {
  CHECK(format_summary(mlp()) == R"K(Model: "mlp"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 64)             │         2,112 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 2,762 (10.79 KB)
 Trainable params: 2,762 (10.79 KB)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary with a built optimizer adds its parameters to the total") {
  SummaryTable t = mlp();
  t.optimizer_params = 5526;  // Adam: two slots per weight plus iteration and learning rate
  CHECK(format_summary(t) == R"K(Model: "mlp"
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

TEST_CASE("summary of a CNN matches Keras, with a row wrapped and non-trainable parameters") {
  // Conv2D(32, 3, relu), BatchNormalization(), MaxPooling2D(), Conv2D(64, 3, relu), MaxPooling2D(), Flatten(),
  // Dropout(0.5), Dense(10, softmax) on keras.Input((28, 28, 1)).
  SummaryTable t;
  t.model_name = "sequential";
  t.rows = {row("conv2d (Conv2D)", "(None, 26, 26, 32)", 320),
            row("batch_normalization (BatchNormalization)", "(None, 26, 26, 32)", 128),
            row("max_pooling2d (MaxPooling2D)", "(None, 13, 13, 32)", 0),
            row("conv2d_1 (Conv2D)", "(None, 11, 11, 64)", 18496),
            row("max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 64)", 0),
            row("flatten (Flatten)", "(None, 1600)", 0),
            row("dropout (Dropout)", "(None, 1600)", 0),
            row("dense (Dense)", "(None, 10)", 16010)};
  t.trainable_params = 34890;
  t.non_trainable_params = 64;
  CHECK(format_summary(t) == R"K(Model: "sequential"
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

TEST_CASE("summary of a functional two-input model shows Connected to") {
  CHECK(format_summary(two_input()) == R"K(Model: "two_input"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ features            │ (None, 16)        │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ extra (InputLayer)  │ (None, 8)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ branch_a (Dense)    │ (None, 32)        │        544 │ features[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ branch_b (Dense)    │ (None, 32)        │        288 │ extra[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ merge (Concatenate) │ (None, 64)        │          0 │ branch_a[0][0],   │
│                     │                   │            │ branch_b[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out (Dense)         │ (None, 1)         │         65 │ merge[0][0]       │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 897 (3.50 KB)
 Trainable params: 897 (3.50 KB)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary on a 200-column terminal uses Keras's full 108 columns (COLUMNS=200)") {
  CHECK(format_summary(two_input(), columns(200)) == R"K(Model: "two_input"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ features (InputLayer)         │ (None, 16)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ extra (InputLayer)            │ (None, 8)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ branch_a (Dense)              │ (None, 32)                │             544 │ features[0][0]             │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ branch_b (Dense)              │ (None, 32)                │             288 │ extra[0][0]                │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ merge (Concatenate)           │ (None, 64)                │               0 │ branch_a[0][0],            │
│                               │                           │                 │ branch_b[0][0]             │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ out (Dense)                   │ (None, 1)                 │              65 │ merge[0][0]                │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 897 (3.50 KB)
 Trainable params: 897 (3.50 KB)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary on a 60-column terminal narrows the table (COLUMNS=60)") {
  CHECK(format_summary(mlp(), columns(60)) == R"K(Model: "mlp"
┏━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓
┃ Layer (type)           ┃ Output Shape    ┃   Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩
│ dense (Dense)          │ (None, 64)      │     2,112 │
├────────────────────────┼─────────────────┼───────────┤
│ dense_1 (Dense)        │ (None, 10)      │       650 │
└────────────────────────┴─────────────────┴───────────┘
 Total params: 2,762 (10.79 KB)
 Trainable params: 2,762 (10.79 KB)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("cells too long for their column are cut with an ellipsis, each word on its own line") {
  // Input named "input_with_a_rather_long_name_that_overflows", five Dense(4) branches named
  // "dense_branch_number_{i}", Concatenate "concatenate_all_of_the_branches_together_now", Dense(1) "out".
  SummaryTable t;
  t.model_name = "long_names";
  t.sequential_like = false;
  const std::string input = "input_with_a_rather_long_name_that_overflows";
  t.rows.push_back(row(input + " (InputLayer)", "(None, 16)", 0));
  std::vector<std::string> branches;
  for (int i = 0; i < 5; ++i) {
    const std::string name = "dense_branch_number_" + std::to_string(i);
    t.rows.push_back(row(name + " (Dense)", "(None, 4)", 68, {input + "[0][0]"}));
    branches.push_back(name + "[0][0]");
  }
  t.rows.push_back(row("concatenate_all_of_the_branches_together_now (Concatenate)", "(None, 20)", 0, branches));
  t.rows.push_back(row("out (Dense)", "(None, 1)", 21, {"concatenate_all_of_the_branches_together_now[0][0]"}));
  t.trainable_params = 361;
  CHECK(format_summary(t) == R"K(Model: "long_names"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_with_a_rathe… │ (None, 16)        │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_branch_numbe… │ (None, 4)         │         68 │ input_with_a_rat… │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_branch_numbe… │ (None, 4)         │         68 │ input_with_a_rat… │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_branch_numbe… │ (None, 4)         │         68 │ input_with_a_rat… │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_branch_numbe… │ (None, 4)         │         68 │ input_with_a_rat… │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_branch_numbe… │ (None, 4)         │         68 │ input_with_a_rat… │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate_all_of… │ (None, 20)        │          0 │ dense_branch_num… │
│ (Concatenate)       │                   │            │ dense_branch_num… │
│                     │                   │            │ dense_branch_num… │
│                     │                   │            │ dense_branch_num… │
│                     │                   │            │ dense_branch_num… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out (Dense)         │ (None, 1)         │         21 │ concatenate_all_… │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 361 (1.41 KB)
 Trainable params: 361 (1.41 KB)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary of unbuilt layers") {
  // keras.Sequential([layers.Dense(64), layers.Dense(10)], name="lazy") before it is built.
  SummaryTable t;
  t.model_name = "lazy";
  t.rows = {row("dense (Dense)", "?", 0), row("dense_1 (Dense)", "?", 0)};
  for (auto& r : t.rows) r.built = false;
  CHECK(format_summary(t) == R"K(Model: "lazy"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary with show_trainable") {
  // Dense(64) frozen, BatchNormalization(), Dropout(0.1), Dense(10) on keras.Input((32,)).
  SummaryTable t;
  t.show_trainable = true;
  t.model_name = "sequential";
  t.rows = {row("dense (Dense)", "(None, 64)", 2112), row("batch_normalization (BatchNormalization)", "(None, 64)", 256),
            row("dropout (Dropout)", "(None, 64)", 0), row("dense_1 (Dense)", "(None, 10)", 650)};
  t.rows[0].trainable = false;
  t.rows[1].trainable = true;
  t.rows[3].trainable = true;
  t.trainable_params = 778;
  t.non_trainable_params = 2240;
  CHECK(format_summary(t) == R"K(Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ dense (Dense)               │ (None, 64)            │      2,112 │   N   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ batch_normalization         │ (None, 64)            │        256 │   Y   │
│ (BatchNormalization)        │                       │            │       │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ dropout (Dropout)           │ (None, 64)            │          0 │   -   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ dense_1 (Dense)             │ (None, 10)            │        650 │   Y   │
└─────────────────────────────┴───────────────────────┴────────────┴───────┘
 Total params: 3,018 (11.79 KB)
 Trainable params: 778 (3.04 KB)
 Non-trainable params: 2,240 (8.75 KB)
)K");
}

TEST_CASE("summary with an explicit line_length") {
  CHECK(format_summary(mlp(), 40) == R"K(Model: "mlp"
┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃                 ┃ Output     ┃ Param ┃
┃ Layer (type)    ┃ Shape      ┃     # ┃
┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ dense (Dense)   │ (None, 64) │ 2,112 │
├─────────────────┼────────────┼───────┤
│ dense_1 (Dense) │ (None, 10) │   650 │
└─────────────────┴────────────┴───────┘
 Total params: 2,762 (10.79 KB)
 Trainable params: 2,762 (10.79 KB)
 Non-trainable params: 0 (0.00 B)
)K");
  // Wider than the 80-column console: rich crops every line.
  CHECK(format_summary(mlp(), 120) ==       "Model: \"mlp\"\n"
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━\n"
      "┃ Layer (type)                                        ┃ Output Shape            \n"
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━\n"
      "│ dense (Dense)                                       │ (None, 64)              \n"
      "├─────────────────────────────────────────────────────┼─────────────────────────\n"
      "│ dense_1 (Dense)                                     │ (None, 10)              \n"
      "└─────────────────────────────────────────────────────┴─────────────────────────\n"
      " Total params: 2,762 (10.79 KB)\n"
      " Trainable params: 2,762 (10.79 KB)\n"
      " Non-trainable params: 0 (0.00 B)\n");
}

TEST_CASE("summary of a nested model with expand_nested rows") {
  SummaryTable t;
  t.model_name = "outer";
  t.rows = {row("inner (Sequential)", "(None, 4)", 36), row("   └ inner_dense (Dense)", "(None, 4)", 36),
            row("head (Dense)", "(None, 2)", 10)};
  t.trainable_params = 46;
  CHECK(format_summary(t) == R"K(Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ inner (Sequential)              │ (None, 4)              │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│    └ inner_dense (Dense)        │ (None, 4)              │            36 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ head (Dense)                    │ (None, 2)              │            10 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 46 (184.00 B)
 Trainable params: 46 (184.00 B)
 Non-trainable params: 0 (0.00 B)
)K");
}

TEST_CASE("summary memory sizes come from the given bytes") {
  SummaryTable t = mlp();
  t.trainable_bytes = 2762 * 2.0;  // float16 weights
  const std::string s = format_summary(t);
  CHECK(s.find(" Total params: 2,762 (5.39 KB)\n Trainable params: 2,762 (5.39 KB)\n") != std::string::npos);
}

TEST_CASE("summary raises Keras's error when a column would be narrower than 4") {
  CHECK_THROWS_WITH_AS(format_summary(mlp(), 8), "Insufficient console width to print summary.", strata::ValueError);
  CHECK_THROWS_AS(format_summary(two_input(), columns(12)), strata::ValueError);
  SummaryFormat f;
  f.positions = {0.5, 1.0};  // two positions for three columns
  CHECK_THROWS_AS(format_summary(mlp(), f), strata::ValueError);
}

TEST_CASE("thousands separators and memory sizes as Keras writes them") {
  CHECK(strata::format_thousands(0) == "0");
  CHECK(strata::format_thousands(999) == "999");
  CHECK(strata::format_thousands(1000) == "1,000");
  CHECK(strata::format_thousands(-1234567) == "-1,234,567");
  CHECK(strata::format_thousands(138357544) == "138,357,544");
  CHECK(strata::readable_memory_size(0) == "0.00 B");
  CHECK(strata::readable_memory_size(1023) == "1023.00 B");
  CHECK(strata::readable_memory_size(1024) == "1.00 KB");
  CHECK(strata::readable_memory_size(11048) == "10.79 KB");
  CHECK(strata::readable_memory_size(138357544.0 * 4) == "527.79 MB");
  // Keras divides once more past PB: 3 EiB prints as "3.00 PB" there too.
  CHECK(strata::readable_memory_size(3.0 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024) == "3.00 PB");
}
