#pragma once
// A small persistent pool of worker threads for data-parallel loops over fixed work items
// (chunks of samples, blocks of weight rows). Work items are claimed dynamically, so which
// thread runs an item varies; results are identical for any thread count as long as each item
// writes only its own output and items are merged in index order by the caller.
//
//   WorkerPool pool(2);
//   pool.run(n_chunks, [&](std::size_t chunk) { ... });   // returns when all items are done
#include <boost/config.hpp>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace spinsc {

class BOOST_SYMBOL_VISIBLE WorkerPool {
 public:
  // threads <= 0: one per hardware thread. The calling thread is one of the workers.
  explicit WorkerPool(int threads = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return static_cast<int>(threads_.size()) + 1; }
  // Calls task(i) for every i in [0, n). Rethrows the first exception a task threw.
  void run(std::size_t n, const std::function<void(std::size_t)>& task);

 private:
  void work_loop();
  void drain();
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t n_items_ = 0, next_item_ = 0, busy_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace spinsc
