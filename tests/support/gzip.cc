#include "gzip.h"

#include <zlib.h>

#include <stdexcept>

namespace testenv {

std::string gunzip(const std::string& gz) {
  z_stream z{};
  if (inflateInit2(&z, 16 + 15) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out(1 << 20, '\0'), text;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int result = Z_OK;
  while (result == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    result = inflate(&z, Z_NO_FLUSH);
    text.append(out.data(), out.size() - z.avail_out);
  }
  const bool consumed_all = z.avail_in == 0;
  inflateEnd(&z);
  if (result != Z_STREAM_END) throw std::runtime_error("inflate: " + std::to_string(result));
  if (!consumed_all) throw std::runtime_error("bytes after the gzip member");
  return text;
}

}  // namespace testenv
