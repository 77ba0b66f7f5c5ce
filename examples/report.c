/* The annual report from C, through the C ABI alone (tellus.h, libtellus.so):
 * imports two CSV exports, prints the import summary and the report.
 *
 *   report_c cases.csv interactions.csv 2023/24 2024-06-30 [text|json|markdown]
 *
 * Build against an installed tellus:
 *   cc -std=c99 report.c $(pkg-config --cflags --libs tellus)
 *
 * The report request is a tellus.v1.ReportSettings message. A C program
 * without a protobuf library writes the few fields it needs by hand: each
 * string field is a tag byte (field number << 3 | 2), its length as a
 * varint, and its bytes. */
#include <stdio.h>
#include <string.h>
#include <tellus/tellus.h>

/* Appends string field `field` to `buf`; returns the new size, 0 if full. */
static size_t PutString(unsigned char* buf, size_t size, size_t cap, int field,
                        const char* s) {
  size_t n = strlen(s);
  if (size + n + 6 > cap) return 0;
  buf[size++] = (unsigned char)(field << 3 | 2);
  while (n >= 0x80) {
    buf[size++] = (unsigned char)(n | 0x80);
    n >>= 7;
  }
  buf[size++] = (unsigned char)n;
  memcpy(buf + size, s, strlen(s));
  return size + strlen(s);
}

/* Prints the library's message for a failed call and returns 1. */
static int Fail(const char* what, int status) {
  fprintf(stderr, "report_c: %s: %s (%s)\n", what, tellus_last_error(),
          tellus_status_string(status));
  return 1;
}

int main(int argc, char** argv) {
  unsigned char settings[512];
  size_t settings_size = 0;
  tellus_dataset* ds = NULL;
  void* report = NULL;
  size_t report_size = 0;
  char* text = NULL;
  size_t cases = 0, interactions = 0;
  int format = TELLUS_FORMAT_TEXT;
  int rc;

  if (argc < 5 || argc > 6) {
    fprintf(stderr,
            "usage: %s CASES.csv INTERACTIONS.csv PERIOD AS_OF "
            "[text|json|markdown]\n",
            argv[0]);
    return 2;
  }
  if (argc == 6) {
    if (strcmp(argv[5], "json") == 0) {
      format = TELLUS_FORMAT_JSON;
    } else if (strcmp(argv[5], "markdown") == 0) {
      format = TELLUS_FORMAT_MARKDOWN;
    } else if (strcmp(argv[5], "text") != 0) {
      fprintf(stderr, "report_c: unknown format %s\n", argv[5]);
      return 2;
    }
  }
  if (tellus_version_number() / 10000 != TELLUS_VERSION_MAJOR) {
    fprintf(stderr, "report_c: libtellus %s does not match tellus.h %s\n",
            tellus_version(), TELLUS_VERSION_STRING);
    return 1;
  }

  /* ReportSettings { period = 1; as_of = 2; } */
  settings_size = PutString(settings, 0, sizeof settings, 1, argv[3]);
  if (settings_size != 0) {
    settings_size =
        PutString(settings, settings_size, sizeof settings, 2, argv[4]);
  }
  if (settings_size == 0) {
    fprintf(stderr, "report_c: period or as-of too long\n");
    return 2;
  }

  rc = tellus_dataset_from_csv(&ds, argv[1], argv[2]);
  if (rc != TELLUS_OK) return Fail("import", rc);
  rc = tellus_dataset_size(&cases, &interactions, ds);
  if (rc == TELLUS_OK) {
    fprintf(stderr, "report_c: %lu cases, %lu interactions (tellus %s)\n",
            (unsigned long)cases, (unsigned long)interactions,
            tellus_version());
    rc = tellus_report_build(&report, &report_size, ds, settings, settings_size,
                             0);
  }
  if (rc == TELLUS_OK) {
    rc = tellus_report_render(&text, NULL, report, report_size, format);
  }
  if (rc == TELLUS_OK) {
    fputs(text, stdout);
  } else {
    Fail("report", rc);
  }
  tellus_buffer_free(text);
  tellus_buffer_free(report);
  tellus_dataset_free(ds);
  return rc == TELLUS_OK ? 0 : 1;
}
