// SHA-256, the store's content address: the FIPS 180-4 test vectors.
#include "../src/sha256.h"

#include <string>

#include "gtest/gtest.h"

namespace tellus::sha256_internal {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(ToHex(Sha256Of("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256Of("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256Of(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(ToHex(Sha256Of(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, PiecewiseEqualsWhole) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += static_cast<char>(i * 7);
  for (size_t split : {0, 1, 55, 56, 63, 64, 65, 500, 1000}) {
    Sha256 h;
    h.Update(absl::string_view(text).substr(0, split));
    h.Update(absl::string_view(text).substr(split));
    EXPECT_EQ(h.Finish(), Sha256Of(text)) << split;
  }
}

}  // namespace
}  // namespace tellus::sha256_internal
