// Argument checks shared by the functions that see an array as a shape and an axis: softmax and
// its family, the losses over classes, dropout's noise shape and PReLU's channels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sigma::detail {

// A row-major array seen along one axis: `outer` independent blocks, each `length` long along
// the axis, whose consecutive elements are `inner` apart (inner == 1: the axis is the last).
struct AxisLayout {
  std::size_t outer = 1;
  std::size_t length = 1;
  std::size_t inner = 1;
  std::size_t rows() const { return outer * inner; }
};

// "[2, 3, 4]"
std::string shape_string(std::span<const std::size_t> shape);

// The number of elements of `shape`; an empty shape means a one-dimensional array of `size`
// elements. Throws "<op>: shape [2, 3] has 6 elements but <name> has 7" (or names an overflow).
std::size_t checked_size(const char* op, std::span<const std::size_t> shape, const char* name,
                         std::size_t size);

// Checks shape against `size` and resolves `axis` (negative counts from the end). Throws
// "<op>: axis 3 is out of range for a rank-2 array".
AxisLayout axis_layout(const char* op, std::span<const std::size_t> shape, const char* name,
                       std::size_t size, int axis);

// Throws "<op>: <name> has 5 elements but <other> has 6" when the sizes differ.
void check_same_size(const char* op, const char* name, std::size_t size, const char* other,
                     std::size_t other_size);

// Throws "<op>: <name> has 5 elements; <why> needs 6".
void check_output_size(const char* op, const char* name, std::size_t size, std::size_t expected,
                       const char* why);

void throw_partial_overlap(const char* op, const char* out_name, const char* in_name);

// Throws when `out` partially overlaps `in` (exact aliasing, in place, is allowed).
template <class T, class U>
void check_no_partial_overlap(const char* op, const char* out_name, std::span<T> out,
                              const char* in_name, std::span<U> in) {
  const auto out_begin = reinterpret_cast<std::uintptr_t>(out.data());
  const auto in_begin = reinterpret_cast<std::uintptr_t>(in.data());
  const std::uintptr_t out_end = out_begin + out.size_bytes();
  const std::uintptr_t in_end = in_begin + in.size_bytes();
  const bool same = out_begin == in_begin && out.size_bytes() == in.size_bytes();
  if (!same && out_begin < in_end && in_begin < out_end) {
    throw_partial_overlap(op, out_name, in_name);
  }
}

}  // namespace sigma::detail
