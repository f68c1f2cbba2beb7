#pragma once
#include "backend/api/worker.h"

namespace st::plugins {

class DcaBuyer final : public ExecutionWorker {
 public:
  void bind(BindContext&) override { amount_ = params().get_double("quote_amount"); }
  void on_scheduled(const ScheduledEvent& event, ExecutionContext& ctx) override;

 private:
  double amount_ = 100;
};

}  // namespace st::plugins
