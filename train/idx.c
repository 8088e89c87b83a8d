/* idx.c -- the IDX reader (see idx.h). zlib's gzread reads plain and gzip'd files alike; the
 * work here is telling a short read apart: a plain file that ends early, a gzip stream cut off
 * (gzread then returns short, not -1) or corrupt data, each reported as what it is. */
#include "idx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../common/process.h"

/* 0 when zlib has seen no problem; otherwise fails with it. */
static int stream_problem(gzFile gz, const char *path, ssa_error *err) {
  int code = Z_OK;
  const char *msg = gzerror(gz, &code);
  if (code == Z_OK) return 0;
  size_t n = strlen(path);
  if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) msg += n + 2;  /* ours has it */
  if (code == Z_BUF_ERROR) return ssa_fail(err, "%s: truncated gzip stream (zlib: %s)", path, msg);
  if (code == Z_DATA_ERROR) return ssa_fail(err, "%s: gzip data corrupted (zlib: %s)", path, msg);
  return ssa_fail(err, "%s: read error (%s)", path, msg);
}

/* Reads exactly len bytes (at most SSA_IDX_MAX_SIZE, so they fit gzread's int). */
static int read_exact(gzFile gz, const char *path, void *buf, size_t len, const char *what,
                      ssa_error *err) {
  int got = gzread(gz, buf, (unsigned)len);
  if (got >= 0 && (size_t)got == len) return 0;
  if (stream_problem(gz, path, err) != 0) return -1;
  return ssa_fail(err, "%s: truncated: %d of %zu %s bytes", path, got, len, what);
}

static int read_idx(gzFile gz, const char *path, ssa_idx *out, ssa_error *err) {
  uint8_t head[4 + 4 * SSA_IDX_MAX_DIMS];
  if (read_exact(gz, path, head, 4, "header", err) != 0) return -1;
  if (head[0] != 0 || head[1] != 0)
    return ssa_fail(err, "%s: not an IDX file (magic 0x%02x%02x%02x%02x)", path, head[0],
                    head[1], head[2], head[3]);
  if (head[2] != 0x08)
    return ssa_fail(err, "%s: unsupported IDX element type 0x%02x (only 0x08, unsigned byte)",
                    path, head[2]);
  if (head[3] < 1 || head[3] > SSA_IDX_MAX_DIMS)
    return ssa_fail(err, "%s: unsupported IDX dimension count %u (1 to %u)", path, head[3],
                    SSA_IDX_MAX_DIMS);
  out->ndims = head[3];
  if (read_exact(gz, path, head + 4, 4 * out->ndims, "dimension", err) != 0) return -1;
  uint64_t size = 1;  /* at most 2^30 * (2^32 - 1) before the check below: no overflow */
  for (unsigned i = 0; i < out->ndims; i++) {
    const uint8_t *b = head + 4 + 4 * i;
    out->dims[i] = (unsigned)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | b[2] << 8 | b[3]);
    if (out->dims[i] == 0) return ssa_fail(err, "%s: empty: dimension %u is 0", path, i + 1);
    size *= out->dims[i];
    if (size > SSA_IDX_MAX_SIZE)
      return ssa_fail(err, "%s: too large: over %u bytes of data", path, SSA_IDX_MAX_SIZE);
  }
  out->size = (size_t)size;
  out->data = malloc(out->size);
  if (out->data == NULL) return ssa_fail(err, "%s: out of memory", path);
  if (read_exact(gz, path, out->data, out->size, "data", err) != 0) return -1;
  /* The end must come now, and cleanly: this read also makes zlib check the gzip trailer. */
  uint8_t extra;
  if (gzread(gz, &extra, 1) > 0)
    return ssa_fail(err, "%s: trailing data after the %zu declared bytes", path, out->size);
  return stream_problem(gz, path, err);
}

int ssa_idx_read(const char *path, ssa_idx *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  if (ssa_input_check(path, err) != 0) return -1;
  errno = 0;
  gzFile gz = gzopen(path, "rb");
  if (gz == NULL)
    return ssa_fail(err, "%s: cannot open: %s", path,
                    errno != 0 ? strerror(errno) : "out of memory");
  int rc = read_idx(gz, path, out, err);
  if (gzclose(gz) != Z_OK && rc == 0) rc = ssa_fail(err, "%s: read error on close", path);
  if (rc != 0) ssa_idx_free(out);
  return rc;
}

void ssa_idx_free(ssa_idx *idx) {
  free(idx->data);
  memset(idx, 0, sizeof *idx);
}
