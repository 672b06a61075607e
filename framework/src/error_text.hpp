#pragma once
// A text helper for error messages inside the framework (defined in params.cpp).
#include <string>
#include <string_view>

namespace spinsc {

// A value as an error message quotes it: at most 120 characters, the rest counted, so that a
// 50 MB one-line value does not flood the terminal.
std::string shown_in_error(std::string_view text);

}  // namespace spinsc
