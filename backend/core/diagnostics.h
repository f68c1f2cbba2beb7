// Diagnostics: precise, collected errors for everything that comes from outside
// (configuration, manifests, data files, requests).
//
// A Diagnostic renders as  FILE:LINE:COL: key.path[i].name: message
// Collect all of them (Diagnostics) and report together; throw st::Error only at a boundary.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace st {

struct SourceLocation {
  std::string file;  // as given by the user (relative paths stay relative)
  int line = 0;      // 1-based; 0 = unknown
  int column = 0;    // 1-based; 0 = unknown
};

struct Diagnostic {
  SourceLocation where;
  std::string path;     // key path, e.g. "workforce.context[0].params.period"; may be empty
  std::string message;  // what is wrong, what was expected, what was found

  // "file:line:col: path: message" (parts that are unknown are left out).
  std::string to_string() const;
};

class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void add(SourceLocation where, std::string path, std::string message) {
    items_.push_back({std::move(where), std::move(path), std::move(message)});
  }
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  // One diagnostic per line, in the order they were found.
  std::string to_string() const;

 private:
  std::vector<Diagnostic> items_;
};

// The one error type thrown across module boundaries. Carries every diagnostic found.
class Error : public std::runtime_error {
 public:
  explicit Error(std::string message);
  explicit Error(Diagnostics diagnostics);
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

// An error that already names the bar it happened on (and the worker, if one failed): the layers
// around the bar loop pass it on as it is instead of naming the bar again.
class BarError : public Error {
 public:
  using Error::Error;
};

// Levenshtein distance (for "did you mean" suggestions).
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a small distance, or "" when none is close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace st
