#include "genodose/calling/cnn_weights.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {

namespace {
constexpr char magic[8] = {'G', 'D', 'C', 'N', 'N', '0', '0', '1'};

void put_u32(std::string& out, std::uint32_t value) { out.append(reinterpret_cast<const char*>(&value), 4); }

class Cursor {
public:
    Cursor(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}
    void read(void* target, std::size_t size) {
        if (offset_ + size > bytes_.size()) throw InputError(file_message(path_, "truncated caller model"));
        std::memcpy(target, bytes_.data() + offset_, size);
        offset_ += size;
    }
    std::uint32_t u32() {
        std::uint32_t value = 0;
        read(&value, 4);
        return value;
    }

private:
    const std::string& bytes_;
    const std::string& path_;
    std::size_t offset_ = 0;
};
}  // namespace

const WeightTensor& CnnWeights::get(const std::string& name, const std::vector<std::int64_t>& dims) const {
    const auto it = tensors.find(name);
    if (it == tensors.end()) throw InputError(file_message(source, "caller model has no tensor '" + name + "'"));
    if (it->second.dims != dims)
        throw InputError(file_message(source, "caller model tensor '" + name + "' has an unexpected shape"));
    return it->second;
}

CnnWeights read_cnn_weights(const std::string& path) {
    if (!readable_file(path)) throw InputError(file_message(path, "caller model not found"));
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    if (bytes.size() < 8 || std::memcmp(bytes.data(), magic, 8) != 0)
        throw InputError(file_message(path, "not a genodose caller model (expected GDCNN001 format)"));
    Cursor cursor(bytes, path);
    char skip[8];
    cursor.read(skip, 8);
    CnnWeights weights;
    weights.source = path;
    weights.shape.height = static_cast<int>(cursor.u32());
    weights.shape.width = static_cast<int>(cursor.u32());
    weights.shape.channels = static_cast<int>(cursor.u32());
    weights.shape.reference_rows = static_cast<int>(cursor.u32());
    const std::uint32_t count = cursor.u32();
    if (count > 1000) throw InputError(file_message(path, "corrupt caller model (tensor count)"));
    for (std::uint32_t t = 0; t < count; ++t) {
        const std::uint32_t name_length = cursor.u32();
        if (name_length > 256) throw InputError(file_message(path, "corrupt caller model (tensor name)"));
        std::string name(name_length, '\0');
        cursor.read(name.data(), name_length);
        const std::uint32_t rank = cursor.u32();
        if (rank > 8) throw InputError(file_message(path, "corrupt caller model (tensor rank)"));
        WeightTensor tensor;
        std::size_t size = 1;
        for (std::uint32_t d = 0; d < rank; ++d) {
            tensor.dims.push_back(cursor.u32());
            size *= static_cast<std::size_t>(tensor.dims.back());
        }
        if (size > (std::size_t{1} << 28)) throw InputError(file_message(path, "corrupt caller model (tensor size)"));
        tensor.values.resize(size);
        cursor.read(tensor.values.data(), size * sizeof(float));
        weights.tensors.emplace(std::move(name), std::move(tensor));
    }
    return weights;
}

std::string serialize_cnn_weights(const CnnWeights& weights) {
    std::string out(magic, 8);
    put_u32(out, static_cast<std::uint32_t>(weights.shape.height));
    put_u32(out, static_cast<std::uint32_t>(weights.shape.width));
    put_u32(out, static_cast<std::uint32_t>(weights.shape.channels));
    put_u32(out, static_cast<std::uint32_t>(weights.shape.reference_rows));
    put_u32(out, static_cast<std::uint32_t>(weights.tensors.size()));
    for (const auto& [name, tensor] : weights.tensors) {
        put_u32(out, static_cast<std::uint32_t>(name.size()));
        out += name;
        put_u32(out, static_cast<std::uint32_t>(tensor.dims.size()));
        for (auto d : tensor.dims) put_u32(out, static_cast<std::uint32_t>(d));
        out.append(reinterpret_cast<const char*>(tensor.values.data()), tensor.values.size() * sizeof(float));
    }
    return out;
}

}  // namespace genodose
