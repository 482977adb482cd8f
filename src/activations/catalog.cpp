// The catalog: one entry per activation. Everything else in sigma iterates over this table.
#include <algorithm>
#include <array>
#include <iterator>
#include <sigma/catalog.hpp>
#include <string>
#include <string_view>

#include "activations/catalog/exponential.hpp"
#include "activations/catalog/gallery.hpp"
#include "activations/catalog/linear.hpp"
#include "activations/catalog/rectifiers.hpp"
#include "activations/catalog/shrinkage.hpp"
#include "activations/catalog/sigmoids.hpp"
#include "activations/catalog/smooth.hpp"
#include "common/names.hpp"

#undef SIGMA_REFERENCES  // the entries' files are the only users

namespace sigma {
namespace {

// Joins the families' entries into one array, in order, at compile time.
template <std::size_t... N>
constexpr std::array<FunctionInfo, (N + ...)> Join(const FunctionInfo (&... parts)[N]) {
  std::array<FunctionInfo, (N + ...)> all{};
  auto out = all.begin();
  ((out = std::copy(std::begin(parts), std::end(parts), out)), ...);
  return all;
}

// constexpr (constant-initialised): GCC 12 initialised the table at run time without it, after any
// other file's global that looks a name up (a user's global Activation, a benchmark's
// registration) had seen it empty.
constexpr auto kCatalog =
    Join(catalog_entries::kLinearEntries, catalog_entries::kSigmoidEntries,
         catalog_entries::kRectifierEntries, catalog_entries::kExponentialEntries,
         catalog_entries::kSmoothEntries, catalog_entries::kShrinkageEntries,
         catalog_entries::kGalleryEntries);

// Every listed activation has exactly one catalog entry (and, by SIGMA_REFERENCES, every entry is
// listed).
constexpr bool CatalogMatchesList() {
  if (std::size(kCatalog) != std::size(detail::kListedActivations)) return false;
  for (std::string_view listed_name : detail::kListedActivations) {
    int entries = 0;
    for (const FunctionInfo& f : kCatalog) entries += f.name == listed_name;
    if (entries != 1) return false;
  }
  return true;
}
static_assert(CatalogMatchesList(), "activation_list.hpp and the catalog name the same functions");

}  // namespace

std::span<const FunctionInfo> catalog() noexcept { return kCatalog; }

const FunctionInfo* find_function(std::string_view name) {
  const std::string key = detail::normalise_name(name);
  for (const FunctionInfo& f : kCatalog) {
    if (f.name == key) return &f;
    for (std::string_view alias : f.aliases) {
      if (alias == key) return &f;
    }
  }
  return nullptr;
}

}  // namespace sigma
