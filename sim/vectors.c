/* vectors.c -- clock-by-clock port values, their comparison and their hex form (vectors.h). */
#include "vectors.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/stepdata.h"

/* The rows are those of step data (core/stepdata.h) with one step per clock: it lays them out
 * and allocates them, and the vectors take them over. */
int ssa_vectors_init(ssa_vectors *v, const ssa_design *design, unsigned cycles, ssa_error *err) {
  memset(v, 0, sizeof *v);
  ssa_step_data rows;
  if (ssa_step_data_init(&rows, design, cycles, NULL) != 0)
    return ssa_fail(err, "out of memory for %u cycles of vectors", cycles);
  v->design = design;
  v->cycles = cycles;
  v->in_words = rows.in_words;
  v->out_words = rows.out_words;
  memcpy(v->offset, rows.offset, sizeof v->offset);
  v->in = rows.in;
  v->expected = rows.out;
  return 0;
}

void ssa_vectors_free(ssa_vectors *v) {
  ssa_step_data rows = {.in = v->in, .out = v->expected};
  ssa_step_data_free(&rows);
  v->in = v->expected = NULL;
}

uint64_t *ssa_vectors_in(const ssa_vectors *v, unsigned cycle, unsigned port) {
  return &v->in[(size_t)cycle * v->in_words + v->offset[port]];
}

uint64_t *ssa_vectors_out(const ssa_vectors *v, uint64_t *outputs, unsigned cycle, unsigned port) {
  return &outputs[(size_t)cycle * v->out_words + v->offset[port]];
}

int ssa_vectors_compare(const ssa_vectors *v, const uint64_t *actual, ssa_mismatch *m) {
  const ssa_design *d = v->design;
  for (unsigned c = 0; c < v->cycles; c++) {
    const uint64_t *exp_row = &v->expected[(size_t)c * v->out_words];
    const uint64_t *act_row = &actual[(size_t)c * v->out_words];
    if (memcmp(exp_row, act_row, v->out_words * sizeof *exp_row) == 0) continue;
    for (unsigned p = 0; p < d->port_count; p++) {
      if (d->ports[p].is_input) continue;
      for (size_t w = 0; w < ssa_port_words(&d->ports[p]); w++) {
        uint64_t diff = exp_row[v->offset[p] + w] ^ act_row[v->offset[p] + w];
        if (diff == 0) continue;
        unsigned b = (unsigned)__builtin_ctzll(diff);
        m->cycle = c;
        m->port = p;
        m->bit = (unsigned)(w * 64 + b);
        m->expected = (int)((exp_row[v->offset[p] + w] >> b) & 1u);
        m->actual = (int)((act_row[v->offset[p] + w] >> b) & 1u);
        return 1;
      }
    }
  }
  return 0;
}

static void write_port_hex(FILE *f, const uint64_t *words, unsigned width) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned nib = (width + 3) / 4; nib-- > 0;) {
    unsigned bit = nib * 4;
    fputc(digits[(words[bit / 64] >> (bit % 64)) & 0xfu], f);
  }
}

void ssa_vectors_write_hex(FILE *f, const ssa_vectors *v, const uint64_t *rows, int inputs) {
  const ssa_design *d = v->design;
  size_t row_words = inputs ? v->in_words : v->out_words;
  for (unsigned c = 0; c < v->cycles; c++) {
    int first = 1;
    for (unsigned p = 0; p < d->port_count; p++) {
      if (d->ports[p].is_input != inputs) continue;
      if (!first) fputc(' ', f);
      first = 0;
      write_port_hex(f, &rows[(size_t)c * row_words + v->offset[p]], d->ports[p].width);
    }
    fputc('\n', f);
  }
}

static int hex_value(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

int ssa_vectors_read_hex(const char *name, const char *text, const ssa_vectors *v,
                         uint64_t *rows, unsigned *rows_read, ssa_error *err) {
  const ssa_design *d = v->design;
  const char *s = text;
  unsigned line = 0;
  *rows_read = 0;
  while (*s != '\0' && line < v->cycles) {
    uint64_t *row = &rows[(size_t)line * v->out_words];
    memset(row, 0, v->out_words * sizeof *row);
    for (unsigned p = 0; p < d->port_count; p++) {
      if (d->ports[p].is_input) continue;
      while (*s == ' ') s++;
      const char *start = s;
      while (*s != '\0' && !isspace((unsigned char)*s)) s++;
      size_t digits = (size_t)(s - start), want = (d->ports[p].width + 3) / 4;
      if (digits != want)
        return ssa_fail_at(err, name, line + 1, "port %s has %zu hex digits, expected %zu",
                           d->ports[p].name, digits, want);
      for (size_t k = 0; k < digits; k++) {
        int val = hex_value(start[k]);
        if (val < 0)
          return ssa_fail_at(err, name, line + 1,
                             "port %s is '%c' (unknown or undriven) at digit %zu",
                             d->ports[p].name, start[k], k);
        size_t bit = (digits - 1 - k) * 4;
        row[v->offset[p] + bit / 64] |= (uint64_t)val << (bit % 64);
      }
    }
    while (*s == ' ' || *s == '\r') s++;
    if (*s == '\n') s++;
    else if (*s != '\0') return ssa_fail_at(err, name, line + 1, "extra fields");
    line++;
  }
  *rows_read = line;
  return 0;
}
