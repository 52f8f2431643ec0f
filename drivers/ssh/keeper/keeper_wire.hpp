// The bytes between skiff and its SSH keeper (ssh_keeper.hpp): what the
// keeper is to connect to, batches of commands, and their results.
//
// Every value is a little-endian u32 or i64, or a u32 length and that many
// bytes, so stdin and output may hold any bytes (JSON strings could not).
// Decoding checks every length against what is left and fails cleanly on a
// short or malformed message. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// What a keeper is started with: its pool's options and every host.
struct KeeperSpec {
  SshPoolOptions pool;
  std::vector<SshTarget> targets;
};

std::string encode_keeper_spec(const KeeperSpec& spec);
Result<KeeperSpec> decode_keeper_spec(std::string_view bytes);

std::string encode_batch(const std::vector<HostCommand>& batch);
Result<std::vector<HostCommand>> decode_batch(std::string_view bytes);

std::string encode_results(const std::vector<Result<CommandResult>>& results);
Result<std::vector<Result<CommandResult>>> decode_results(std::string_view bytes);

// A frame on the socket: a u32 length, then the message.
std::string frame(const std::string& message);
// The length a frame starting with `header` (at least 4 bytes) announces.
uint32_t frame_length(std::string_view header);
inline constexpr size_t kFrameHeader = 4;
inline constexpr uint32_t kMaxFrame = 1u << 30;

}  // namespace skiff::drivers
