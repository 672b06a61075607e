#include "results/h5_handle.hpp"

namespace spinsc::h5 {

void Handle::reset() {
  if (id_ < 0) return;
  // H5Iget_type tells which close function owns the id; a wrong one would leak or fail.
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: H5Idec_ref(id_); break;
  }
  id_ = H5I_INVALID_HID;
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &old_function_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}
QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, old_function_, old_data_); }

namespace {
herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* client) {
  // Walking downward, the last entry is the innermost (the actual cause).
  auto* out = static_cast<std::string*>(client);
  if (error != nullptr && error->desc != nullptr && error->desc[0] != '\0') *out = error->desc;
  (void)n;
  return 0;
}
}  // namespace

std::string last_error_message() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &message);
  return message;
}

Handle check(hid_t id, const std::string& what) {
  if (id < 0) {
    const std::string cause = last_error_message();
    throw ResultStoreError(what + (cause.empty() ? std::string() : ": " + cause));
  }
  return Handle(id);
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) {
    const std::string cause = last_error_message();
    throw ResultStoreError(what + (cause.empty() ? std::string() : ": " + cause));
  }
}

Handle utf8_string_type() {
  Handle type = check(H5Tcopy(H5T_C_S1), "copying the string type");
  check_status(H5Tset_size(type, H5T_VARIABLE), "making a variable-length string type");
  check_status(H5Tset_cset(type, H5T_CSET_UTF8), "setting UTF-8 on the string type");
  return type;
}

}  // namespace spinsc::h5
