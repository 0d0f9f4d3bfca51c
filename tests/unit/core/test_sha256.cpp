#include <catch2/catch.hpp>

#include <fstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/sha256.hpp"

using namespace genodose;

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors", "[sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("file checksums stream the file and name a missing one", "[sha256]") {
    test::ScratchFolder scratch;
    const std::string path = scratch.file("million_a.txt");
    std::ofstream(path) << std::string(1000000, 'a');
    CHECK(sha256_file(path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK_THROWS_AS(sha256_file(scratch.file("missing")), InputError);
}
