// SHA-256 (FIPS 180-4): the content address of an imported file and the
// idempotency key of a stored event. Internal to the library; not installed.
//
//   tellus::sha256_internal::Sha256 h;
//   h.Update("abc");
//   std::string hex = tellus::sha256_internal::ToHex(h.Finish());
//   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
//
// A cryptographic hash rather than a fast one because the store keeps it for
// good: two different files or events must never share a key.
#ifndef TELLUS_SRC_SHA256_H_
#define TELLUS_SRC_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tellus::sha256_internal {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void Update(absl::string_view data);
  // The digest of everything updated so far; the object is then spent.
  Digest Finish();

 private:
  void Block(const uint8_t* p);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes
};

Digest Sha256Of(absl::string_view data);

// Lower-case hexadecimal, 64 characters.
std::string ToHex(const Digest& digest);

// The digest of a whole file, read in blocks; NotFound when unreadable.
absl::StatusOr<Digest> Sha256OfFile(const std::string& path);

}  // namespace tellus::sha256_internal

#endif  // TELLUS_SRC_SHA256_H_
