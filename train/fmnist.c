/* fmnist.c -- loading Fashion-MNIST (see fmnist.h). idx.c checks each file on its own; here
 * come the checks that need both files: shapes, one label per image, labels that are classes.
 * The images' IDX data is already count x 28 x 28 row-major, so it becomes the pixels as is. */
#include "fmnist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idx.h"

static const char *const class_names[SSA_FMNIST_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

/* "3x27x28": the shape, for messages. */
static const char *shape(const ssa_idx *idx, char *buf, size_t size) {
  size_t n = 0;
  for (unsigned i = 0; i < idx->ndims && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, "%s%u", i > 0 ? "x" : "", idx->dims[i]);
  return buf;
}

static int load(const char *images, const char *labels, ssa_idx *img, ssa_idx *lab,
                ssa_error *err) {
  char buf[64];
  if (ssa_idx_read(images, img, err) != 0) return -1;
  if (img->ndims != 3 || img->dims[1] != SSA_FMNIST_SIDE || img->dims[2] != SSA_FMNIST_SIDE)
    return ssa_fail(err, "%s: images of shape %s, expected Nx%ux%u", images,
                    shape(img, buf, sizeof buf), SSA_FMNIST_SIDE, SSA_FMNIST_SIDE);
  if (ssa_idx_read(labels, lab, err) != 0) return -1;
  if (lab->ndims != 1)
    return ssa_fail(err, "%s: labels of shape %s, expected a single dimension", labels,
                    shape(lab, buf, sizeof buf));
  if (lab->dims[0] != img->dims[0])
    return ssa_fail(err, "%s: label count %u does not match the image count %u of %s", labels,
                    lab->dims[0], img->dims[0], images);
  for (unsigned i = 0; i < lab->dims[0]; i++)
    if (lab->data[i] >= SSA_FMNIST_CLASSES)
      return ssa_fail(err, "%s: label %u of item %u is not a class (0 to %u)", labels,
                      lab->data[i], i, SSA_FMNIST_CLASSES - 1);
  return 0;
}

int ssa_fmnist_load(const char *dir, enum ssa_split split, ssa_dataset *out, ssa_error *err) {
  memset(out, 0, sizeof *out);
  const char *prefix = split == SSA_SPLIT_TRAIN ? "train" : "t10k";
  char images[4096], labels[4096];
  if ((size_t)snprintf(images, sizeof images, "%s/%s-images-idx3-ubyte.gz", dir, prefix) >=
          sizeof images ||
      (size_t)snprintf(labels, sizeof labels, "%s/%s-labels-idx1-ubyte.gz", dir, prefix) >=
          sizeof labels)
    return ssa_fail(err, "%s: directory name too long", dir);
  ssa_idx img, lab;
  memset(&lab, 0, sizeof lab);  /* img is emptied by its read, lab only once it is read */
  if (load(images, labels, &img, &lab, err) != 0) {
    ssa_idx_free(&img);
    ssa_idx_free(&lab);
    return -1;
  }
  out->count = img.dims[0];
  out->pixels = img.data;
  out->labels = lab.data;
  return 0;
}

void ssa_dataset_free(ssa_dataset *d) {
  free(d->pixels);
  free(d->labels);
  memset(d, 0, sizeof *d);
}

const char *ssa_fmnist_class_name(unsigned label) {
  return label < SSA_FMNIST_CLASSES ? class_names[label] : NULL;
}
