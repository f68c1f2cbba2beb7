// Durable file replacement (DESIGN §8, crash safety).
//
// write_file_atomic writes <path>.tmp, fsyncs it, renames it over <path> and fsyncs the
// directory: after a crash the file holds its old content or its new content, never a mix.
// Run outputs (trades.csv, summary.json, report.html) and state files all go through it.
#pragma once

#include <string>
#include <string_view>

namespace st {

// Throws st::Error naming the path when a step fails.
void write_file_atomic(const std::string& path, std::string_view content);
// fsyncs `from`, renames it over `to` and fsyncs `to`'s directory (for files written in pieces).
void rename_durable(const std::string& from, const std::string& to);
// fsync of a file or directory; false when it cannot be opened.
bool fsync_path(const std::string& path, bool directory);

}  // namespace st
