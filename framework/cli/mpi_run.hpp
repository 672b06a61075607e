#pragma once
// `mpirun -n N spinsc run FILE.ini`: one experiment spread over N MPI ranks (Open MPI). Rank 0
// owns the results file (lock, index, every write); every rank runs a share of the points and
// sends each finished run to rank 0, which stores it as a single process would. The share keeps
// the points of one training id on one rank (trained once there), so every number in the file
// is the one a single-process run gives; only timings differ.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "spinsc/experiment.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::cli {

// This process's place in an MPI job: size 1 when spinsc was not started by mpirun (or was
// built without MPI). MPI is initialized on first use only under mpirun, and finalized at exit.
struct MpiPlace {
  int rank = 0, size = 1;
};
MpiPlace mpi_place();

// "on (Open MPI v4.1.4)" or "off" (spinsc --version).
std::string mpi_description();

// The points rank `rank` of `size` runs: those of every size-th training id, in order of first
// appearance (points without a training id count one each).
std::function<bool(std::size_t point)> share_of(const Experiment& experiment, int rank, int size);

// Rank 0: `store` (the results file) is wrapped so that the runs of the other ranks are stored
// as they arrive; its finish() waits for all of them. Other ranks: a store that sends each run
// to rank 0 and knows the stored runs of `file` (read once rank 0 has opened it).
// `open` opens the real store; it is called on rank 0 only, and every rank learns whether it worked.
std::unique_ptr<ResultStore> distributed_store(const MpiPlace& place, const std::string& file,
                                               const std::function<std::unique_ptr<ResultStore>()>& open);

// Rank 0, after finish(): the runs other ranks made (stored here), and how many of them failed.
struct RunsElsewhere {
  std::size_t stored = 0, failed = 0;
};
RunsElsewhere runs_elsewhere(const ResultStore& store);

}  // namespace spinsc::cli
