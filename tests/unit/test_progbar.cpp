#include <doctest/doctest.h>

#include <strata/api/training/progbar.hpp>

#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// Expected strings below were produced by keras 3.15.1 (keras.utils.Progbar, Python 3.11, jax backend) with
// time.time patched to the same clock values and stdout captured; `stateless_metrics=set()` as ProgbarLogger
// passes it, except where the case says it averages.

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("Progbar matches Keras: dynamic display, known target, throttling") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(10, out, options);
  now = 1000.5;
  bar.update(1, {{"accuracy", 0.1}, {"loss", 2.302585}}, false);
  now = 1000.52;
  bar.update(2, {{"accuracy", 0.15}, {"loss", 2.1}}, false);
  now = 1000.6;
  bar.update(3, {{"accuracy", 0.2}, {"loss", 1.9}}, false);
  now = 1000.7;
  bar.update(4, {{"accuracy", 0.25}, {"loss", 1.7}}, false);
  now = 1000.74;
  bar.update(5, {{"accuracy", 0.3}, {"loss", 1.5}}, false);
  now = 1000.9;
  bar.update(6, {{"accuracy", 0.35}, {"loss", 1.3}}, false);
  now = 1001.3;
  bar.update(9, {{"accuracy", 0.5}, {"loss", 0.7}}, false);
  now = 1001.45;
  bar.update(10, {{"accuracy", 0.55}, {"loss", 0.4021}, {"val_accuracy", 0.6}, {"val_loss", 0.3512}}, true);
  CHECK(out.str() ==
      "\r\033[1m 1/10\033[0m \033[32m━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━\033[0m \033[1m4s\033[0m 500ms/step - accuracy: 0.1000 - loss: 2.3026\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 3/10\033[0m \033[32m━━━━━━\033[0m\033[37m━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 50ms/step - accuracy: 0.2000 - loss: 1.9000 \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 4/10\033[0m \033[32m━━━━━━━━\033[0m\033[37m━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 67ms/step - accuracy: 0.2500 - loss: 1.7000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 6/10\033[0m \033[32m━━━━━━━━━━━━\033[0m\033[37m━━━━━━━━\033[0m \033[1m0s\033[0m 80ms/step - accuracy: 0.3500 - loss: 1.3000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 9/10\033[0m \033[32m━━━━━━━━━━━━━━━━━━\033[0m\033[37m━━\033[0m \033[1m0s\033[0m 100ms/step - accuracy: 0.5000 - loss: 0.7000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m10/10\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m1s\033[0m 106ms/step - accuracy: 0.5500 - loss: 0.4021 - val_accuracy: 0.6000 - val_loss: 0.3512\n");
}

TEST_CASE("Progbar matches Keras: non-dynamic display") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = false};
  options.clock = [&now] { return now; };
  strata::Progbar bar(10, out, options);
  now = 1000.5;
  bar.update(1, {{"accuracy", 0.1}, {"loss", 2.302585}}, false);
  now = 1000.52;
  bar.update(2, {{"accuracy", 0.15}, {"loss", 2.1}}, false);
  now = 1000.6;
  bar.update(3, {{"accuracy", 0.2}, {"loss", 1.9}}, false);
  now = 1001.45;
  bar.update(10, {{"accuracy", 0.55}, {"loss", 0.4021}, {"val_accuracy", 0.6}, {"val_loss", 0.3512}}, true);
  CHECK(out.str() ==
      "\n"
      "\033[1m 1/10\033[0m \033[32m━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━\033[0m \033[1m4s\033[0m 500ms/step - accuracy: 0.1000 - loss: 2.3026\n"
      "\033[1m 3/10\033[0m \033[32m━━━━━━\033[0m\033[37m━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 50ms/step - accuracy: 0.2000 - loss: 1.9000 \n"
      "\033[1m10/10\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m1s\033[0m 106ms/step - accuracy: 0.5500 - loss: 0.4021 - val_accuracy: 0.6000 - val_loss: 0.3512\n");
}

TEST_CASE("Progbar matches Keras: ETA in H:MM:SS and M:SS, line shrinks") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(100000, out, options);
  now = 1002.0;
  bar.update(1, {{"loss", 1.0}}, false);
  now = 1004.5;
  bar.update(2, {{"loss", 0.9}}, false);
  now = 1005.0;
  bar.update(99900, {{"loss", 0.8}}, false);
  now = 1005.01;
  bar.update(99990, {{"loss", 0.7}}, false);
  now = 1005.02;
  bar.update(99999, {{"loss", 0.6}}, false);
  now = 1007.0;
  bar.update(100000, {{"loss", 0.5}}, std::nullopt);
  CHECK(out.str() ==
      "\r\033[1m     1/100000\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m55:33:18\033[0m 2s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m     2/100000\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m69:26:35\033[0m 2s/step - loss: 0.9000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 99900/100000\033[0m \033[32m━━━━━━━━━━━━━━━━━━━\033[0m\033[37m━\033[0m \033[1m0s\033[0m 30us/step - loss: 0.8000    \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m100000/100000\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m7s\033[0m 50us/step - loss: 0.5000\n");
}

TEST_CASE("Progbar matches Keras: ETA in M:SS") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(60, out, options);
  now = 1003.0;
  bar.update(1, {{"loss", 1.0}}, false);
  now = 1006.5;
  bar.update(2, {{"loss", 0.5}}, false);
  now = 1060.0;
  bar.update(30, {{"loss", 0.25}}, false);
  now = 1200.0;
  bar.update(60, {{"loss", 0.125}}, true);
  CHECK(out.str() ==
      "\r\033[1m 1/60\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m2:57\033[0m 3s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 2/60\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m3:23\033[0m 4s/step - loss: 0.5000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m30/60\033[0m \033[32m━━━━━━━━━━\033[0m\033[37m━━━━━━━━━━\033[0m \033[1m58s\033[0m 2s/step - loss: 0.2500 \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m60/60\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m200s\033[0m 3s/step - loss: 0.1250\n");
}

TEST_CASE("Progbar matches Keras: value formats") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(4, out, options);
  now = 1001.0;
  bar.update(1, {{"a", 1e-05}, {"b", -0.5}, {"c", -1e-05}, {"d", 0.0}, {"e", 12345.6789}, {"f", 0.001}, {"g", 0.0010001}}, false);
  now = 1002.0;
  bar.update(2, {{"a", kNaN}, {"b", kInf}, {"c", -kInf}, {"d", 1e+30}, {"e", -123.45678}}, false);
  now = 1003.0;
  bar.update(4, {{"a", 0.00049999}, {"b", 2.5e-12}}, true);
  CHECK(out.str() ==
      "\r\033[1m1/4\033[0m \033[32m━━━━━\033[0m\033[37m━━━━━━━━━━━━━━━\033[0m \033[1m3s\033[0m 1s/step - a: 1.0000e-05 - b: -0.5000 - c: -1.0000e-05 - d: 0.0000e+00 - e: 12345.6789 - f: 1.0000e-03 - g: 0.0010\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m2/4\033[0m \033[32m━━━━━━━━━━\033[0m\033[37m━━━━━━━━━━\033[0m \033[1m2s\033[0m 1s/step - a: nan - b: inf - c: -inf - d: 1000000000000000019884624838656.0000 - e: -123.4568 - f: 1.0000e-03 - g: 0.0010\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m4/4\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m3s\033[0m 667ms/step - a: 4.9999e-04 - b: 2.5000e-12 - c: -inf - d: 1000000000000000019884624838656.0000 - e: -123.4568 - f: 1.0000e-03 - g: 0.0010\n");
}

TEST_CASE("Progbar matches Keras: us/step and s/step") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(1000, out, options);
  now = 1000.0001;
  bar.update(1, {}, false);
  now = 1000.0501;
  bar.update(100, {}, false);
  now = 1000.1001;
  bar.update(200, {}, false);
  now = 6000.0;
  bar.update(999, {}, false);
  now = 6001.0;
  bar.update(1000, {}, true);
  CHECK(out.str() ==
      "\r\033[1m   1/1000\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 100us/step\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 100/1000\033[0m \033[32m━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 505us/step\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m 999/1000\033[0m \033[32m━━━━━━━━━━━━━━━━━━━\033[0m\033[37m━\033[0m \033[1m5s\033[0m 5s/step   \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m1000/1000\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m5001s\033[0m 5s/step\n");
}

TEST_CASE("Progbar matches Keras: zero time per step") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(3, out, options);
  now = 1000.0;
  bar.update(1, {{"loss", 1.0}}, false);
  now = 1000.0;
  bar.update(3, {{"loss", 1.0}}, true);
  CHECK(out.str() ==
      "\r\033[1m1/3\033[0m \033[32m━━━━━━\033[0m\033[37m━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 0s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m3/3\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m0s\033[0m 0s/step - loss: 1.0000\n");
}

TEST_CASE("Progbar matches Keras: unknown target, then finalized like ProgbarLogger") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(std::nullopt, out, options);
  now = 1000.1;
  bar.update(1, {{"loss", 0.9}}, false);
  now = 1000.2;
  bar.update(2, {{"loss", 0.8}}, false);
  now = 1000.3;
  bar.update(3, {{"loss", 0.7}}, false);
  bar.set_target(3);
  now = 1000.4;
  bar.update(3, {{"loss", 0.65}, {"val_loss", 0.6}}, true);
  CHECK(out.str() ==
      "\r      1/Unknown \033[1m0s\033[0m 100ms/step - loss: 0.9000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r      2/Unknown \033[1m0s\033[0m 100ms/step - loss: 0.8000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r      3/Unknown \033[1m0s\033[0m 100ms/step - loss: 0.7000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m3/3\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m0s\033[0m 150ms/step - loss: 0.6500 - val_loss: 0.6000\n");
}

TEST_CASE("Progbar matches Keras: unknown target, large count") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = false};
  options.clock = [&now] { return now; };
  strata::Progbar bar(std::nullopt, out, options);
  now = 1001.0;
  bar.update(1, {}, false);
  now = 1002.0;
  bar.update(12345678, {{"loss", 0.5}}, false);
  CHECK(out.str() ==
      "\n"
      "      1/Unknown \033[1m1s\033[0m 1s/step\n"
      "12345678/Unknown \033[1m2s\033[0m 0us/step - loss: 0.5000");
}

TEST_CASE("Progbar matches Keras: target zero") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(0, out, options);
  now = 1001.0;
  bar.update(1, {{"loss", 0.5}}, std::nullopt);
  CHECK(out.str() ==
      "\r      1/Unknown \033[1m1s\033[0m 1s/step - loss: 0.5000\n");
}

TEST_CASE("Progbar matches Keras: verbose 2") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 2, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(1875, out, options);
  now = 1000.5;
  bar.update(1, {{"loss", 2.0}}, false);
  now = 1001.0;
  bar.update(100, {{"loss", 1.0}}, false);
  now = 1003.25;
  bar.update(1875, {{"accuracy", 0.9}, {"loss", 0.3}, {"val_accuracy", 0.95}, {"val_loss", -0.16}, {"z", 0.0001}}, true);
  CHECK(out.str() ==
      "1875/1875 - 3s - 1ms/step - loss: 0.3000 - accuracy: 0.9000 - val_accuracy: 0.9500 - val_loss: -1.6000e-01 - z: 1.0000e-04\n");
}

TEST_CASE("Progbar matches Keras: verbose 2 without target") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 2, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(std::nullopt, out, options);
  now = 1001.0;
  bar.update(1, {{"loss", 2.0}}, false);
  now = 1002.0;
  bar.update(2, {{"loss", 1.0}}, true);
  CHECK(out.str() ==
      "");
}

TEST_CASE("Progbar matches Keras: verbose 0") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 0, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(5, out, options);
  now = 1001.0;
  bar.update(1, {{"loss", 2.0}}, false);
  now = 1002.0;
  bar.update(5, {{"loss", 1.0}}, true);
  CHECK(out.str() ==
      "");
}

TEST_CASE("Progbar matches Keras: averaging like keras.utils.Progbar defaults") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true, .average_values = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(6, out, options);
  now = 1001.0;
  bar.update(1, {{"loss", 1.0}}, std::nullopt);
  now = 1002.0;
  bar.update(3, {{"loss", 0.5}, {"mae", 0.25}}, std::nullopt);
  now = 1003.0;
  bar.update(4, {{"loss", 0.25}}, std::nullopt);
  now = 1004.0;
  bar.update(4, {{"loss", 2.0}}, std::nullopt);
  now = 1005.0;
  bar.update(6, {{"loss", 0.125}, {"mae", 0.5}}, std::nullopt);
  CHECK(out.str() ==
      "\r\033[1m1/6\033[0m \033[32m━━━\033[0m\033[37m━━━━━━━━━━━━━━━━━\033[0m \033[1m5s\033[0m 1s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m3/6\033[0m \033[32m━━━━━━━━━━\033[0m\033[37m━━━━━━━━━━\033[0m \033[1m1s\033[0m 500ms/step - loss: 0.6667 - mae: 0.2500\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m4/6\033[0m \033[32m━━━━━━━━━━━━━\033[0m\033[37m━━━━━━━\033[0m \033[1m1s\033[0m 667ms/step - loss: 0.5625 - mae: 0.2500\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m4/6\033[0m \033[32m━━━━━━━━━━━━━\033[0m\033[37m━━━━━━━\033[0m \033[1m2s\033[0m 1s/step - loss: 0.8500 - mae: 0.2500   \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m6/6\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m5s\033[0m 800ms/step - loss: 0.1250 - mae: 0.5000\n");
}

TEST_CASE("Progbar matches Keras: width 30, interval 0, samples, current past target") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 30, .verbose = 1, .interval = 0.0, .dynamic_display = true, .unit_name = "sample"};
  options.clock = [&now] { return now; };
  strata::Progbar bar(7, out, options);
  now = 1000.01;
  bar.update(1, {{"loss", 1.0}}, false);
  now = 1000.02;
  bar.update(2, {{"loss", 1.0}}, false);
  now = 1000.03;
  bar.update(3, {{"loss", 1.0}}, false);
  now = 1000.08;
  bar.update(9, {{"loss", 1.0}}, false);
  now = 1000.09;
  bar.update(7, {{"loss", 1.0}}, true);
  CHECK(out.str() ==
      "\r\033[1m1/7\033[0m \033[32m━━━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 10ms/sample - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m2/7\033[0m \033[32m━━━━━━━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 10ms/sample - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m3/7\033[0m \033[32m━━━━━━━━━━━━\033[0m\033[37m━━━━━━━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 10ms/sample - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m9/7\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m0s\033[0m 9ms/sample - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m7/7\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m0s\033[0m 13ms/sample - loss: 1.0000       \n");
}

TEST_CASE("Progbar matches Keras: clock starting near zero throttles the first update") {
  double now = 0.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = true};
  options.clock = [&now] { return now; };
  strata::Progbar bar(5, out, options);
  now = 0.01;
  bar.update(1, {{"loss", 1.0}}, false);
  now = 0.2;
  bar.update(2, {{"loss", 1.0}}, false);
  now = 0.3;
  bar.update(5, {{"loss", 1.0}}, true);
  CHECK(out.str() ==
      "\r\033[1m2/5\033[0m \033[32m━━━━━━━━\033[0m\033[37m━━━━━━━━━━━━\033[0m \033[1m0s\033[0m 190ms/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\033[1m5/5\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m0s\033[0m 72ms/step - loss: 1.0000 \n");
}

TEST_CASE("Progbar matches Keras (dynamic display off): the default display is not dynamic for a string stream") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options;
  options.clock = [&now] { return now; };
  strata::Progbar bar(2, out, options);
  now = 1001.0;
  bar.update(2);
  CHECK(out.str() ==
        "\n\033[1m2/2\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m\033[37m\033[0m \033[1m1s\033[0m 500ms/step\n");
}

TEST_CASE("Progbar matches Keras: throttled updates write nothing, add() counts on from the last step") {
  double now = 1000.0;
  std::ostringstream out;
  strata::ProgbarOptions options{.width = 20, .verbose = 1, .interval = 0.05, .dynamic_display = false};
  options.clock = [&now] { return now; };
  strata::Progbar bar(100, out, options);
  now = 1000.5;
  bar.update(10, {{"loss", 1.0}});
  const std::string first = out.str();
  now = 1000.51;
  bar.add(5);
  CHECK(out.str() == first);
  now = 1001.0;
  std::vector<strata::Progbar::Value> values{{"loss", 0.5}};
  bar.add(5, values);
  CHECK(out.str().substr(first.size()) ==
        "\n\033[1m 20/100\033[0m \033[32m━━━━\033[0m\033[37m━━━━━━━━━━━━━━━━\033[0m \033[1m4s\033[0m 50ms/step"
        " - loss: 0.5000");
}

TEST_CASE("print_epoch_header prints Keras's epoch line when there is more than one epoch") {
  std::ostringstream out;
  strata::print_epoch_header(out, 0, 10);
  strata::print_epoch_header(out, 9, 10, 2);
  strata::print_epoch_header(out, 0, 1);
  strata::print_epoch_header(out, 3, 10, 0);
  CHECK(out.str() == "Epoch 1/10\nEpoch 10/10\n");
}
