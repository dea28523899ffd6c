#include <strata/callbacks/progbar_logger.hpp>

namespace strata {

void ProgbarLogger::reset() {
  seen_ = 0;
  progbar_.reset();
  std::optional<std::int64_t> target;
  if (params().steps > 0) target = params().steps;
  // off a terminal the single final line starts with '\r', as Keras writes on posix, not with a blank line
  progbar_.emplace(target, out_, ProgbarOptions{.verbose = params().verbose, .dynamic_display = true});
}

void ProgbarLogger::on_test_begin(const Logs& logs) {
  if (!called_in_fit_) reset();
}

void ProgbarLogger::on_predict_begin(const Logs& logs) { reset(); }

void ProgbarLogger::on_epoch_begin(int epoch, const Logs& logs) {
  reset();
  print_epoch_header(out_, epoch, params().epochs, params().verbose);
}

const std::vector<Progbar::Value>& ProgbarLogger::values(const Logs& logs) {
  values_.clear();
  for (const auto& [name, value] : logs) values_.emplace_back(name, value);
  return values_;
}

void ProgbarLogger::update(std::int64_t batch, const Logs& logs) {
  if (!progbar_) reset();
  seen_ = batch + 1;
  if (params().verbose == 1 && live_) progbar_->update(seen_, values(logs), false);
}

void ProgbarLogger::finalize(const Logs& logs) {
  if (!progbar_) reset();
  if (!progbar_->target()) progbar_->set_target(seen_);
  progbar_->update(*progbar_->target(), values(logs), true);
}

}  // namespace strata
