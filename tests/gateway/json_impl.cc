// Boost.JSON compiled into the test binary (Debian ships it header-only here).
#include <boost/json/src.hpp>
