// How sigma writes files (models, checkpoints, plots, reports, training logs).
#pragma once

namespace sigma {

// What a write does when its target is a symbolic link. Every file sigma writes is written whole
// to a new temporary beside the target and renamed over it, and a target that exists but is not
// a regular file (a folder, a FIFO, a device) is refused. A symbolic link is refused as well
// unless the caller asks to follow it: then the file it points to is replaced, the link kept.
enum class Symlinks { kRefuse, kFollow };

}  // namespace sigma
