#pragma once
// Checks of "a folder without permission is refused" must run as root too (CI containers run as
// root). Root passes permission checks through two capabilities, CAP_DAC_OVERRIDE (write and
// read anything) and CAP_DAC_READ_SEARCH (read and list anything); without them a chmod 000 or
// read-only folder refuses root as it refuses everyone else. Two ways to drop them:
//   - in this process: PermissionOverrideDropped lowers them from the effective set of the calling
//     thread (they stay permitted, so they are raised again at the end of its scope);
//   - for a command: without_permission_override() is a prefix that runs it under util-linux's
//     setpriv with both capabilities removed from its bounding and inheritable sets (a process
//     exec'd by root gets its capabilities from the bounding set, so the in-process drop would
//     not reach it).
// Not root: both do nothing, permission checks already apply.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

namespace spinsc_permissions {

inline bool running_as_root() { return ::geteuid() == 0; }

constexpr std::uint32_t kOverrideBits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);

// Both capabilities out of the calling thread's effective set for the object's lifetime.
class PermissionOverrideDropped {
 public:
  PermissionOverrideDropped() {
    if (!running_as_root()) return;
    BOOST_REQUIRE_MESSAGE(get(), "capget failed: cannot drop root's permission override");
    saved_effective_ = data_[0].effective;
    data_[0].effective &= ~kOverrideBits;
    BOOST_REQUIRE_MESSAGE(set(), "capset failed: cannot drop root's permission override");
    dropped_ = true;
  }
  ~PermissionOverrideDropped() {
    if (!dropped_) return;
    data_[0].effective = saved_effective_;
    set();
  }
  PermissionOverrideDropped(const PermissionOverrideDropped&) = delete;
  PermissionOverrideDropped& operator=(const PermissionOverrideDropped&) = delete;

 private:
  bool get() { return ::syscall(SYS_capget, &header_, data_) == 0; }
  bool set() { return ::syscall(SYS_capset, &header_, data_) == 0; }
  __user_cap_header_struct header_{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data_[_LINUX_CAPABILITY_U32S_3]{};
  std::uint32_t saved_effective_ = 0;
  bool dropped_ = false;
};

// A shell prefix that runs a command without root's permission override ("" when not root).
inline std::string without_permission_override() {
  if (!running_as_root()) return "";
  return "setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search ";
}

}  // namespace spinsc_permissions
