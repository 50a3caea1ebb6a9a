// Our partitioner against its references: Kafka's Java test vectors, librdkafka 2.0.2 called
// in-process, kafka-python and Python's UTF-16 in a subprocess; and the sticky switching rules.
#include "sinks/kafka/partitioner.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sinks/kafka/key_encoding.hpp"

namespace netfeed::kafka {
namespace {

using namespace std::chrono_literals;

constexpr std::array<std::int32_t, 6> kPartitionCounts = {1, 3, 4, 6, 12, 100};

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0xf];
    }
    return out;
}

// 5000 keys, fixed seed so a failure reproduces: random bytes of every length 0..300 (high bytes
// included) and the device and interface names netfeed actually keys by.
const std::vector<std::string>& sample_keys() {
    static const std::vector<std::string> keys = [] {
        std::mt19937_64 rng(0x6e65746665656421ull);
        std::uniform_int_distribution<int> length(0, 300);
        std::uniform_int_distribution<int> byte(0, 255);
        std::vector<std::string> out;
        out.emplace_back();  // the empty key, always
        for (int len = 1; len <= 300; ++len) {
            std::string k(static_cast<std::size_t>(len), '\0');
            for (auto& c : k)
                c = static_cast<char>(byte(rng));
            out.push_back(std::move(k));
        }
        while (out.size() < 4000) {
            std::string k(static_cast<std::size_t>(length(rng)), '\0');
            for (auto& c : k)
                c = static_cast<char>(byte(rng));
            out.push_back(std::move(k));
        }
        const char* sites[] = {"lax", "jfk", "ord", "fra", "nrt", "syd", "gru", "ams"};
        const char* roles[] = {"cor", "agg", "edge", "pe", "tor", "fw"};
        std::uniform_int_distribution<int> number(1, 40);
        while (out.size() < 5000) {
            std::string k = std::string(sites[rng() % 8]) + "-" + roles[rng() % 6] + "-r" +
                            std::to_string(number(rng));
            if (rng() % 3 == 0) k += ":Ethernet1/" + std::to_string(number(rng));
            out.push_back(std::move(k));
        }
        return out;
    }();
    return keys;
}

TEST(Murmur2, MatchesKafkaJavaUtilsTestVectors) {
    const std::pair<std::string_view, std::int32_t> vectors[] = {
        {"21", -973932308},
        {"foobar", -790332482},
        {"a-little-bit-long-string", -985981536},
        {"a-little-bit-longer-string", -1486304829},
        {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
        {"abc", 479470107},
        // Java's murmur2(new byte[0]); the same value comes out of kafka-python and librdkafka.
        {"", 275646681},
    };
    for (const auto& [key, expected] : vectors) {
        EXPECT_EQ(murmur2(key.data(), key.size()), expected) << '"' << key << '"';
    }
}

TEST(Murmur2, PartitionIsToPositiveModuloCount) {
    // -973932308 & 0x7fffffff = 1173551340, which is not -973932308 % n nor |x| % n.
    EXPECT_EQ(murmur2_partition("21", 2, 100), 1173551340 % 100);
    EXPECT_EQ(murmur2_partition("21", 2, 7), 1173551340 % 7);
    EXPECT_EQ(murmur2_partition("abc", 3, 1), 0);
    EXPECT_EQ(murmur2_partition("abc", 3, 0), -1);
    EXPECT_EQ(murmur2_partition("abc", 3, -4), -1);
}

// Bit-at-a-time CRC-32 straight from the definition, to check the table-driven one.
std::uint32_t crc32_bitwise(const unsigned char* p, std::size_t len) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < len; ++i) {
        c ^= p[i];
        for (int bit = 0; bit < 8; ++bit)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

TEST(Crc32, CatalogueCheckValues) {
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
    EXPECT_EQ(crc32("", 0), 0u);
    const std::string_view fox = "The quick brown fox jumps over the lazy dog";
    EXPECT_EQ(crc32(fox.data(), fox.size()), 0x414FA339u);
}

TEST(Crc32, EveryLengthAndAlignmentMatchesBitwiseDefinition) {
    std::mt19937 rng(7);
    std::vector<unsigned char> buffer(600);
    for (auto& b : buffer)
        b = static_cast<unsigned char>(rng());
    for (std::size_t offset = 0; offset < 8; ++offset) {
        for (std::size_t len = 0; len <= 520; ++len) {
            ASSERT_EQ(crc32(buffer.data() + offset, len),
                      crc32_bitwise(buffer.data() + offset, len))
                << "offset " << offset << " length " << len;
        }
    }
}

TEST(PartitionFor, KeyedMeansJavaForMurmur2AndLibrdkafkaForCrc32) {
    EXPECT_TRUE(is_keyed(PartitionStrategy::murmur2, "", 0));
    EXPECT_FALSE(is_keyed(PartitionStrategy::crc32, "", 0));
    EXPECT_FALSE(is_keyed(PartitionStrategy::murmur2, nullptr, 0));
    EXPECT_FALSE(is_keyed(PartitionStrategy::crc32, nullptr, 0));
    EXPECT_TRUE(is_keyed(PartitionStrategy::crc32, "k", 1));

    EXPECT_EQ(partition_for(PartitionStrategy::murmur2, "", 0, 12), murmur2_partition("", 0, 12));
    for (const auto& key : sample_keys()) {
        if (key.empty()) continue;
        ASSERT_EQ(partition_for(PartitionStrategy::murmur2, key.data(), key.size(), 12),
                  murmur2_partition(key.data(), key.size(), 12));
        ASSERT_EQ(partition_for(PartitionStrategy::crc32, key.data(), key.size(), 12),
                  crc32_partition(key.data(), key.size(), 12));
    }
    EXPECT_EQ(partition_for(PartitionStrategy::crc32, "k", 1, 0), -1);
}

TEST(PartitionFor, UnkeyedRecordsGetRandomPartitionsInRange) {
    std::set<std::int32_t> crc_empty, murmur_null;
    for (int i = 0; i < 2000; ++i) {
        const std::int32_t a = partition_for(PartitionStrategy::crc32, "", 0, 6);
        const std::int32_t b = partition_for(PartitionStrategy::murmur2, nullptr, 0, 6);
        ASSERT_GE(a, 0);
        ASSERT_LT(a, 6);
        ASSERT_GE(b, 0);
        ASSERT_LT(b, 6);
        crc_empty.insert(a);
        murmur_null.insert(b);
    }
    EXPECT_EQ(crc_empty.size(), 6u);
    EXPECT_EQ(murmur_null.size(), 6u);
}

// A producer with no brokers and one topic: the handle librdkafka's partitioner functions take.
// They are ordinary exported functions; for a keyed record (murmur2_random with a non-NULL key,
// consistent_random with keylen > 0) they are pure and never touch the topic, so calling them
// outside a partitioner callback is fine. Only their random fallback reads the topic
// (rd_kafka_topic_partition_available, documented as callback-only), and we never take it.
class Librdkafka {
  public:
    Librdkafka() {
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        char errstr[512];
        // No bootstrap.servers on purpose; keep its warning about that out of the test log.
        rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
        rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
        if (rk_ == nullptr) {
            rd_kafka_conf_destroy(conf);
            ADD_FAILURE() << "rd_kafka_new: " << errstr;
            return;
        }
        rkt_ = rd_kafka_topic_new(rk_, "netfeed-partitioner-test", nullptr);
        if (rkt_ == nullptr) ADD_FAILURE() << "rd_kafka_topic_new failed";
    }
    ~Librdkafka() {
        if (rkt_ != nullptr) rd_kafka_topic_destroy(rkt_);
        if (rk_ != nullptr) rd_kafka_destroy(rk_);
    }
    Librdkafka(const Librdkafka&) = delete;
    Librdkafka& operator=(const Librdkafka&) = delete;

    bool ok() const { return rkt_ != nullptr; }
    const rd_kafka_topic_t* topic() const { return rkt_; }

  private:
    rd_kafka_t* rk_ = nullptr;
    rd_kafka_topic_t* rkt_ = nullptr;
};

TEST(Librdkafka, Murmur2RandomAgreesOnEveryKeyIncludingEmpty) {
    Librdkafka lib;
    ASSERT_TRUE(lib.ok());
    // std::string::data() is never null, so the empty key is a non-NULL zero-length key, which
    // murmur2_random hashes like Java does: it is compared too.
    std::size_t compared = 0, mismatched = 0;
    std::string first_mismatch;
    for (const auto& key : sample_keys()) {
        for (std::int32_t n : kPartitionCounts) {
            const std::int32_t ours = murmur2_partition(key.data(), key.size(), n);
            const std::int32_t theirs = rd_kafka_msg_partitioner_murmur2_random(
                lib.topic(), key.data(), key.size(), n, nullptr, nullptr);
            ++compared;
            if (ours != theirs && mismatched++ == 0) {
                first_mismatch = "key " + to_hex(key) + " n " + std::to_string(n) + ": ours " +
                                 std::to_string(ours) + ", librdkafka " + std::to_string(theirs);
            }
        }
    }
    EXPECT_EQ(mismatched, 0u) << first_mismatch;
    EXPECT_EQ(compared, sample_keys().size() * kPartitionCounts.size());
}

TEST(Librdkafka, ConsistentRandomAgreesOnEveryNonEmptyKey) {
    Librdkafka lib;
    ASSERT_TRUE(lib.ok());
    std::size_t compared = 0, mismatched = 0, empty = 0;
    std::string first_mismatch;
    for (const auto& key : sample_keys()) {
        // consistent_random treats keylen == 0 as unkeyed (random partition, and the producer
        // uses its sticky partition), so there is nothing deterministic to compare.
        if (key.empty()) {
            ++empty;
            continue;
        }
        for (std::int32_t n : kPartitionCounts) {
            const std::int32_t ours = crc32_partition(key.data(), key.size(), n);
            const std::int32_t theirs = rd_kafka_msg_partitioner_consistent_random(
                lib.topic(), key.data(), key.size(), n, nullptr, nullptr);
            ++compared;
            if (ours != theirs && mismatched++ == 0) {
                first_mismatch = "key " + to_hex(key) + " n " + std::to_string(n) + ": ours " +
                                 std::to_string(ours) + ", librdkafka " + std::to_string(theirs);
            }
        }
    }
    EXPECT_EQ(mismatched, 0u) << first_mismatch;
    EXPECT_GE(empty, 1u);
    EXPECT_EQ(compared, (sample_keys().size() - empty) * kPartitionCounts.size());
}

// Runs /usr/bin/python3 (Debian's, which has python3-kafka; the python3 on PATH may be another
// interpreter) on the oracle with `lines` as its input file; returns its output lines.
class PythonOracle {
  public:
    static constexpr const char* kPython = "/usr/bin/python3";
    static constexpr const char* kHint =
        "scripts/install-deps.sh installs python3 and python3-kafka (kafka-python)";

    // False, with the failure already recorded, when the oracle cannot run.
    static bool run(const std::vector<std::string>& lines, const std::string& options,
                    std::vector<std::string>& out) {
        if (::access(kPython, X_OK) != 0) {
            ADD_FAILURE() << kPython << " is missing: " << kHint;
            return false;
        }
        const std::filesystem::path script = std::filesystem::path(NETFEED_SOURCE_DIR) /
                                             "tests/unit/sinks/kafka" / "partitioner_oracle.py";
        if (!std::filesystem::exists(script)) {
            ADD_FAILURE() << "oracle script missing: " << script;
            return false;
        }
        TempFile input, errors;
        {
            std::ofstream f(input.path, std::ios::binary | std::ios::trunc);
            for (const auto& line : lines)
                f << line << '\n';
            if (!f) {
                ADD_FAILURE() << "cannot write " << input.path;
                return false;
            }
        }
        // -I: ignore PYTHONPATH and user site-packages so only Debian's kafka-python is used;
        // -B: leave no __pycache__ in the source tree.
        const std::string command = std::string(kPython) + " -I -B " + quote(script.string()) +
                                    " " + options + " " + quote(input.path) + " 2>" +
                                    quote(errors.path);
        FILE* pipe = ::popen(command.c_str(), "r");
        if (pipe == nullptr) {
            ADD_FAILURE() << "cannot run: " << command;
            return false;
        }
        std::string text;
        char buffer[65536];
        std::size_t got;
        while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
            text.append(buffer, got);
        const int status = ::pclose(pipe);
        std::ifstream err_file(errors.path);
        const std::string err((std::istreambuf_iterator<char>(err_file)),
                              std::istreambuf_iterator<char>());
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            const bool no_kafka = WIFEXITED(status) && WEXITSTATUS(status) == 3;
            ADD_FAILURE() << (no_kafka
                                  ? std::string("kafka-python is missing for ") + kPython + ": "
                                  : "the partitioner oracle failed: ")
                          << kHint << "\ncommand: " << command << "\nstderr: " << err;
            return false;
        }
        out.clear();
        std::istringstream stream(text);
        for (std::string line; std::getline(stream, line);)
            out.push_back(line);
        if (out.size() != lines.size()) {
            ADD_FAILURE() << "oracle printed " << out.size() << " lines for " << lines.size()
                          << " keys; stderr: " << err;
            return false;
        }
        return true;
    }

  private:
    struct TempFile {
        TempFile() {
            std::string pattern =
                (std::filesystem::temp_directory_path() / "netfeed-partitioner-XXXXXX").string();
            const int fd = ::mkstemp(pattern.data());
            if (fd >= 0) ::close(fd);
            path = pattern;
        }
        ~TempFile() { std::remove(path.c_str()); }
        std::string path;
    };

    static std::string quote(const std::string& s) {
        std::string out = "'";
        for (char c : s)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    }
};

std::string partition_option() {
    std::string s = "--partitions ";
    for (std::size_t i = 0; i < kPartitionCounts.size(); ++i) {
        if (i != 0) s += ',';
        s += std::to_string(kPartitionCounts[i]);
    }
    return s;
}

// "<murmur2> <p1> <p2> ..." for `key`, in the oracle's format.
std::string describe(std::string_view key) {
    std::string s = std::to_string(murmur2(key.data(), key.size()));
    for (std::int32_t n : kPartitionCounts) {
        s += ' ';
        s += std::to_string(murmur2_partition(key.data(), key.size(), n));
    }
    return s;
}

TEST(KafkaPython, Murmur2AndPartitionsAgreeOnEveryKey) {
    const auto& keys = sample_keys();
    std::vector<std::string> input;
    for (const auto& key : keys)
        input.push_back(to_hex(key));
    std::vector<std::string> expected;
    ASSERT_TRUE(PythonOracle::run(input, partition_option(), expected));
    std::size_t compared = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        ASSERT_EQ(describe(keys[i]), expected[i]) << "key " << input[i];
        ++compared;
    }
    EXPECT_EQ(compared, 5000u);
}

TEST(KeyEncoding, Utf8IsTheInputUnchanged) {
    const std::string raw("lax\xff\x00-r1", 8);
    EXPECT_EQ(encode_key(raw, KeyEncoding::utf8), raw);
    EXPECT_EQ(encode_key("", KeyEncoding::utf8), "");
}

TEST(KeyEncoding, Utf16KnownBytes) {
    const std::pair<std::string_view, std::string_view> table[] = {
        {"", "fffe"},
        {"A", "fffe4100"},
        {"\xc3\xa9", "fffee900"},              // é
        {"\xe6\x9d\xb1", "fffe7167"},          // 東
        {"\xf0\x9f\x98\x80", "fffe3dd800de"},  // 😀 as a surrogate pair
        {"\xff", "fffefdff"},                  // bad byte -> U+FFFD
        {"\xe2\x82", "fffefdff"},              // truncated: one U+FFFD for the subpart
        {"\xed\xa0\x80", "fffefdfffdfffdff"},  // encoded surrogate: three
        {"\xc0\xaf", "fffefdfffdff"},          // overlong: two
        {{"a\0b", 3}, "fffe610000006200"},     // NUL is a character like any other
    };
    for (const auto& [utf8, hex] : table) {
        EXPECT_EQ(to_hex(encode_key(utf8, KeyEncoding::utf16)), hex) << to_hex(utf8);
    }
}

// Strings as UTF-8, valid and not; the oracle decodes them with errors="replace" and encodes
// with str.encode("utf-16").
std::vector<std::string> utf16_samples() {
    std::vector<std::string> s = {
        "",
        "lax-cor-r1",
        "jfk-edge-r12:Ethernet1/1",
        "caf\xc3\xa9",                       // café
        "Z\xc3\xbcrich-pe-01",               // Zürich
        "e\xcc\x81",                         // e + combining acute
        "\xc3\x9f\xce\xa9\xd0\x96",          // ßΩЖ
        "\xe6\x9d\xb1\xe4\xba\xac-core-1",   // 東京-core-1
        "\xe5\x8c\x97\xe4\xba\xac",          // 北京
        "\xed\x95\x9c\xea\xb5\xad",          // 한국
        "\xf0\x9f\x98\x80",                  // 😀
        "router-\xf0\x9f\x9a\x80-1",         // router-🚀-1
        "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5",  // 🇯🇵 (two regional indicators)
        "\xf0\x9d\x94\x98\xf0\x9d\x94\xab",  // 𝔘𝔫
        "\xef\xbb\xbf-bom-inside",           // U+FEFF inside the text
        "\xef\xbf\xbf\xf4\x8f\xbf\xbf",      // U+FFFF, U+10FFFF
        std::string("nul\0inside", 10),
        "\xff",
        "\xfe\xff",
        "abc\x80xyz",
        "\xc0\xaf",
        "\xe0\x80\xaf",
        "\xed\xa0\x80\xed\xb0\x80",  // CESU-8 surrogate pair
        "\xf4\x90\x80\x80",          // above U+10FFFF
        "\xf0\x9f\x98",              // truncated emoji
        "\xe2\x82x",
        "\xf8\x88\x80\x80\x80",  // old 5-byte form
    };
    // Random strings biased towards bytes that start or continue UTF-8 sequences, so the
    // decoder's every branch meets Python's.
    std::mt19937 rng(16);
    const unsigned char interesting[] = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                         0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed,
                                         0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
    for (int i = 0; i < 2000; ++i) {
        std::string t(rng() % 12, '\0');
        for (auto& c : t) {
            c = static_cast<char>(rng() % 2 ? interesting[rng() % sizeof interesting] : rng());
        }
        s.push_back(std::move(t));
    }
    return s;
}

TEST(KafkaPython, Utf16KeysMatchPythonEncodeAndTheirPartitions) {
    const auto samples = utf16_samples();
    std::vector<std::string> input;
    for (const auto& t : samples)
        input.push_back(to_hex(t));
    std::vector<std::string> expected;
    ASSERT_TRUE(PythonOracle::run(input, partition_option() + " --utf16", expected));
    std::size_t compared = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const std::string key = encode_key(samples[i], KeyEncoding::utf16);
        ASSERT_EQ(to_hex(key) + " " + describe(key), expected[i]) << "utf-8 input " << input[i];
        ++compared;
    }
    EXPECT_EQ(compared, samples.size());
}

// A clock the test moves by hand.
struct ManualClock {
    StickyPartitioner::Clock::time_point now{std::chrono::hours(1)};
    StickyPartitioner::TimeSource source() {
        return [this] { return now; };
    }
};

TEST(StickyPartitioner, FillsRecordsPerBatchThenMovesToAnotherPartition) {
    ManualClock clock;
    StickyPartitioner sticky(10, 1h, clock.source());
    std::int32_t previous = -1;
    for (int batch = 0; batch < 50; ++batch) {
        const std::int32_t p = sticky.next(6);
        ASSERT_GE(p, 0);
        ASSERT_LT(p, 6);
        EXPECT_NE(p, previous) << "batch " << batch;
        for (int i = 1; i < 10; ++i)
            ASSERT_EQ(sticky.next(6), p) << "batch " << batch;
        previous = p;
    }
}

TEST(StickyPartitioner, MovesAfterLingerSinceTheLastSwitch) {
    ManualClock clock;
    StickyPartitioner sticky(1000, 100ms, clock.source());
    const std::int32_t first = sticky.next(12);
    clock.now += 99ms;
    EXPECT_EQ(sticky.next(12), first);
    clock.now += 1ms;
    const std::int32_t second = sticky.next(12);
    EXPECT_NE(second, first);
    // The linger restarts at the switch, not at the first record.
    clock.now += 60ms;
    EXPECT_EQ(sticky.next(12), second);
    clock.now += 39ms;
    EXPECT_EQ(sticky.next(12), second);
    clock.now += 1ms;
    EXPECT_NE(sticky.next(12), second);
}

TEST(StickyPartitioner, OnePartitionIsAlwaysZero) {
    ManualClock clock;
    StickyPartitioner sticky(3, 10ms, clock.source());
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(sticky.next(1), 0);
        clock.now += 1ms;
    }
    EXPECT_EQ(sticky.next(0), -1);
    EXPECT_EQ(sticky.next(-1), -1);
}

TEST(StickyPartitioner, FewerPartitionsForceAMoveIntoRange) {
    ManualClock clock;
    StickyPartitioner sticky(1'000'000, 1h, clock.source());
    // Find a state on a partition >= 3, then shrink the topic's count to 3.
    std::int32_t p = sticky.next(100);
    for (int i = 0; p < 3 && i < 100; ++i) {
        clock.now += 2h;
        p = sticky.next(100);
    }
    ASSERT_GE(p, 3);
    for (int i = 0; i < 100; ++i) {
        const std::int32_t q = sticky.next(3);
        ASSERT_GE(q, 0);
        ASSERT_LT(q, 3);
    }
}

TEST(StickyPartitioner, BatchesCoverEveryPartitionEvenly) {
    ManualClock clock;
    StickyPartitioner sticky(1, 1h, clock.source());
    std::map<std::int32_t, int> batches;
    for (int i = 0; i < 12000; ++i)
        ++batches[sticky.next(12)];
    ASSERT_EQ(batches.size(), 12u);
    for (const auto& [partition, n] : batches) {
        EXPECT_GE(partition, 0);
        EXPECT_LT(partition, 12);
        // 1000 expected per partition; a uniform choice is within +-20% with overwhelming odds.
        EXPECT_GT(n, 800) << "partition " << partition;
        EXPECT_LT(n, 1200) << "partition " << partition;
    }
}

TEST(StickyPartitioner, DefaultClockAndBatchSize) {
    StickyPartitioner sticky;
    EXPECT_EQ(sticky.records_per_batch(), 1000u);
    EXPECT_EQ(sticky.linger(), 100ms);
    const std::int32_t p = sticky.next(4);
    ASSERT_GE(p, 0);
    ASSERT_LT(p, 4);
}

TEST(StickyPartitioner, ConcurrentCallersStayInRange) {
    StickyPartitioner sticky(100, 1ms);
    constexpr int kThreads = 4;
    constexpr int kCalls = 200'000;
    std::atomic<int> out_of_range{0};
    std::array<std::set<std::int32_t>, kThreads> seen;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Two threads see 6 partitions and two see 3, so switches forced by a smaller
            // count race with ordinary ones.
            const std::int32_t count = t % 2 == 0 ? 6 : 3;
            for (int i = 0; i < kCalls; ++i) {
                const std::int32_t p = sticky.next(count);
                if (p < 0 || p >= count) out_of_range.fetch_add(1);
                seen[static_cast<std::size_t>(t)].insert(p);
            }
        });
    }
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(out_of_range.load(), 0);
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_GT(seen[static_cast<std::size_t>(t)].size(), 1u) << "thread " << t;
    }
}

}  // namespace
}  // namespace netfeed::kafka
