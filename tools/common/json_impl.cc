// Boost.JSON compiled once for the tools (Debian ships it header-only).
#include <boost/json/src.hpp>
