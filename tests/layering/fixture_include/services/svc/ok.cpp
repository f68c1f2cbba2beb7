#include "services/svc/svc.h"  // services may include services
int ok() { return svc_value(); }
