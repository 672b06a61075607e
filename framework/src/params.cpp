#include "spinsc/params.hpp"

#include <boost/algorithm/string/trim.hpp>

#include "error_text.hpp"

namespace spinsc {

std::string shown_in_error(std::string_view text) {
  constexpr std::size_t kShown = 120;
  if (text.size() <= kShown) return std::string(text);
  return std::string(text.substr(0, kShown)) + "... (" + std::to_string(text.size()) + " characters in all)";
}

std::vector<std::string> split_list_keeping_empty(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    boost::algorithm::trim(item);
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items = split_list_keeping_empty(text);
  std::erase_if(items, [](const std::string& item) { return item.empty(); });
  return items;
}

OptionsBuilder::OptionsBuilder(po::options_description& description, std::string prefix)
    : description_(description), prefix_(std::move(prefix)) {}

std::string OptionsBuilder::full_key(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

Params::Params(const po::variables_map& values, std::string prefix)
    : values_(&values), prefix_(std::move(prefix)) {}

std::string Params::full_key(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

bool Params::has(std::string_view key) const {
  auto it = values_->find(full_key(key));
  return it != values_->end() && !it->second.empty();
}

Params Params::section(std::string_view sub_prefix) const { return Params(*values_, full_key(sub_prefix)); }

}  // namespace spinsc
