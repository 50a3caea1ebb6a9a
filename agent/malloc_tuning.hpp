// glibc malloc settings for the agent's hand-over pattern: records are allocated by a collector
// thread and freed by the sink thread, megabytes a second. With glibc's defaults each arena
// gives its top back to the kernel as soon as 128 KiB are free and grows it again moments later
// (sysmalloc, page faults and arena locks in the profile of docs/PERFORMANCE.md, "Flows at line
// rate"). The agent's memory is bounded by its queues, not by trimming, so it keeps what it
// freed up to a limit instead.
#pragma once

namespace netfeed {

/// Applies the settings (once, before the agent's threads start), unless GLIBC_TUNABLES sets
/// malloc tunables of its own.
void tune_malloc() noexcept;

}  // namespace netfeed
