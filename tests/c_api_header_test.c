/* tellus.h on its own: it includes what it uses, is valid C99 (and C++, as
 * the same file compiled as C++ shows), and guards against a second
 * inclusion. Nothing is called: building this is the test. */
#include "tellus/tellus.h"

int main(void) { return TELLUS_OK; }
