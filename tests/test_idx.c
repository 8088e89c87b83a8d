/* test_idx.c -- the IDX reader and the Fashion-MNIST loader: small files written here (gzip'd
 * through zlib, or plain) that load to exactly their bytes, and every kind of damage -- cut,
 * corrupt, padded, mislabelled, misshapen or missing files -- giving -1, a message naming the
 * file and the problem, and no leak (the sanitizer build runs this under ASan).
 *
 * Usage: test_idx files|dataset. The real dataset is read from SSA_FMNIST_DEFAULT_DIR (Debian's
 * dataset-fashion-mnist; $SSA_TEST_FMNIST_DIR overrides it): the dataset group exits 77 (meson's
 * SKIP, tests/skip.h) when it is absent; the files group needs nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../train/fmnist.h"
#include "skip.h"
#include "../train/idx.h"
#include "textio.h"

#define IMAGES "t10k-images-idx3-ubyte.gz"
#define LABELS "t10k-labels-idx1-ubyte.gz"
#define PIXELS (SSA_FMNIST_SIDE * SSA_FMNIST_SIDE)
#define SMALL 3u    /* images in the small set */
#define LARGE 200u  /* images in the file that is corrupted: ~100 KB of deflate data */

static const uint8_t small_labels[SMALL] = {9, 0, 4};
/* A column gradient plus noise: compressible, though not trivially. */
static uint8_t pixels[LARGE * PIXELS];

static char dir[4096], images[4200], labels[4200];

/* The file being built: header and data. */
static uint8_t file[4 + 4 * SSA_IDX_MAX_DIMS + LARGE * PIXELS + 16];
static size_t file_len;

/* ---- helpers ---- */

/* An unsigned-byte IDX file of these dimensions with len bytes of data, declared or not. */
static void build(unsigned ndims, const unsigned *dims, const uint8_t *data, size_t len) {
  uint8_t *p = file;
  *p++ = 0, *p++ = 0, *p++ = 0x08, *p++ = (uint8_t)ndims;
  for (unsigned i = 0; i < ndims; i++)
    *p++ = (uint8_t)(dims[i] >> 24), *p++ = (uint8_t)(dims[i] >> 16),
    *p++ = (uint8_t)(dims[i] >> 8), *p++ = (uint8_t)dims[i];
  assert_true((size_t)(p - file) + len <= sizeof file);
  memcpy(p, data, len);
  file_len = (size_t)(p - file) + len;
}

static void build_images(unsigned count, unsigned rows, unsigned cols, size_t len) {
  unsigned dims[3] = {count, rows, cols};
  build(3, dims, pixels, len);
}

static void build_labels(unsigned count, const uint8_t *values, size_t len) {
  build(1, &count, values, len);
}

static void save_gzip(const char *path) {
  gzFile gz = gzopen(path, "wb");
  assert_non_null(gz);
  assert_int_equal(gzwrite(gz, file, (unsigned)file_len), (int)file_len);
  assert_int_equal(gzclose(gz), Z_OK);
}

static void save_plain(const char *path, const void *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static size_t load_plain(const char *path, uint8_t *buf, size_t size) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t n = fread(buf, 1, size, f);
  assert_true(n < size);
  fclose(f);
  return n;
}

/* The good small set, both files gzip'd. */
static void save_small_set(void) {
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS);
  save_gzip(images);
  build_labels(SMALL, small_labels, SMALL);
  save_gzip(labels);
}

static void check_message(const ssa_error *err, const char *path, const char *word) {
  if (strstr(err->msg, path) == NULL || strstr(err->msg, word) == NULL)
    fail_msg("message \"%s\": expected %s and \"%s\"", err->msg, path, word);
}

/* Loading the test split from dir must fail with a message naming path and holding word. */
static void expect_load_error(const char *path, const char *word) {
  ssa_dataset d;
  memset(&d, 0xa5, sizeof d);  /* garbage: the loader must empty it */
  ssa_error err = {{0}};
  assert_int_equal(ssa_fmnist_load(dir, SSA_SPLIT_TEST, &d, &err), -1);
  check_message(&err, path, word);
  assert_int_equal(d.count, 0);
  assert_null(d.pixels);
  assert_null(d.labels);
  ssa_dataset_free(&d);  /* harmless after a failure */
}

/* Reading the file built, saved gzip'd, must fail with word. */
static void expect_idx_error(const char *word) {
  save_gzip(images);
  ssa_idx idx;
  memset(&idx, 0xa5, sizeof idx);
  ssa_error err = {{0}};
  assert_int_equal(ssa_idx_read(images, &idx, &err), -1);
  check_message(&err, images, word);
  assert_int_equal(idx.ndims, 0);
  assert_null(idx.data);
}

static void expect_small_set(void) {
  ssa_dataset d;
  ssa_error err = {{0}};
  if (ssa_fmnist_load(dir, SSA_SPLIT_TEST, &d, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(d.count, SMALL);
  assert_memory_equal(d.pixels, pixels, SMALL * PIXELS);
  assert_memory_equal(d.labels, small_labels, SMALL);
  ssa_dataset_free(&d);
  assert_null(d.pixels);
  assert_int_equal(d.count, 0);
}

/* ---- good files ---- */

static void test_small_set(void **state) {
  (void)state;
  save_small_set();
  expect_small_set();
}

static void test_plain_files(void **state) {
  (void)state;
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS);
  save_plain(images, file, file_len);
  build_labels(SMALL, small_labels, SMALL);
  save_plain(labels, file, file_len);
  expect_small_set();
}

static void test_four_dimensions(void **state) {
  (void)state;
  unsigned dims[4] = {2, 3, 4, 5};
  build(4, dims, pixels, 120);
  save_gzip(images);
  ssa_idx idx;
  ssa_error err = {{0}};
  if (ssa_idx_read(images, &idx, &err) != 0) fail_msg("%s", err.msg);
  assert_int_equal(idx.ndims, 4);
  for (unsigned i = 0; i < 4; i++) assert_int_equal(idx.dims[i], dims[i]);
  assert_int_equal(idx.size, 120);
  assert_memory_equal(idx.data, pixels, 120);
  ssa_idx_free(&idx);
  assert_null(idx.data);
}

static void test_class_names(void **state) {
  (void)state;
  assert_string_equal(ssa_fmnist_class_name(0), "T-shirt/top");
  assert_string_equal(ssa_fmnist_class_name(4), "Coat");
  assert_string_equal(ssa_fmnist_class_name(9), "Ankle boot");
  assert_null(ssa_fmnist_class_name(10));
}

/* ---- damaged files ---- */

static void test_truncated_data(void **state) {
  (void)state;
  save_small_set();
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS - 100);
  save_gzip(images);
  expect_load_error(images, "truncated: 2252 of 2352 data bytes");
  save_small_set();
  build_labels(SMALL, small_labels, SMALL - 1);
  save_gzip(labels);
  expect_load_error(labels, "truncated: 2 of 3 data bytes");
}

static void test_truncated_gzip(void **state) {
  (void)state;
  save_small_set();
  static uint8_t gz[sizeof file];
  size_t n = load_plain(images, gz, sizeof gz);
  save_plain(images, gz, n / 2);
  expect_load_error(images, "truncated gzip stream");
}

static void test_corrupt_gzip(void **state) {
  (void)state;
  build_images(LARGE, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, LARGE * PIXELS);
  save_gzip(images);
  build_labels(SMALL, small_labels, SMALL);  /* not reached */
  save_gzip(labels);
  static uint8_t gz[sizeof file];
  size_t n = load_plain(images, gz, sizeof gz);
  assert_true(n > 10000);
  for (size_t i = n / 2; i < n / 2 + 64; i++) gz[i] ^= 0x5a;
  save_plain(images, gz, n);
  expect_load_error(images, "");  /* whatever zlib says */
}

static void test_trailing_data(void **state) {
  (void)state;
  save_small_set();
  static const uint8_t more[SMALL + 1] = {9, 0, 4, 0};
  build_labels(SMALL, more, sizeof more);
  save_gzip(labels);
  expect_load_error(labels, "trailing data after the 3 declared bytes");
}

static void test_bad_headers(void **state) {
  (void)state;
  save_small_set();
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS);
  file[0] = 0x1f, file[1] = 0x8b;
  save_gzip(images);
  expect_load_error(images, "not an IDX file (magic 0x1f8b0803)");
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS);
  file[2] = 0x0b;  /* int16 */
  save_gzip(images);
  expect_load_error(images, "unsupported IDX element type 0x0b");

  unsigned dims[5] = {1, 1, 1, 1, 1};
  build(0, dims, pixels, 1);
  expect_idx_error("dimension count 0");
  build(5, dims, pixels, 1);
  expect_idx_error("dimension count 5");
  dims[1] = 0;
  build(2, dims, pixels, 0);
  expect_idx_error("dimension 2 is 0");
  dims[0] = dims[1] = 65536;
  build(2, dims, pixels, 0);
  expect_idx_error("too large");
  file_len = 3;
  expect_idx_error("truncated: 3 of 4 header bytes");
  build(3, dims, pixels, 0);
  file_len = 10;
  expect_idx_error("truncated: 6 of 12 dimension bytes");
}

static void test_bad_shapes(void **state) {
  (void)state;
  save_small_set();
  build_images(SMALL, SSA_FMNIST_SIDE - 1, SSA_FMNIST_SIDE, SMALL * (PIXELS - SSA_FMNIST_SIDE));
  save_gzip(images);
  expect_load_error(images, "images of shape 3x27x28, expected Nx28x28");
  build_images(SMALL, SSA_FMNIST_SIDE, SSA_FMNIST_SIDE, SMALL * PIXELS);
  save_gzip(images);
  unsigned dims[2] = {SMALL, 1};
  build(2, dims, small_labels, SMALL);
  save_gzip(labels);
  expect_load_error(labels, "labels of shape 3x1");
  build_labels(SMALL - 1, small_labels, SMALL - 1);
  save_gzip(labels);
  expect_load_error(labels, "label count 2 does not match the image count 3");
}

static void test_bad_label(void **state) {
  (void)state;
  save_small_set();
  static const uint8_t bad[SMALL] = {9, 0, 10};
  build_labels(SMALL, bad, SMALL);
  save_gzip(labels);
  expect_load_error(labels, "label 10 of item 2 is not a class");
}

static void test_missing_file(void **state) {
  (void)state;
  expect_load_error(images, "cannot open: No such file or directory");
  save_small_set();
  assert_int_equal(unlink(labels), 0);
  expect_load_error(labels, "cannot open: No such file or directory");
}

/* ---- the real dataset ---- */

static void test_real_test_set(void **state) {
  (void)state;
  ssa_dataset d;
  ssa_error err = {{0}};
  if (ssa_fmnist_load(ssa_test_fmnist_dir(SSA_FMNIST_DEFAULT_DIR), SSA_SPLIT_TEST, &d, &err) != 0)
    fail_msg("%s", err.msg);
  assert_int_equal(d.count, 10000);
  assert_int_equal(d.labels[0], 9);
  assert_string_equal(ssa_fmnist_class_name(d.labels[0]), "Ankle boot");
  unsigned per_class[SSA_FMNIST_CLASSES] = {0};
  for (unsigned i = 0; i < d.count; i++) per_class[d.labels[i]]++;
  for (unsigned c = 0; c < SSA_FMNIST_CLASSES; c++) assert_int_equal(per_class[c], 1000);
  ssa_dataset_free(&d);
}

/* ---- a fresh directory per test ---- */

static int setup(void **state) {
  (void)state;
  if (temp_dir(dir, sizeof dir, "ssa-test-idx") == NULL) return -1;
  snprintf(images, sizeof images, "%s/" IMAGES, dir);
  snprintf(labels, sizeof labels, "%s/" LABELS, dir);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  unlink(images);
  unlink(labels);
  return rmdir(dir);
}

int main(int argc, char **argv) {
  static const char *const groups[] = {"files", "dataset", NULL};
  const char *group = ssa_test_group(argc, argv, groups);
  if (group == NULL) return 2;
  if (strcmp(group, "dataset") == 0) {
    char path[4096];
    snprintf(path, sizeof path, "%s/" IMAGES, ssa_test_fmnist_dir(SSA_FMNIST_DEFAULT_DIR));
    if (!ssa_test_have("the Fashion-MNIST test set", path)) return SSA_TEST_SKIP;
    const struct CMUnitTest dataset[] = {
        cmocka_unit_test(test_real_test_set),
    };
    return cmocka_run_group_tests_name("idx dataset", dataset, NULL, NULL);
  }
  uint32_t r = 1;
  for (size_t i = 0; i < sizeof pixels; i++) {
    r = r * 1664525u + 1013904223u;
    pixels[i] = (uint8_t)(i % SSA_FMNIST_SIDE * 8 + (r >> 28));
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_small_set, setup, teardown),
      cmocka_unit_test_setup_teardown(test_plain_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_four_dimensions, setup, teardown),
      cmocka_unit_test(test_class_names),
      cmocka_unit_test_setup_teardown(test_truncated_data, setup, teardown),
      cmocka_unit_test_setup_teardown(test_truncated_gzip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_corrupt_gzip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trailing_data, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_headers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_shapes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_label, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
  };
  return cmocka_run_group_tests_name("idx files", tests, NULL, NULL);
}
