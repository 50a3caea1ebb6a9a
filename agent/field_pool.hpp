// Field vectors recycled between the thread that builds records and the thread that destroys
// them. A flow record's field vector (about 2 KiB) is allocated by a receive thread and freed
// by the sink thread, hundreds of thousands of times a second: glibc serves that pattern slowly
// (the freed block goes back to the allocating thread's arena, under its lock) and it was the
// largest item of the profile in docs/PERFORMANCE.md, "Flows at line rate". Instead, a record
// that dies hands its emptied vector to a small shared pool, and the builder takes one from it.
#pragma once

#include <cstddef>
#include <vector>

#include "agent/record.hpp"

namespace netfeed {

/// An empty vector with room for at least `capacity` fields, recycled when the pool has one.
std::vector<Field> take_field_vector(std::size_t capacity);

/// Called by ~Record: empties `fields` and keeps its storage for take_field_vector (up to a
/// bound: a few MiB across the process); else frees it.
void recycle_field_vector(std::vector<Field>&& fields) noexcept;

/// Vectors waiting in the shared pool (not counting the per-thread caches); for tests.
std::size_t pooled_field_vectors() noexcept;

}  // namespace netfeed
