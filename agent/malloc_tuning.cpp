// See malloc_tuning.hpp.
#include "agent/malloc_tuning.hpp"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace netfeed {

void tune_malloc() noexcept {
    // An operator's own malloc tunables win.
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return;
    // Free memory at an arena's top is returned to the kernel only beyond 64 MiB; every growth
    // takes 8 MiB more than asked, so a burst does not grow the heap a page at a time. Setting
    // the trim threshold also stops glibc's dynamic mmap threshold; 4 MiB keeps the record
    // batches and JSON buffers on the heap rather than in a fresh mmap each.
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

}  // namespace netfeed
