#include "services/svc/svc.h"  // a backend file reaching up into services
int bad() { return svc_value(); }
