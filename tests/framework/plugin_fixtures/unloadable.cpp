// Test fixture: a library that cannot be loaded, because it needs a symbol that no library
// defines (dlopen with RTLD_NOW fails). The host must list it with the reason.
#include <boost/config.hpp>

extern "C" int spinsc_fixture_symbol_that_exists_nowhere();

extern "C" BOOST_SYMBOL_EXPORT int spinsc_plugin_info_probe() { return spinsc_fixture_symbol_that_exists_nowhere(); }
