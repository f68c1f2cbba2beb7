// libFuzzer target over the Parquet reader: every input must be read or refused with st::Error;
// a crash, a sanitizer report, a hang or a runaway allocation is a bug.
//
// Build (clang only; the option is off by default):
//   CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
//       -DST_FUZZ=ON -DBUILD_TESTING=OFF
//   cmake --build build-fuzz --target parquet_fuzz
// Run, seeding the corpus with the files the unit tests write (build-pq/parquet_cases):
//   mkdir -p corpus && cp build-pq/parquet_cases/*.parquet corpus/
//   build-fuzz/backend/parquet/parquet_fuzz -max_len=65536 -timeout=10 -rss_limit_mb=2048 corpus/
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "backend/core/diagnostics.h"
#include "backend/parquet/parquet_reader.h"

namespace {

// The reader takes a path: the input goes into one in-memory file, reached through /proc.
const std::string& memory_file() {
  static const int fd = memfd_create("parquet_fuzz", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = memory_file();
  const int fd = std::stoi(path.substr(path.rfind('/') + 1));
  if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)))
    return 0;
  st::parquet::ReaderLimits limits;
  limits.max_page_bytes = 16 << 20;
  limits.max_column_chunk_bytes = 64 << 20;
  limits.max_footer_bytes = 4 << 20;
  try {
    const st::parquet::FileReader reader(path, limits);
    for (int g = 0; g < reader.num_row_groups(); ++g)
      for (int c = 0; c < static_cast<int>(reader.columns().size()); ++c) reader.read_column(g, c);
  } catch (const st::Error&) {
  }
  try {
    auto source = st::parquet::open_parquet_bars(path, {}, limits);
    st::Bar bar;
    while (source->next(bar)) {
    }
  } catch (const st::Error&) {
  }
  return 0;
}
