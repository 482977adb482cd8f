// Decodes a PNG that sigma drew (into memory) with cairo, so that tests can look at its pixels.
#pragma once

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

namespace sigma::test {

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

inline Surface DecodePng(const std::string& png) {
  struct Reader {
    const std::string* bytes;
    std::size_t offset = 0;
  } reader{&png};
  const auto read = [](void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->offset + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(r->bytes->data() + r->offset, length, data);
    r->offset += length;
    return CAIRO_STATUS_SUCCESS;
  };
  Surface surface(cairo_image_surface_create_from_png_stream(read, &reader), cairo_surface_destroy);
  EXPECT_EQ(cairo_surface_status(surface.get()), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(surface.get());
  return surface;
}

}  // namespace sigma::test
