#include "common/shape.hpp"

#include <limits>
#include <sigma/error.hpp>

namespace sigma::detail {

std::string shape_string(std::span<const std::size_t> shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return out + "]";
}

std::size_t checked_size(const char* op, std::span<const std::size_t> shape, const char* name,
                         std::size_t size) {
  if (shape.empty()) return size;
  std::size_t product = 1;
  for (const std::size_t extent : shape) {
    if (extent != 0 && product > std::numeric_limits<std::size_t>::max() / extent) {
      throw Error(std::string(op) + ": shape " + shape_string(shape) + " has too many elements");
    }
    product *= extent;
  }
  if (product != size) {
    throw Error(std::string(op) + ": shape " + shape_string(shape) + " has " +
                std::to_string(product) + " elements but " + name + " has " + std::to_string(size));
  }
  return product;
}

AxisLayout axis_layout(const char* op, std::span<const std::size_t> shape, const char* name,
                       std::size_t size, int axis) {
  checked_size(op, shape, name, size);
  const std::size_t one_dimensional[] = {size};
  if (shape.empty()) shape = one_dimensional;
  const auto rank = static_cast<long long>(shape.size());
  const long long resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) {
    throw Error(std::string(op) + ": axis " + std::to_string(axis) +
                " is out of range for a rank-" + std::to_string(rank) + " array");
  }
  AxisLayout layout;
  const auto a = static_cast<std::size_t>(resolved);
  for (std::size_t i = 0; i < a; ++i) layout.outer *= shape[i];
  layout.length = shape[a];
  for (std::size_t i = a + 1; i < shape.size(); ++i) layout.inner *= shape[i];
  return layout;
}

void check_same_size(const char* op, const char* name, std::size_t size, const char* other,
                     std::size_t other_size) {
  if (size != other_size) {
    throw Error(std::string(op) + ": mismatched sizes: " + name + " has " + std::to_string(size) +
                " elements, " + other + " has " + std::to_string(other_size));
  }
}

void check_output_size(const char* op, const char* name, std::size_t size, std::size_t expected,
                       const char* why) {
  if (size != expected) {
    throw Error(std::string(op) + ": " + name + " has " + std::to_string(size) + " elements; " +
                why + " needs " + std::to_string(expected));
  }
}

void throw_partial_overlap(const char* op, const char* out_name, const char* in_name) {
  throw Error(std::string(op) + ": " + out_name + " partially overlaps " + in_name);
}

}  // namespace sigma::detail
