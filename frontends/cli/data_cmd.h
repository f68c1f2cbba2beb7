// `s1mpletrader data import|info`: market-data files in, Parquet or CSV out, and a description of
// any data file (rows, range, timeframe, gaps).
#pragma once

#include <ostream>
#include <string>

#include "backend/dataio/convert.h"

namespace st {

struct DataCommandArgs {
  std::string input, output;
  std::string format = "auto";
  std::string utc_offset;  // "+01:00"
  bool skip_bad = false;
  std::string codec = "zstd";
  std::string encoding = "byte_stream_split";
  std::int64_t row_group_rows = kBarRowGroupRows;
  bool parquet_options = false;  // --codec, --encoding or --row-group was given
  bool quiet = false;
};

// Exit 0; 1 when bad rows stop the import (listed on `err`); 2 for bad arguments.
int data_import(const DataCommandArgs& args, std::ostream& out, std::ostream& err);
int data_info(const DataCommandArgs& args, std::ostream& out, std::ostream& err);

}  // namespace st
