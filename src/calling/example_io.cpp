#include "genodose/calling/example_io.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {

namespace {

// A gzip file opened for reading, closed on every path out (errors throw).
struct GzipCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzipFile = std::unique_ptr<gzFile_s, GzipCloser>;
constexpr char magic[8] = {'G', 'D', 'E', 'X', 'M', 'P', 'L', '1'};
constexpr std::size_t record_header_bytes = 16;

void put_u32(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
std::uint32_t get_u32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
}  // namespace

struct ExampleShardWriter::State {
    OutputTransaction transaction;
    gzFile file = nullptr;
    std::string current_path;
};

ExampleShardWriter::ExampleShardWriter(std::string folder, const PileupShape& shape, std::size_t examples_per_shard)
    : folder_(std::move(folder)),
      shape_(shape),
      examples_per_shard_(std::max<std::size_t>(1, examples_per_shard)),
      state_(std::make_unique<State>()) {
    ensure_directory(folder_);
}

ExampleShardWriter::~ExampleShardWriter() {
    if (state_ && state_->file) gzclose(state_->file);
}

void ExampleShardWriter::open_next_shard() {
    if (state_->file && gzclose(state_->file) != Z_OK)
        throw OutputError(file_message(state_->current_path, "write failed (disk full?)"));
    state_->file = nullptr;
    char name[64];
    std::snprintf(name, sizeof name, "examples-%05zu.gdx.gz", shard_paths_.size());
    state_->current_path = folder_ + "/" + name;
    const std::string temporary = state_->transaction.add(state_->current_path);
    shard_paths_.push_back(state_->current_path);
    state_->file = gzopen(temporary.c_str(), "wb1");
    if (!state_->file) throw OutputError(file_message(state_->current_path, "cannot create"));
    std::uint8_t header[24];
    std::memcpy(header, magic, 8);
    put_u32(header + 8, static_cast<std::uint32_t>(shape_.height));
    put_u32(header + 12, static_cast<std::uint32_t>(shape_.width));
    put_u32(header + 16, static_cast<std::uint32_t>(shape_.channels));
    put_u32(header + 20, static_cast<std::uint32_t>(shape_.reference_rows));
    if (gzwrite(state_->file, header, sizeof header) != static_cast<int>(sizeof header))
        throw OutputError(file_message(state_->current_path, "write failed"));
    in_shard_ = 0;
}

void ExampleShardWriter::write(const ExampleMeta& meta, const std::uint8_t* tensor) {
    if (!state_->file || in_shard_ >= examples_per_shard_) open_next_shard();
    std::uint8_t header[record_header_bytes] = {};
    std::memcpy(header, &meta.position, 8);
    std::memcpy(header + 8, &meta.label, 1);
    std::memcpy(header + 9, &meta.allele_kind, 1);
    std::memcpy(header + 10, &meta.allele_length, 2);
    const auto bytes = static_cast<unsigned>(shape_.bytes());
    if (gzwrite(state_->file, header, record_header_bytes) != static_cast<int>(record_header_bytes) ||
        gzwrite(state_->file, tensor, bytes) != static_cast<int>(bytes))
        throw OutputError(file_message(state_->current_path, "write failed (disk full?)"));
    ++in_shard_;
}

void ExampleShardWriter::close() {
    if (!state_->file) open_next_shard();  // an empty set still gets one (header-only) shard
    if (gzclose(state_->file) != Z_OK) {
        state_->file = nullptr;
        throw OutputError(file_message(state_->current_path, "write failed (disk full?)"));
    }
    state_->file = nullptr;
    state_->transaction.commit();
    // Shards of an earlier, larger run would be read back with these by read_example_folder and
    // mixed into training: remove every examples-*.gdx.gz this run did not write.
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> stale;
    for (const auto& entry : fs::directory_iterator(folder_, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("examples-", 0) != 0 || name.size() <= 7 || name.substr(name.size() - 7) != ".gdx.gz") continue;
        const std::string path = folder_ + "/" + name;
        if (std::find(shard_paths_.begin(), shard_paths_.end(), path) == shard_paths_.end()) stale.push_back(path);
    }
    for (const auto& path : stale) {
        if (!fs::remove(path, ec) || ec)
            throw OutputError(file_message(path, "cannot remove this shard of an earlier run"));
        GENODOSE_LOG_INFO(path << ": removed (a shard of an earlier run, not part of this one)");
    }
}

void read_example_folder(const std::string& folder, ExampleSet& set) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw InputError(file_message(folder, "examples folder not found"));
    std::vector<std::string> shards;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("examples-", 0) == 0 && name.size() > 7 && name.substr(name.size() - 7) == ".gdx.gz")
            shards.push_back(entry.path().string());
    }
    std::sort(shards.begin(), shards.end());
    if (shards.empty()) throw InputError(file_message(folder, "no examples-*.gdx.gz shards"));
    for (const auto& path : shards) {
        const GzipFile owned(gzopen(path.c_str(), "rb"));
        gzFile file = owned.get();
        if (!file) throw InputError(file_message(path, "cannot open"));
        std::uint8_t header[24];
        if (gzread(file, header, sizeof header) != static_cast<int>(sizeof header) ||
            std::memcmp(header, magic, 8) != 0) {
            throw InputError(file_message(path, "not a genodose example shard"));
        }
        PileupShape shape;
        shape.height = static_cast<int>(get_u32(header + 8));
        shape.width = static_cast<int>(get_u32(header + 12));
        shape.channels = static_cast<int>(get_u32(header + 16));
        shape.reference_rows = static_cast<int>(get_u32(header + 20));
        if (set.meta.empty()) {
            set.shape = shape;
        } else if (shape.height != set.shape.height || shape.width != set.shape.width ||
                   shape.channels != set.shape.channels) {
            throw InputError(file_message(path, "tensor shape differs from the other example shards"));
        }
        const std::size_t bytes = shape.bytes();
        std::uint8_t record_header[record_header_bytes];
        for (;;) {
            const int n = gzread(file, record_header, record_header_bytes);
            if (n == 0) break;
            if (n != static_cast<int>(record_header_bytes))
                throw InputError(file_message(path, "truncated example shard"));
            ExampleMeta meta;
            std::memcpy(&meta.position, record_header, 8);
            std::memcpy(&meta.label, record_header + 8, 1);
            std::memcpy(&meta.allele_kind, record_header + 9, 1);
            std::memcpy(&meta.allele_length, record_header + 10, 2);
            const std::size_t offset = set.tensors.size();
            set.tensors.resize(offset + bytes);
            if (gzread(file, set.tensors.data() + offset, static_cast<unsigned>(bytes)) != static_cast<int>(bytes))
                throw InputError(file_message(path, "truncated example shard"));
            set.meta.push_back(meta);
        }
    }
}

}  // namespace genodose
