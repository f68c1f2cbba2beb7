// OHLCV CSV files: `timestamp,open,high,low,close,volume`, ISO-8601 UTC bar open times,
// strictly increasing (the layout of ../shared/data, see docs/data.md).
//
// Policy for bad data: refuse, never repair. Unsorted or duplicate timestamps, NaN or infinite
// numbers, negative prices or volume, high below low (or below open/close), empty fields and
// missing or extra columns stop the run with "file:line:col: column: ..." — a backtest on silently
// patched data is a backtest of something else.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/data/bar_source.h"

namespace st {

// Streams the file (constant memory). Throws st::Error when it cannot be opened or its header is
// not the expected one.
std::unique_ptr<BarSource> open_csv(const std::string& path);
std::vector<Bar> read_csv_all(const std::string& path);
// Writes every bar of `source`; numbers in shortest round-trip text, so reading the file back
// gives the same doubles bit for bit.
void write_csv(const std::string& path, BarSource& source);

}  // namespace st
