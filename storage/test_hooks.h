// storage/test_hooks.h — knobs for storage's own tests, kept out of the
// public contract: StoreOptions carries only a pointer to them.
#pragma once

#include <atomic>

namespace corpex {

struct StoreTestHooks {
  // While *fail_writes is true, every file write and sync fails as on a full disk.
  const std::atomic<bool>* fail_writes = nullptr;
  // While *hold_writes is true, the writer thread takes no group, so
  // everything appended meanwhile becomes one group commit.
  const std::atomic<bool>* hold_writes = nullptr;
};

}  // namespace corpex
