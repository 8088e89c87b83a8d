/* fmnist.h -- Fashion-MNIST (Zalando's 28x28 greyscale clothes, 10 classes), the dataset that
 * ssa train and ssa eval use: its four gzip'd IDX files, loaded and checked as one set, so that
 * a damaged file gives an error rather than a silently smaller or misaligned dataset. */
#ifndef SSA_FMNIST_H
#define SSA_FMNIST_H

#include <stdint.h>

#include "../common/error.h"

/* Where Debian's dataset-fashion-mnist installs it. */
#define SSA_FMNIST_DEFAULT_DIR "/usr/share/datasets/fashion-mnist"
#define SSA_FMNIST_SIDE 28u
#define SSA_FMNIST_CLASSES 10u

typedef struct ssa_dataset {
  unsigned count;
  uint8_t *pixels;  /* count * 28 * 28, row-major, 0 (background) to 255 */
  uint8_t *labels;  /* count, each below SSA_FMNIST_CLASSES */
} ssa_dataset;

enum ssa_split { SSA_SPLIT_TRAIN, SSA_SPLIT_TEST };  /* 60000 and 10000 images */

/* Loads dir/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (plain files under those names are
 * read too). Checks that the images are 28x28, that there is one label per image and that every
 * label is a class; on any error out is left empty and -1 returned. */
int ssa_fmnist_load(const char *dir, enum ssa_split split, ssa_dataset *out, ssa_error *err);
/* Frees the arrays and empties d; harmless on an empty one. */
void ssa_dataset_free(ssa_dataset *d);
/* "T-shirt/top" ... "Ankle boot"; NULL for a label that is not a class. */
const char *ssa_fmnist_class_name(unsigned label);

#endif
