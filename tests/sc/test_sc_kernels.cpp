// Requirement: every SC kernel set this CPU runs (AVX-512, AVX2, portable) counts exactly: on the
// same streams -- random, all ones against all zeros (the largest count a lane can take), all
// zeros, lengths that are not a multiple of 64 or of a vector, fan-ins across every byte-lane
// flush of the AVX2 path -- each gives the count of a plain popcount loop written here, and an
// SC network gives the same output sums bit for bit with each kernel. SPINSC_SC_KERNEL forces a
// kernel; an unknown value is an error naming the variable and the valid values.
#define BOOST_TEST_MODULE sc_kernels
#include <bit>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "sc/sc_engine_fixture.hpp"
#include "spinsc/params.hpp"
#include "spinsc/sc_kernels.hpp"

using namespace spinsc;

namespace {

enum class Fill { random, ones, zeros };

// Streams of `bits` bits in `words` words (zero past the last bit, as the engine keeps them).
std::vector<std::uint64_t> streams(std::size_t count, std::size_t words, std::size_t bits, Fill fill,
                                   RandomStream& rng) {
  std::vector<std::uint64_t> out(count * words);
  for (std::size_t s = 0; s < count; ++s)
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t v = fill == Fill::ones ? ~0ull : fill == Fill::zeros ? 0ull : rng.next_u64();
      const std::size_t first = 64 * w;
      if (bits < first + 64) v &= bits > first ? (1ull << (bits - first)) - 1 : 0ull;
      out[s * words + w] = v;
    }
  return out;
}

// The oracle: a plain popcount loop, independent of the kernels.
// The bank neuron's count by a plain loop: XOR, or AND (and_gate).
std::uint64_t direct_bank(const std::vector<std::uint64_t>& xs, const std::vector<std::uint8_t>& levels,
                          const std::vector<std::uint32_t>& idx, const std::vector<std::vector<std::uint64_t>>& banks,
                          std::size_t words, bool and_gate = false) {
  std::uint64_t d = 0;
  for (std::size_t j = 0; j < levels.size(); ++j)
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t a = xs[j * words + w], b = banks[levels[j]][idx[j] * words + w];
      d += std::popcount(and_gate ? (a & b) : (a ^ b));
    }
  return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_portable_kernel_is_always_available_and_last) {
  const auto k = sc_kernels_available();
  BOOST_TEST_REQUIRE(!k.empty());
  BOOST_TEST(std::string(k.back()->name) == "portable");
  BOOST_TEST(&sc_kernels_for("") == k.front());
  BOOST_TEST(&sc_kernels_for("portable") == k.back());
  BOOST_TEST_MESSAGE("kernels on this CPU, best first:");
  for (const auto* kernel : k) BOOST_TEST_MESSAGE("  " << kernel->name << ": " << kernel->description);
}

BOOST_AUTO_TEST_CASE(bank_kernels_count_exactly_at_every_length_fill_and_fan_in) {
  RandomStream rng(17, "kernel-bank");
  const std::size_t K = 8, Q = 3;
  int failures = 0;
  // Lengths: 1 to 20 words (unrolled 1..8 and the general path), full and with a ragged tail.
  // Fan-ins: small, around the AVX2 flush boundaries (31 / V synapses per flush) and large.
  for (std::size_t words = 1; words <= 20; ++words)
    for (std::size_t bits : {64 * words, 64 * words - 27})
      for (std::size_t n : {std::size_t(1), std::size_t(7), std::size_t(31), std::size_t(32), std::size_t(63),
                            std::size_t(785), std::size_t(4097)})
        for (Fill fill : {Fill::random, Fill::ones, Fill::zeros})
          for (bool and_gate : {false, true}) {
          // XOR: inputs of `fill` against banks of the opposite, the count is all of it (ones /
          // zeros); AND: all ones against all ones, all of it, and zeros against zeros, none.
          const Fill bank_fill = and_gate ? fill : fill == Fill::ones ? Fill::zeros : fill == Fill::zeros ? Fill::ones : Fill::random;
          const auto xs = streams(n, words, bits, fill, rng);
          std::vector<std::vector<std::uint64_t>> banks;
          std::vector<const std::uint64_t*> bank_ptr;
          for (std::size_t q = 0; q < Q; ++q) banks.push_back(streams(K, words, bits, bank_fill, rng));
          for (auto& b : banks) bank_ptr.push_back(b.data());
          std::vector<std::uint8_t> levels(n);
          std::vector<std::uint32_t> idx(n);
          for (std::size_t j = 0; j < n; ++j) {
            levels[j] = std::uint8_t(rng.below(Q));
            idx[j] = std::uint32_t(rng.below(K));
          }
          const std::uint64_t expected = direct_bank(xs, levels, idx, banks, words, and_gate);
          if (fill != Fill::random)
            BOOST_TEST_REQUIRE(expected == (and_gate && fill == Fill::zeros ? 0 : std::uint64_t(n) * bits));
          for (const auto* k : sc_kernels_available()) {
            const auto* row = and_gate ? k->bank_and : k->bank_xor;
            const auto unrolled = words <= 8 ? row[words] : row[0];
            const std::uint64_t got = unrolled(xs.data(), levels.data(), idx.data(), n, bank_ptr.data(), words);
            const std::uint64_t general = row[0](xs.data(), levels.data(), idx.data(), n, bank_ptr.data(), words);
            failures += got != expected || general != expected;
            if (got != expected || general != expected)
              BOOST_ERROR(k->name << (and_gate ? " and" : " xor") << " words=" << words << " bits=" << bits << " n=" << n
                                  << " fill=" << int(fill) << ": " << got << " / " << general << " != " << expected);
          }
        }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(gate_count_kernels_count_exactly) {
  RandomStream rng(17, "kernel-gate");
  // Lengths 0..300 words cover every vector tail; 31 * 4 and 31 * 4 + 1 words sit at the AVX2
  // flush; 32771 words of ones is a long run with the largest count per lane.
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  lengths.push_back(32771);
  int failures = 0;
  for (std::size_t n : lengths)
    for (Fill fill : {Fill::random, Fill::ones, Fill::zeros}) {
      const auto a = streams(1, n, 64 * n, fill, rng);
      const auto b = streams(1, n, 64 * n, fill == Fill::random ? Fill::random : Fill::ones, rng);
      const auto c = streams(1, n, 64 * n, fill == Fill::random ? Fill::random : Fill::zeros, rng);
      std::uint64_t want_xor = 0, want_and = 0, want_xor_c = 0;
      for (std::size_t w = 0; w < n; ++w) {
        want_xor += std::popcount(a[w] ^ b[w]);
        want_and += std::popcount(a[w] & b[w]);
        want_xor_c += std::popcount(a[w] ^ c[w]);
      }
      for (const auto* k : sc_kernels_available()) {
        const auto x = k->xor_count(a.data(), b.data(), n), y = k->and_count(a.data(), b.data(), n),
                   z = k->xor_count(a.data(), c.data(), n);
        failures += x != want_xor || y != want_and || z != want_xor_c;
        if (x != want_xor || y != want_and || z != want_xor_c)
          BOOST_ERROR(k->name << " n=" << n << " fill=" << int(fill) << ": " << x << "," << y << "," << z
                              << " != " << want_xor << "," << want_and << "," << want_xor_c);
      }
    }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(a_network_gives_the_same_sums_with_every_kernel) {
  // A 3-layer network at 5 levels in every stream policy and every coding (XNOR, sign-magnitude
  // AND, unipolar excitatory/inhibitory AND), at lengths whose streams are 1, 8 (L = 500) and 16
  // words or end within a word: the output sums are compared exactly (they are counts over L, so
  // any difference in a count shows). The unipolar inputs are the levels of values >= 0.
  const auto inputs = test::EngineFixture::random_inputs(20, 60, 5, 3);
  std::vector<std::uint8_t> unipolar_inputs(inputs);
  for (auto& k : unipolar_inputs) k = std::max<std::uint8_t>(k, 2);  // level 2 of 5: the value 0
  const std::pair<const char*, ScEncoding> codings[] = {
      {"sc.xnor", ScEncoding::bipolar}, {"sc.and", ScEncoding::bipolar}, {"sc.and", ScEncoding::unipolar_ei}};
  for (const auto& [multiplier, encoding] : codings)
    for (StreamPolicy policy : {StreamPolicy::bank, StreamPolicy::window, StreamPolicy::fresh})
      for (std::size_t L : {std::size_t(37), std::size_t(500), std::size_t(1024)}) {
        ScSettings s;
        s.mode = ScMode::bit;
        s.policy = policy;
        s.bank_size = 16;
        s.window_trace_bits = 1 << 14;
        s.encoding = encoding;
        test::EngineFixture f({60, 40, 20, 10}, 5, s, L, "sc.parallel_counter", "sc.lut_sigmoid", multiplier);
        const bool ei = encoding == ScEncoding::unipolar_ei;
        std::vector<double> reference;
        for (const auto* k : sc_kernels_available()) {
          f.engine->use_kernels(*k);
          const auto sums = f.engine->output_sums(f.views, (ei ? unipolar_inputs : inputs).data(), 20, 0);
          if (reference.empty()) reference = sums;
          BOOST_TEST(sums == reference, k->name << " " << multiplier << " " << to_string(encoding) << " policy "
                                                << int(policy) << " L=" << L);
        }
      }
}

BOOST_AUTO_TEST_CASE(an_unknown_kernel_is_an_error_naming_the_variable_and_the_choices) {
  try {
    sc_kernels_for("avx9000");
    BOOST_ERROR("no error for an unknown kernel");
  } catch (const ParamError& e) {
    const std::string m = e.what();
    BOOST_TEST(m.find("SPINSC_SC_KERNEL=avx9000") != std::string::npos, m);
    BOOST_TEST(m.find("portable") != std::string::npos, m);
  }
  // The same through the program: --version names the kernel, and fails on a bad value.
  const std::string log = std::string(SPINSC_BINARY_DIR) + "/test_sc_kernels_version.txt";
  auto run = [&](const std::string& env) {
    const int status = std::system((env + " " + SPINSC_CLI + " --version > " + log + " 2>&1").c_str());
    std::ifstream in(log);
    return std::make_pair(status, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  };
  const auto [ok_status, ok_text] = run("SPINSC_SC_KERNEL=portable");
  BOOST_TEST(ok_status == 0, ok_text);
  BOOST_TEST(ok_text.find("SC kernel: portable") != std::string::npos, ok_text);
  const auto [best_status, best_text] = run("SPINSC_SC_KERNEL=");
  BOOST_TEST(best_status == 0, best_text);
  BOOST_TEST(best_text.find(std::string("SC kernel: ") + sc_kernels_available().front()->name) != std::string::npos,
             best_text);
  const auto [bad_status, bad_text] = run("SPINSC_SC_KERNEL=avx9000");
  BOOST_TEST(bad_status != 0, bad_text);
  BOOST_TEST(bad_text.find("SPINSC_SC_KERNEL=avx9000") != std::string::npos, bad_text);
  std::remove(log.c_str());
}

#include "sc/stream_supply.hpp"

BOOST_AUTO_TEST_CASE(index_draw_fill_gives_the_draws_of_next) {
  // The bank policy draws a neuron's indices with fill(): the same sequence as one next() each,
  // across calls that end inside a Philox block, for power-of-two ranges and the other path.
  for (std::uint64_t range : {1ull, 16ull, 256ull, 65536ull, 1000ull, 70000ull}) {
    sc::IndexDraw one(RandomStream(5, "draw"), range), many(RandomStream(5, "draw"), range);
    for (std::size_t n : {1, 17, 785, 64, 3, 200, 0, 63, 129}) {
      std::vector<std::uint32_t> got(n);
      many.fill(got.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t want = one.next();
        if (got[i] != want) BOOST_ERROR("range " << range << " n " << n << " i " << i);
        BOOST_TEST_REQUIRE(got[i] < range);
      }
    }
  }
}
