/*
 * tellus.h: the C ABI of libtellus.
 *
 * This header is the stable boundary of tellus: the CRM, the housing system,
 * the Python package and any other language reach the library through it. It
 * is plain C99, needs no other header of tellus, and is the only thing
 * libtellus.so exports (every symbol is named tellus_*; everything else in the
 * library is hidden). This release provides the versioning functions; the
 * rest of the ABI is added by following the rules below.
 *
 * Versioning
 *   TELLUS_VERSION_MAJOR/MINOR/PATCH and TELLUS_VERSION_NUMBER
 *   (major * 10000 + minor * 100 + patch) are the version of this header;
 *   tellus_version() and tellus_version_number() are the version of the
 *   library actually loaded. A caller that depends on a feature checks
 *   tellus_version_number() at run time. The shared library's SONAME carries
 *   the major version: within one major version a function is never removed
 *   and its signature never changes (a changed behaviour gets a new function,
 *   tellus_x_v2), so a program built against an older header keeps working.
 *
 * Handles
 *   Every object is an opaque handle (typedef struct tellus_store
 *   tellus_store;) created by a tellus_*_open / tellus_*_new function and
 *   destroyed by the matching tellus_*_close / tellus_*_free, which accepts
 *   NULL. No struct of domain data crosses this boundary: cases, events and
 *   reports cross as serialized protobuf bytes of the tellus.v1 schema
 *   (a pointer and a length), so the schema grows without breaking the ABI.
 *   No Abseil, protobuf or C++ type ever appears in this header.
 *
 * Status codes
 *   Every function that can fail returns an int status: TELLUS_OK (0) or a
 *   negative TELLUS_E* code. Results come back through out-parameters, which
 *   are listed first. After a failure, tellus_last_error() returns a message
 *   for the calling thread, naming the case, event and rule involved, valid
 *   until that thread's next call into tellus. No C++ exception ever crosses
 *   the boundary.
 *
 * Ownership
 *   Memory the library returns (strings, serialized bytes) belongs to the
 *   caller, who frees it with the tellus_*_free function that the returning
 *   function names, never with free(). Memory the caller passes in is
 *   only borrowed for the duration of the call unless a function says
 *   otherwise. Strings that the library keeps (tellus_version(),
 *   tellus_last_error()) are not freed.
 *
 * Threads
 *   Functions without a handle may be called from any thread at any time.
 *   A handle is used by one thread at a time unless its functions say it is
 *   safe to share; distinct handles are independent.
 */
#ifndef TELLUS_TELLUS_H_
#define TELLUS_TELLUS_H_

/* Marks the functions libtellus.so exports; the library is built with hidden
 * visibility. Defining TELLUS_API first (e.g. empty, to feed this header to a
 * C parser) overrides it. */
#ifndef TELLUS_API
#if defined(__GNUC__) || defined(__clang__)
#define TELLUS_API __attribute__((visibility("default")))
#else
#define TELLUS_API
#endif
#endif

/* The version of this header. The build checks that it is the version of the
 * CMake project. */
#define TELLUS_VERSION_MAJOR 0
#define TELLUS_VERSION_MINOR 1
#define TELLUS_VERSION_PATCH 0

#define TELLUS_VERSION_NUMBER                                        \
  (TELLUS_VERSION_MAJOR * 10000 + TELLUS_VERSION_MINOR * 100 +       \
   TELLUS_VERSION_PATCH)

#define TELLUS_STRINGIFY_INNER_(x) #x
#define TELLUS_STRINGIFY_(x) TELLUS_STRINGIFY_INNER_(x)
/* "0.1.0" */
#define TELLUS_VERSION_STRING                     \
  TELLUS_STRINGIFY_(TELLUS_VERSION_MAJOR)         \
  "." TELLUS_STRINGIFY_(TELLUS_VERSION_MINOR)     \
  "." TELLUS_STRINGIFY_(TELLUS_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the loaded library, "MAJOR.MINOR.PATCH"; a static string,
 * not to be freed. */
TELLUS_API const char* tellus_version(void);

/* The version of the loaded library as major * 10000 + minor * 100 + patch:
 * equal to TELLUS_VERSION_NUMBER when header and library agree. */
TELLUS_API int tellus_version_number(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TELLUS_TELLUS_H_ */
