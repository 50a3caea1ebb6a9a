// Record keys as bytes: UTF-8 as given, or UTF-16 exactly as Python's str.encode("utf-16")
// writes it, for consumers whose keys were produced by Python or .NET in UTF-16.
#pragma once

#include <string>
#include <string_view>

namespace netfeed::kafka {

enum class KeyEncoding { utf8, utf16 };

/// The key bytes for `utf8` in `encoding`.
///
/// utf8: the input unchanged, even if it is not valid UTF-8 (the bytes are the key).
/// utf16: what Python's `text.encode("utf-16")` gives on x86-64: the byte-order mark FF FE, then
/// UTF-16LE code units, characters outside the BMP as surrogate pairs. An empty input gives just
/// the BOM, as Python does. Invalid UTF-8 (stray continuation bytes, overlong forms, encoded
/// surrogates, values above U+10FFFF, truncated sequences) is decoded the way Python's
/// `bytes.decode("utf-8", "replace")` does it, following Unicode's "maximal subpart" practice:
/// each maximal prefix of a valid sequence, or else each single bad byte, becomes one U+FFFD.
std::string encode_key(std::string_view utf8, KeyEncoding encoding);

}  // namespace netfeed::kafka
