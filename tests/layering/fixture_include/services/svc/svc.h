#pragma once
inline int svc_value() { return 1; }
