// SPDX-License-Identifier: MIT
#include "util/file_util.hpp"

#include <mfa/error.hpp>
#include <mfa/qr.hpp>

#include <qrcodegen/qrcodegen.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace mfa {

namespace {

constexpr int k_q = k_qr_quiet_zone;

} // namespace

bool QrMatrix::dark(int x, int y) const
{
  if (x < 0 || y < 0 || x >= m_size || y >= m_size) {
    return false;
  }
  return m_dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_size) + static_cast<std::size_t>(x)];
}

QrMatrix make_qr(std::string_view text)
{
  try {
    // Level L (7%), raised by qrcodegen whenever the same size allows more:
    // a code on a screen is not soiled or torn, and the smallest code is the
    // one that fits a terminal (a 20-character issuer and name need version
    // 6 at L, version 8 at M).
    const auto qr = qrcodegen::QrCode::encodeText(std::string(text).c_str(), qrcodegen::QrCode::Ecc::LOW);
    const int size = qr.getSize();
    std::vector<bool> dark(static_cast<std::size_t>(size) * static_cast<std::size_t>(size));
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)] =
          qr.getModule(x, y);
      }
    }
    return QrMatrix(size, std::move(dark));
  } catch (const qrcodegen::data_too_long& e) {
    throw Error(std::string("too long for a QR code: ") + e.what());
  }
}

std::string render_qr_svg(const QrMatrix& qr)
{
  const int n = qr.size() + 2 * k_q;
  std::string path;
  for (int y = 0; y < qr.size(); ++y) {
    for (int x = 0; x < qr.size(); ++x) {
      if (qr.dark(x, y)) {
        path += 'M';
        path += std::to_string(x + k_q);
        path += ',';
        path += std::to_string(y + k_q);
        path += "h1v1h-1z";
      }
    }
  }
  const std::string side = std::to_string(n);
  const std::string pixels = std::to_string(n * 8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 "
         + side + " " + side + "\" width=\"" + pixels + "\" height=\"" + pixels
         + "\" shape-rendering=\"crispEdges\">\n"
           "<rect width=\""
         + side + "\" height=\"" + side + "\" fill=\"#ffffff\"/>\n<path d=\"" + path
         + "\" fill=\"#000000\" stroke=\"none\"/>\n</svg>\n";
}

void write_private_file(const std::string& path, std::string_view content)
{
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    throw Error("cannot write " + path + ": " + detail::errno_text(errno));
  }
  const bool written = ::fchmod(fd, 0600) == 0 // exactly 0600, whatever the umask
                       && ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  const int error = errno;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int reason = written ? errno : error;
    ::unlink(temp.c_str());
    throw Error("cannot write " + path + ": " + detail::errno_text(reason));
  }
}

} // namespace mfa
