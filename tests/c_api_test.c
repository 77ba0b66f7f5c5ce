/* The C ABI of tellus.h, exercised from C. */
#include "tellus/tellus.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                 \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static void TestVersion(void) {
  /* Header, library and CMake project agree. */
  CHECK(strcmp(tellus_version(), TELLUS_VERSION_STRING) == 0);
  CHECK(strcmp(tellus_version(), TELLUS_PROJECT_VERSION) == 0);
  CHECK(tellus_version_number() == TELLUS_VERSION_NUMBER);
}

/* Callers test the version number in #if. */
#if TELLUS_VERSION_NUMBER != TELLUS_VERSION_MAJOR * 10000 + \
                             TELLUS_VERSION_MINOR * 100 + TELLUS_VERSION_PATCH
#error "TELLUS_VERSION_NUMBER is not major * 10000 + minor * 100 + patch"
#endif

int main(void) {
  TestVersion();
  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: tellus %s passed\n", tellus_version());
  return 0;
}
