#pragma once
// Small text helpers for validation and error messages inside the framework (defined in params.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace spinsc {

// A value as an error message quotes it: at most 120 characters, the rest counted, so that a
// 50 MB one-line value does not flood the terminal.
std::string shown_in_error(std::string_view text);

// split_list without dropping empty items ("0.1,,0.9" -> "0.1", "", "0.9"), each trimmed.
std::vector<std::string> split_list_keeping_empty(const std::string& text);

}  // namespace spinsc
