// Included into every file of the native engine's build (native/build.sh): the GC heap's new areas
// come from native.c, which models the ESP32's internal RAM they are taken from.
#include <stddef.h>
void *native_alloc_heap(size_t size);
void native_free_heap(void *ptr);
