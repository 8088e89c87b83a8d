/* cell_table.h -- the built-in 45 nm cell figures, used when the user gives no Liberty file.
 * One row per generic gate Yosys leaves after `dffunmap; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,
 * AOI3,OAI3,AOI4,OAI4` ($_NOT_, $_BUF_ and $_DFF_P_ / $_DFF_N_ besides), each priced as the
 * NanGate FreePDK45 Open Cell Library cell that implements it (typical corner, 1.1 V):
 *
 *   $_NOT_ INV_X1    $_AND_ AND2_X1   $_OR_ OR2_X1     $_XOR_ XOR2_X1    $_MUX_ MUX2_X1
 *   $_BUF_ BUF_X1    $_NAND_ NAND2_X1 $_NOR_ NOR2_X1   $_XNOR_ XNOR2_X1
 *   $_AOI3_ AOI21_X1 $_OAI3_ OAI21_X1 $_AOI4_ AOI22_X1 $_OAI4_ OAI22_X1
 *   $_DFF_P_ DFF_X1  $_DFF_N_ DFF_X1
 *
 * The table has the shape of a Liberty library (liberty.h) with the same definitions of every
 * figure, so an estimator looks a netlist's cell type up with ssa_liberty_find in either. */
#ifndef SSA_CELL_TABLE_H
#define SSA_CELL_TABLE_H

#include "liberty.h"

/* The supply voltage the table's figures hold at (the library's nom_voltage). */
#define SSA_CELL_TABLE_VOLTAGE_V 1.1

/* The table as a library whose cells are named by the Yosys types ("$_NAND_"). Static, never
 * freed; its nom_voltage_v is SSA_CELL_TABLE_VOLTAGE_V and its units are the normalised ones. */
const ssa_liberty *ssa_cell_table_builtin(void);

/* The NanGate cell a Yosys type stands for ("NAND2_X1" for "$_NAND_"), NULL if the table has
 * no row for it. */
const char *ssa_cell_table_cell(const char *yosys_type);

#endif
