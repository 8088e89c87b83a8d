/* version.h -- the generator version written into every generated file's banner. */
#ifndef SSA_VERSION_H
#define SSA_VERSION_H
#define SSA_VERSION "0.1.0"
#endif
