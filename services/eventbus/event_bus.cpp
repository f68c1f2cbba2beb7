#include "services/eventbus/event_bus.h"
