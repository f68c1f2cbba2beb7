// Plugin API version. Bump the major on any incompatible change to backend/api/ (a layout of a
// DTO, a virtual function); bump the minor for additions that old plugins do not notice.
#pragma once

namespace st {

#ifndef ST_PLUGIN_API_VERSION_MAJOR
#define ST_PLUGIN_API_VERSION_MAJOR 2
#endif
// 1.1: ThreatSink::still_active. 2.0: ContextWorker::process_block (a new virtual the host calls),
// ExecutionContext::move_stop takes its reason as a std::string_view.
inline constexpr int kApiVersionMajor = ST_PLUGIN_API_VERSION_MAJOR;
inline constexpr int kApiVersionMinor = 0;

#define ST_STR2(x) #x
#define ST_STR(x) ST_STR2(x)
// C++ ABI of the compiler and standard library; plugins share std::string etc. with the host.
inline constexpr const char* kAbiTag =
    "gcc-" ST_STR(__GNUC__) "/libstdc++-" ST_STR(_GLIBCXX_RELEASE) "/cxx11abi-" ST_STR(_GLIBCXX_USE_CXX11_ABI);

}  // namespace st
