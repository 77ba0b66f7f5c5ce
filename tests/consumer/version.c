/* Prints the version of the loaded libtellus and checks that it is the
 * version of the header this program was compiled with. */
#include <stdio.h>
#include <tellus/tellus.h>

int main(void) {
  printf("tellus %s\n", tellus_version());
  if (tellus_version_number() != TELLUS_VERSION_NUMBER) {
    fprintf(stderr, "library version %d, header version %d\n",
            tellus_version_number(), TELLUS_VERSION_NUMBER);
    return 1;
  }
  return 0;
}
