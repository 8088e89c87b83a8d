/* lines.h -- the line-oriented text formats (spike and weights files): '#' starts a comment
 * that runs to the end of its line, and a writer may head a file with comment lines. */
#ifndef SSA_LINES_H
#define SSA_LINES_H

#include <stddef.h>
#include <stdio.h>

/* The next line of text[*pos..len) without its comment and trailing blanks (' ', '\t', '\r'):
 * *line and *n get what is left of it (n is 0 for a blank line), and *pos moves past the
 * line's newline. Returns 0 when no text is left. */
int ssa_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n);

/* Writes comment as comment lines, one per line of it: "# text", or "#" alone for an empty
 * line (no trailing space). */
void ssa_write_comment(FILE *f, const char *comment);

#endif
