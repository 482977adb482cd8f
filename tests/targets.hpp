// Runs a test body once per Highway target that sigma was compiled for and this CPU supports,
// so that the AVX2, SSE4 and portable kernels are tested on an AVX-512 machine too. A body that
// takes a const char* is given the target's name.
#pragma once

#include <gtest/gtest.h>
#include <hwy/highway.h>
#include <hwy/targets.h>

#include <type_traits>

namespace sigma {

template <class Body>
void for_each_target(Body&& body) {
  for (const auto target : hwy::SupportedAndGeneratedTargets()) {
    SCOPED_TRACE(hwy::TargetName(target));
    hwy::SetSupportedTargetsForTest(target);
    if constexpr (std::is_invocable_v<Body, const char*>) {
      body(hwy::TargetName(target));
    } else {
      body();
    }
  }
  hwy::SetSupportedTargetsForTest(0);  // back to the best target
}

}  // namespace sigma
