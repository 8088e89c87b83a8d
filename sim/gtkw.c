/* gtkw.c -- GTKWave save files (see gtkw.h). Flags after '@': 0x22 right-justified hex,
 * 0x28 right-justified binary, as GTKWave itself writes them. */
#include "gtkw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/outfile.h"

static void signal(FILE *f, const char *scope, const char *name, unsigned width) {
  if (width <= 1) fprintf(f, "@28\n%s.%s\n", scope, name);
  else fprintf(f, "@22\n%s.%s[%u:0]\n", scope, name, width - 1);
}

char *ssa_gtkw_render(const ssa_design *d, const ssa_gtkw *g, size_t *len) {
  char *text = NULL;
  FILE *f = open_memstream(&text, len);
  if (f == NULL) return NULL;
  fprintf(f, "[*] GTKWave save file written by ssa for %s\n", d->top);
  if (g->comment != NULL) fprintf(f, "[*] %s\n", g->comment);
  /* a name relative to the save file keeps the pair movable */
  const char *base = strrchr(g->fst_path, '/');
  fprintf(f, "[dumpfile] \"%s\"\n", base ? base + 1 : g->fst_path);
  fprintf(f, "[timestart] 0\n[size] 1400 800\n[pos] -1 -1\n");
  /* fit the run into about 900 pixels of wave pane: zoom is a base-2 logarithm, and zoom 0
   * shows about 213 pixels per time unit in GTKWave 3.3 (measured on a screenshot) */
  double zoom = g->end_time > 0 ? -log2((double)g->end_time / 900.0 * 213.0) : 0.0;
  fprintf(f, "*%f %lld", zoom, g->marker_time >= 0 ? g->marker_time : -1LL);
  for (int k = 0; k < 26; k++) fputs(" -1", f); /* named markers A to Z: none */
  fputc('\n', f);
  fprintf(f, "[treeopen] %s.\n[sst_width] 260\n[signals_width] 240\n[sst_expanded] 1\n", g->scope);
  signal(f, g->scope, "clk_i", 1);
  for (unsigned p = 0; p < d->port_count; p++)
    if (d->ports[p].is_input) signal(f, g->scope, d->ports[p].name, d->ports[p].width);
  for (unsigned p = 0; p < d->port_count; p++)
    if (!d->ports[p].is_input) signal(f, g->scope, d->ports[p].name, d->ports[p].width);
  if (g->extra != NULL)
    for (const char *const *e = g->extra; *e != NULL; e++) fprintf(f, "@22\n%s.%s\n", g->scope, *e);
  if (fclose(f) != 0) {
    free(text);
    return NULL;
  }
  return text;
}

int ssa_gtkw_write(const char *path, const ssa_design *d, const ssa_gtkw *g, ssa_error *err) {
  size_t len = 0;
  char *text = ssa_gtkw_render(d, g, &len);
  if (text == NULL) return ssa_fail(err, "%s: out of memory", path);
  int rc = ssa_write_file(path, text, len, err);
  free(text);
  return rc;
}

char *ssa_gtkw_path_for(const char *fst_path) {
  size_t len = strlen(fst_path);
  char *out = malloc(len + 6);
  if (out == NULL) return NULL;
  memcpy(out, fst_path, len + 1);
  const char *slash = strrchr(out, '/');
  char *dot = strrchr(out, '.');
  if (dot != NULL && (slash == NULL || dot > slash)) *dot = '\0';
  strcat(out, ".gtkw");
  return out;
}
