#pragma once
// Thin RAII layer over the HDF5 1.10 C API for the results store: every hid_t is closed by its
// owner, every failing call becomes a ResultStoreError that says what was being done and what
// HDF5 reported (its automatic error printing is switched off while the store works, so nothing
// is printed behind the user's back).
#include <hdf5.h>

#include <string>
#include <utility>

#include "spinsc/result_store.hpp"

namespace spinsc::h5 {

// Owns one HDF5 identifier; closes it with the right H5*close for its type.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: passes straight into the C API
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Switches off HDF5's automatic error printing for the lifetime of the guard (restores it after),
// so that failed calls are reported once, by our exception, and probing calls stay quiet.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t old_function_ = nullptr;
  void* old_data_ = nullptr;
};

// The innermost message on HDF5's error stack ("unable to open file", ...), or "" if none.
std::string last_error_message();

// Throws ResultStoreError("<what>: <HDF5 message>") when id < 0; returns the owned handle.
Handle check(hid_t id, const std::string& what);
// Throws when status < 0.
void check_status(herr_t status, const std::string& what);

// Type handles used everywhere: variable-length UTF-8 string (h5py reads it as str in
// attributes and with Dataset.asstr() in datasets).
Handle utf8_string_type();

}  // namespace spinsc::h5
