#pragma once
// Every built-in learning-rate schedule (strata::optimizers::schedules).
#include <strata/api/optimizers/schedules/cosine_decay.hpp>
#include <strata/api/optimizers/schedules/cosine_decay_restarts.hpp>
#include <strata/api/optimizers/schedules/exponential_decay.hpp>
#include <strata/api/optimizers/schedules/inverse_time_decay.hpp>
#include <strata/api/optimizers/schedules/learning_rate_schedule.hpp>
#include <strata/api/optimizers/schedules/piecewise_constant_decay.hpp>
#include <strata/api/optimizers/schedules/polynomial_decay.hpp>
