// An example user plugin. Everything it needs is the plugin API (backend/api); it is compiled
// into its own shared library and exported with ST_EXPORT_PLUGIN.
#include <deque>

#include "backend/api/plugin.h"

namespace example {

class VolumeSpike final : public st::OpportunityWorker {
 public:
  void bind(st::BindContext&) override {
    period_ = static_cast<std::size_t>(params().get_int("period"));
    factor_ = params().get_double("factor");
  }

  void process(const st::TradingContext& ctx, st::SignalSink& out) override {
    const st::Bar& bar = ctx.bar();
    if (window_.size() == period_) {
      const double mean = sum_ / static_cast<double>(period_);
      if (mean > 0 && bar.volume >= factor_ * mean && bar.close > bar.open)
        out.emit(st::Direction::kLong, "volume_spike", bar.volume / mean, {{"volume", bar.volume}, {"mean", mean}});
      sum_ -= window_.front();
      window_.pop_front();
    }
    window_.push_back(bar.volume);
    sum_ += bar.volume;
  }

 private:
  std::size_t period_ = 20;
  double factor_ = 3;
  std::deque<double> window_;
  double sum_ = 0;
};

}  // namespace example

ST_EXPORT_PLUGIN("volume_spike", example::VolumeSpike);
