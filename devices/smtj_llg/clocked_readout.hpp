#pragma once
// Clocked read-out: N junctions integrated together at one bias with the Heun stepper driven by
// Odeint's integrate_const, one call per clock period. A Schmitt trigger on each junction's
// resistance watches every step (switching events are its transitions); at the end of each
// period its state is the bit. Junction j is one stream: its bits go to its own words.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "device_physics.hpp"
#include "spinsc/random.hpp"

namespace spinsc::smtj_llg {

struct ClockedReadoutResult {
  std::size_t words_per_junction = 0;
  std::vector<std::uint64_t> words;     // junction j: words[j * words_per_junction + t / 64], bit t % 64
  std::vector<std::uint64_t> ones;      // per junction: number of 1 bits
  std::vector<std::uint64_t> switches;  // per junction: Schmitt transitions while the bits were taken
  std::uint64_t steps = 0;              // integration steps per junction (burn-in included)
};

// Runs burn_in_clocks + n_clocks periods of every junction at `bias`; junction j starts at
// m = -z (antiparallel) if start_antiparallel[j], else m = +z, and draws its thermal field from
// streams[j]. Bit 1 = antiparallel (high resistance).
ClockedReadoutResult run_clocked_readout(const DevicePhysics& physics, double bias,
                                         const std::vector<JunctionCoefficients>& junctions,
                                         std::vector<RandomStream> streams,
                                         const std::vector<std::uint8_t>& start_antiparallel,
                                         std::size_t burn_in_clocks, std::size_t n_clocks);

// Integration steps in one clock period (the period is rounded to a whole number of steps).
std::size_t steps_per_clock(const DevicePhysics& physics);

}  // namespace spinsc::smtj_llg
