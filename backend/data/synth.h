// A deterministic market-data generator, so that `make run` and the examples need no download.
//
// A geometric random walk with regimes: every few hundred bars the drift changes sign and size
// and the volatility changes, so trend strategies meet both trends and chop. Everything comes
// from one seed through our own generator (xoshiro256** + Box-Muller), not <random>'s
// distributions, whose output differs between standard libraries: the same seed gives the same
// bars on every machine.
#pragma once

#include <cstdint>
#include <memory>

#include "backend/config/config.h"
#include "backend/data/bar_source.h"

namespace st {

// Streams cfg.bars bars spaced `timeframe_ns` apart from cfg.start (constant memory). Prices are
// rounded to 4 decimals, volumes are whole numbers. Throws st::Error for an unparsable start or
// non-positive sizes.
std::unique_ptr<BarSource> make_synth(const config::SynthConfig& cfg, std::int64_t timeframe_ns);

}  // namespace st
