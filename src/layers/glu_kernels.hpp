// float GLU's vector kernels (glu_kernels.cpp), for glu_maxout.cpp: a sigmoid(b) and its gradient
// computed in double lanes and rounded once, over n contiguous elements of each half.
#pragma once

#include <cstddef>

namespace sigma::detail {

// out = a sigmoid(b). out may be a.
void glu_forward_f32(const float* a, const float* b, float* out, std::size_t n);
// da = g sigmoid(b), db = g a sigmoid(b) sigmoid(-b). da may be a and db may be b.
void glu_backward_f32(const float* a, const float* b, const float* g, float* da, float* db,
                      std::size_t n);

}  // namespace sigma::detail
