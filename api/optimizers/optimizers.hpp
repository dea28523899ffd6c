#pragma once
// Every built-in optimizer (strata::optimizers).
#include <strata/api/optimizers/adam.hpp>
#include <strata/api/optimizers/optimizer.hpp>
#include <strata/api/optimizers/rmsprop.hpp>
#include <strata/api/optimizers/sgd.hpp>
