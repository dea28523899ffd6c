#include <strata/api/errors.hpp>

namespace strata {

void rethrow_with_prefix(const std::string& prefix) {
  try {
    throw;
  } catch (const FileFormatError& e) {
    throw FileFormatError(prefix + e.what());
  } catch (const UnsupportedError& e) {
    throw UnsupportedError(prefix + e.what());
  } catch (const ShapeError& e) {
    throw ShapeError(prefix + e.what());
  } catch (const ValueError& e) {
    throw ValueError(prefix + e.what());
  } catch (const BackendError& e) {
    throw BackendError(prefix + e.what());
  } catch (const Error& e) {
    throw Error(prefix + e.what());
  }
}

}  // namespace strata
