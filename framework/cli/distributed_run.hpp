#pragma once
// spinsc run under mpirun: one experiment spread over the ranks of an MPI job (Open MPI, or any
// MPI the build found). Rank 0 opens the results file and hands out runs; every rank, rank 0
// included (its coordinator is a second thread), asks for a run, runs it and sends it to rank 0,
// which writes it. The runs that share one training id (a unit) train its network once: the first
// run handed out trains it and sends it to rank 0, and the unit's other runs go to a rank that
// keeps it, or, when a rank would wait otherwise, to that rank with the network. Streams are
// keyed by each run's identity, so the results file holds the same numbers as a single-process
// run of the same file (timings aside).
#include <filesystem>
#include <string>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"

namespace spinsc::cli {

// "on (Open MPI v4.1.4, ...)" or "off (built without MPI)", for spinsc --version.
std::string mpi_description();

// Size of the MPI job this process was started in by mpirun/srun (from the launcher's
// environment), 1 if none: spinsc initializes MPI only inside such a job.
int launched_job_size();

// Holds MPI initialized for spinsc run inside a job (finalized when it goes out of scope).
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  bool initialized_ = false;
  int rank_ = 0, size_ = 1;
};

// Runs the experiment over the session's ranks into `output` (see above); returns the exit code
// (0: every run complete). Rank 0 prints progress; the other ranks print nothing.
int run_distributed(const MpiSession& mpi, const Experiment& experiment, PluginRegistry& registry,
                    const std::filesystem::path& output, bool force);

}  // namespace spinsc::cli
