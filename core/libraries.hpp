// The C libraries whose global state must be set up once per process, on
// its main thread, before other threads use them: libxml2 asks for
// xmlInitParser() that way in a threaded program (its lazy set-up at the
// first parse is not safe when two pool threads parse at once), and GMime
// wants its own once. An nginx worker calls this in its init_process,
// before it posts anything to a thread pool; single-threaded programs may
// skip it (each library also sets itself up at first use). libcurl's
// set-up is mail::InitCurl (core/mail/relay.hpp), apart: only what sends
// mail links libcurl.
#pragma once

namespace eas::core {

void InitLibraries();

}  // namespace eas::core
