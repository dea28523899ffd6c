// An outside program using an installed strata through find_package(strata).
#include <strata/api/tensor.hpp>

#include <iostream>

int main() {
  strata::Tensor t(strata::Shape{2, 3});
  std::cout << strata::shape_str(t.shape()) << '\n';
  return t.size() == 6 ? 0 : 1;
}
