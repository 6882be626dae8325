// The regression replay of the fuzz targets (make fuzz-replay, part of
// make test): a fuzz target's source linked with this driver instead of
// libFuzzer, built by g++ against the normal build's libeas.a, calls
// LLVMFuzzerTestOneInput on every file of the corpus directories (or
// files) it is given, in name order. An input that crashes, or trips the
// target's own checks (abort), fails the run, and the signal handler names
// the file.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::string current;  // the input being replayed, for the signal handler

// Names the input that crashed (write(2) only: async-signal-safe), then
// dies of the signal as it would have.
void NameTheInput(int sig) {
  constexpr char kPrefix[] = "\nfuzz replay: crashed on ";
  (void)!write(2, kPrefix, sizeof kPrefix - 1);
  (void)!write(2, current.data(), current.size());
  (void)!write(2, "\n", 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    if (fs::is_directory(argv[i], error)) {
      for (const auto& entry : fs::directory_iterator(argv[i])) {
        if (entry.is_regular_file()) inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(argv[i], error)) {
      inputs.emplace_back(argv[i]);
    } else {
      std::fprintf(stderr, "%s: no such corpus: %s\n", argv[0], argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "%s: no inputs\n", argv[0]);
    return 2;
  }
  std::sort(inputs.begin(), inputs.end());
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) signal(sig, NameTheInput);
  for (const fs::path& path : inputs) {
    std::ifstream file(path, std::ios::binary);
    const std::string bytes(std::istreambuf_iterator<char>(file), {});
    if (!file.good() && !file.eof()) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], path.c_str());
      return 2;
    }
    current = path.string();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "%s: %zu inputs replayed\n", fs::path(argv[0]).filename().c_str(),
               inputs.size());
  return 0;
}
