// Where bars come from: files, generators, exchanges. A BarSource streams bars in time order
// and refuses bad data with the position of the problem.
#pragma once

#include <algorithm>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "backend/api/dto.h"

namespace st {

class BarSource {
 public:
  virtual ~BarSource() = default;
  // The next bar; false at the end. Bad data throws st::Error "FILE:LINE:COL: column: what is
  // wrong, what was expected, what was found".
  virtual bool next(Bar& out) = 0;
  virtual std::string name() const = 0;
  // The next bars, at most `max` (max >= 1), as a view valid until the next call; empty at the
  // end. The environment replays through this, one virtual call per batch. The default hands
  // out one bar per call (an exchange source yields each bar as soon as it has it); sources
  // holding bars in memory override it, and files and generators read ahead (next_span_buffered).
  virtual std::span<const Bar> next_span(std::size_t max) {
    (void)max;
    if (!next(one_)) return {};
    return {&one_, 1};
  }

 protected:
  // next_span for sources that may read ahead (files, generators): up to `max` bars from next(),
  // into a buffer. An error after some bars is kept and raised by the following call, so the
  // bars before it are replayed first, as one bar per call would have them.
  std::span<const Bar> next_span_buffered(std::size_t max) {
    if (deferred_) std::rethrow_exception(std::exchange(deferred_, nullptr));
    buffer_.resize(std::max<std::size_t>(max, 1));
    std::size_t n = 0;
    try {
      while (n < buffer_.size() && next(buffer_[n])) ++n;
    } catch (...) {
      if (n == 0) throw;
      deferred_ = std::current_exception();
    }
    return {buffer_.data(), n};
  }

 private:
  Bar one_{};
  std::vector<Bar> buffer_;
  std::exception_ptr deferred_;
};

// Bars held in memory (tests, generated data).
class VectorBarSource final : public BarSource {
 public:
  explicit VectorBarSource(std::vector<Bar> bars, std::string name = "memory")
      : bars_(std::move(bars)), name_(std::move(name)) {}
  bool next(Bar& out) override {
    if (pos_ >= bars_.size()) return false;
    out = bars_[pos_++];
    return true;
  }
  std::span<const Bar> next_span(std::size_t max) override {
    const std::size_t n = std::min(max, bars_.size() - pos_);
    const std::span<const Bar> s(bars_.data() + pos_, n);
    pos_ += n;
    return s;
  }
  std::string name() const override { return name_; }

 private:
  std::vector<Bar> bars_;
  std::string name_;
  std::size_t pos_ = 0;
};

// Bars owned elsewhere (benchmarks replaying one series many times).
class SpanBarSource final : public BarSource {
 public:
  explicit SpanBarSource(const Bar* bars, std::size_t n, std::string name = "memory")
      : bars_(bars), n_(n), name_(std::move(name)) {}
  bool next(Bar& out) override {
    if (pos_ >= n_) return false;
    out = bars_[pos_++];
    return true;
  }
  std::span<const Bar> next_span(std::size_t max) override {
    const std::size_t n = std::min(max, n_ - pos_);
    const std::span<const Bar> s(bars_ + pos_, n);
    pos_ += n;
    return s;
  }
  std::string name() const override { return name_; }

 private:
  const Bar* bars_;
  std::size_t n_;
  std::string name_;
  std::size_t pos_ = 0;
};

}  // namespace st
