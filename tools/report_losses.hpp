// The losses in sigma report: every loss of the catalog with its formula, gradient and stable
// form, and TensorFlow's four cross-entropies on logits drawn against the logit.
#pragma once

#include <string>

namespace sigma::cli {

// The section, whole (<section id="losses">), its figures inline as data: URIs.
std::string LossSection();

}  // namespace sigma::cli
