// How many threads a parallel stage may use, shared by the calling pass and batch runs. Declared
// here without TBB, so TBB stays an implementation detail of the modules that run task arenas.
#pragma once

namespace genodose {

// Threads for a task arena: `requested`, but at most what the machine offers. TBB serves no more
// workers than its default concurrency and prints a warning (past --quiet) when asked for more.
int arena_threads(int requested);

}  // namespace genodose
