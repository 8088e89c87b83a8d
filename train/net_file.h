/* net_file.h -- the trained network's weights file: a text header with the shape, then each
 * tensor's values row by row, printed with 9 significant digits so that a float reads back
 * exactly. Comment lines ('#') carry the command that produced the file.
 *
 *   ssa-net 1
 *   model snn-sc
 *   embed 32 / heads 2 / hidden 64 / steps 10 / share unit / scale-shift 3 / attention-seed 1 /
 *   lif-beta 1 / lif-reset subtract                (one "key value" per line)
 *   tensor patch.weight 49 32
 *   <49 lines of 32 numbers>
 *   ... every tensor of net.h in order ...
 *   end */
#ifndef SSA_NET_FILE_H
#define SSA_NET_FILE_H

#include "../common/error.h"
#include "net.h"

/* Written whole or not at all (common/outfile.h); comment may hold several lines. */
int ssa_net_save(const ssa_net *net, const char *path, const char *comment, ssa_error *err);
/* Reads and checks the whole file; errors are "path:line: problem". net is allocated by the
 * call (ssa_net_free) only on success. */
int ssa_net_load(ssa_net *net, const char *path, ssa_error *err);

#endif
