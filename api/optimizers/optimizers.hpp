#pragma once
// Every built-in optimizer (strata::optimizers) and learning-rate schedule (strata::optimizers::schedules).
#include <strata/api/optimizers/adadelta.hpp>
#include <strata/api/optimizers/adafactor.hpp>
#include <strata/api/optimizers/adagrad.hpp>
#include <strata/api/optimizers/adam.hpp>
#include <strata/api/optimizers/adamax.hpp>
#include <strata/api/optimizers/adamw.hpp>
#include <strata/api/optimizers/ftrl.hpp>
#include <strata/api/optimizers/lion.hpp>
#include <strata/api/optimizers/loss_scale_optimizer.hpp>
#include <strata/api/optimizers/nadam.hpp>
#include <strata/api/optimizers/optimizer.hpp>
#include <strata/api/optimizers/rmsprop.hpp>
#include <strata/api/optimizers/schedules/schedules.hpp>
#include <strata/api/optimizers/sgd.hpp>
