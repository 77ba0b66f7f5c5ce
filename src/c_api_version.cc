// The versioning functions of the C ABI (tellus.h).
#include "tellus/tellus.h"

const char* tellus_version(void) { return TELLUS_VERSION_STRING; }

int tellus_version_number(void) { return TELLUS_VERSION_NUMBER; }
