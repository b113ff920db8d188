#pragma once

// Helpers of commands.cpp that the commands in other files (layoutcommands.cpp) share.

#include "core/address.h"
#include "core/mapping.h"

#include <QString>
#include <cstdint>
#include <optional>

namespace shmscope {

/// Parses an ADDRESS argument from its argv bytes (escaped form accepted); on failure prints the
/// error and sets `exitCode`.
std::optional<Address> parseAddressArgumentShared(const QString& text, int& exitCode);

/// Announces that [offset, offset + length) of `mapping` changed to the instances on its bus; returns
/// "notified N instances" or "no instances notified: why" for the command's result line.
QString announceChange(const Mapping& mapping, std::uint64_t offset, std::uint64_t length);

} // namespace shmscope
