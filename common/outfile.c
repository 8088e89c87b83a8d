/* outfile.c -- atomic output files: write to a temporary, rename when complete. */
#define _POSIX_C_SOURCE 200809L
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

int ssa_outfile_check(const char *path, ssa_error *err) {
  if (path[0] == '\0') return ssa_fail(err, "an output path is empty");
  struct stat st;
  if (lstat(path, &st) == 0) {
    /* The rename would give this name a new file and leave the other names the old one. */
    if (S_ISREG(st.st_mode) && st.st_nlink > 1)
      return ssa_fail(err, "%s: has %lu hard links; an output replaces only a file with one name",
                      path, (unsigned long)st.st_nlink);
    if (S_ISREG(st.st_mode)) return 0;
    const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISLNK(st.st_mode)  ? "a symbolic link"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                                              : "a device or socket";
    return ssa_fail(err, "%s: not a regular file (%s); an output replaces only regular files",
                    path, what);
  }
  if (errno != ENOENT) return ssa_fail(err, "%s: %s", path, strerror(errno));
  return ssa_new_name_check(path, "write it in", err);
}

int ssa_new_name_check(const char *path, const char *verb, ssa_error *err) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') len--;  /* "out/" names "out" */
  const char *slash = NULL;
  for (size_t k = 0; k < len; k++)
    if (path[k] == '/') slash = path + k;
  char dir[4096];
  struct stat st;
  if (slash == NULL) snprintf(dir, sizeof dir, ".");
  else snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return ssa_fail(err, "%s: no directory %s to %s", path, dir, verb);
  if (access(dir, W_OK) != 0) return ssa_fail(err, "%s: directory %s is not writable", path, dir);
  return 0;
}

int ssa_outfile_open(ssa_outfile *of, const char *path, ssa_error *err) {
  memset(of, 0, sizeof *of);
  if (ssa_outfile_check(path, err) != 0) return -1;
  size_t len = strlen(path);
  of->path = strdup(path);
  of->tmp_path = malloc(len + 16);
  if (of->path == NULL || of->tmp_path == NULL) {
    ssa_outfile_abort(of);
    return ssa_fail(err, "%s: out of memory", path);
  }
  snprintf(of->tmp_path, len + 16, "%s.tmp.XXXXXX", path);
  int fd = ssa_cleanup_mkstemp(of->tmp_path);
  if (fd < 0) {
    int saved = errno;
    free(of->tmp_path);
    of->tmp_path = NULL;
    ssa_outfile_abort(of);
    return ssa_fail(err, "%s: cannot create: %s", path, strerror(saved));
  }
  /* mkstemp makes the file 0600; an output takes the mode of the file it replaces, and a new
   * one is an ordinary file, readable as usual. */
  struct stat old;
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, stat(path, &old) == 0 ? old.st_mode & 07777 : 0666 & ~mask);
  of->fp = fdopen(fd, "w");
  if (of->fp == NULL) {
    close(fd);
    ssa_outfile_abort(of);
    return ssa_fail(err, "%s: cannot open: %s", path, strerror(errno));
  }
  return 0;
}

/* Completes the temporary file; on failure removes it. */
static int finish_temp(ssa_outfile *of, ssa_error *err) {
  /* on disk before the rename, so that a crash cannot leave the new name with no data */
  int failed = fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)) != 0;
  if (fclose(of->fp) != 0) failed = 1;
  of->fp = NULL;
  if (failed) {
    int rc = ssa_fail(err, "%s: write failed: %s", of->path, strerror(errno));
    ssa_outfile_abort(of);
    return rc;
  }
  return 0;
}

static int rename_into_place(ssa_outfile *of, ssa_error *err) {
  if (rename(of->tmp_path, of->path) != 0) {
    int rc = ssa_fail(err, "%s: cannot rename into place: %s", of->path, strerror(errno));
    ssa_outfile_abort(of);
    return rc;
  }
  ssa_cleanup_forget(of->tmp_path);
  free(of->tmp_path);
  of->tmp_path = NULL;
  ssa_outfile_abort(of);
  return 0;
}

int ssa_outfile_commit(ssa_outfile *of, ssa_error *err) {
  if (finish_temp(of, err) != 0) return -1;
  return rename_into_place(of, err);
}

void ssa_outset_init(ssa_outset *set) { set->count = 0; }

int ssa_outset_add(ssa_outset *set, const char *path, const char *data, size_t len, ssa_error *err) {
  if (set->count >= SSA_OUTSET_MAX) return ssa_fail(err, "%s: too many output files", path);
  ssa_outfile *of = &set->files[set->count];
  if (ssa_outfile_open(of, path, err) != 0) return -1;
  fwrite(data, 1, len, of->fp);
  if (finish_temp(of, err) != 0) return -1;
  set->count++;
  return 0;
}

int ssa_outset_commit(ssa_outset *set, ssa_error *err) {
  int rc = 0;
  for (unsigned k = 0; k < set->count; k++)
    if (rc == 0) rc = rename_into_place(&set->files[k], err);
    else ssa_outfile_abort(&set->files[k]);
  set->count = 0;
  return rc;
}

void ssa_outset_abort(ssa_outset *set) {
  for (unsigned k = 0; k < set->count; k++) ssa_outfile_abort(&set->files[k]);
  set->count = 0;
}

void ssa_outfile_abort(ssa_outfile *of) {
  if (of->fp != NULL) fclose(of->fp);
  if (of->tmp_path != NULL) {
    ssa_cleanup_forget(of->tmp_path);
    unlink(of->tmp_path);
  }
  free(of->tmp_path);
  free(of->path);
  memset(of, 0, sizeof *of);
}

int ssa_write_file(const char *path, const char *data, size_t len, ssa_error *err) {
  ssa_outfile of;
  if (ssa_outfile_open(&of, path, err) != 0) return -1;
  fwrite(data, 1, len, of.fp);
  return ssa_outfile_commit(&of, err);
}
