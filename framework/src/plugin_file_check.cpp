#include "plugin_file_check.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <vector>

namespace spinsc {

namespace {
// a + b <= limit, without overflow.
bool within(std::uint64_t a, std::uint64_t b, std::uint64_t limit) { return a <= limit && b <= limit - a; }
}  // namespace

std::string shared_library_problem(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return "cannot be read: " + ec.message();
  std::ifstream in(file, std::ios::binary);
  if (!in) return "cannot be opened for reading";
  Elf64_Ehdr header{};
  if (size < sizeof header || !in.read(reinterpret_cast<char*>(&header), sizeof header))
    return "truncated: " + std::to_string(size) + " bytes, too short for an ELF header";
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file";
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
    return "not a 64-bit little-endian ELF file";
  if (header.e_type != ET_DYN) return "not a shared library (ELF type " + std::to_string(header.e_type) + ")";
#if defined(__x86_64__)
  if (header.e_machine != EM_X86_64) return "built for another machine (ELF machine " + std::to_string(header.e_machine) + ")";
#endif
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0) return "has no usable program headers";
  const std::uint64_t table_bytes = std::uint64_t(header.e_phnum) * sizeof(Elf64_Phdr);
  if (!within(header.e_phoff, table_bytes, size))
    return "truncated: its program headers end beyond its " + std::to_string(size) + " bytes";
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  in.seekg(std::streamoff(header.e_phoff));
  if (!in.read(reinterpret_cast<char*>(segments.data()), std::streamsize(table_bytes)))
    return "cannot read its program headers";
  for (const Elf64_Phdr& segment : segments) {
    if (segment.p_type == PT_LOAD && !within(segment.p_offset, segment.p_filesz, size))
      return "truncated: a loadable segment ends at byte " + std::to_string(segment.p_offset + segment.p_filesz) +
             " of a " + std::to_string(size) + "-byte file";
  }
  if (header.e_shnum > 0 &&
      !within(header.e_shoff, std::uint64_t(header.e_shnum) * header.e_shentsize, size))
    return "truncated: its section headers end beyond its " + std::to_string(size) + " bytes";
  return "";
}

}  // namespace spinsc
