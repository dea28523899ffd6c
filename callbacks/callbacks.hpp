#pragma once
// Every built-in callback (strata::callbacks; Callback, History and ProgbarLogger are also in strata).
#include <strata/callbacks/backup_and_restore.hpp>
#include <strata/callbacks/callback.hpp>
#include <strata/callbacks/csv_logger.hpp>
#include <strata/callbacks/early_stopping.hpp>
#include <strata/callbacks/history.hpp>
#include <strata/callbacks/lambda_callback.hpp>
#include <strata/callbacks/model_checkpoint.hpp>
#include <strata/callbacks/learning_rate_scheduler.hpp>
#include <strata/callbacks/monitor_callback.hpp>
#include <strata/callbacks/progbar_logger.hpp>
#include <strata/callbacks/reduce_lr_on_plateau.hpp>
#include <strata/callbacks/swap_ema_weights.hpp>
#include <strata/callbacks/tensorboard.hpp>
#include <strata/callbacks/terminate_on_nan.hpp>

namespace strata::callbacks {
using strata::Callback;
using strata::History;
using strata::Logs;
using strata::ProgbarLogger;
}  // namespace strata::callbacks
