#include "storage/fault_fs.h"

#include <rocksdb/file_system.h>
#include <rocksdb/io_status.h>

#include <string>

namespace corpex::storage {
namespace {

using rocksdb::DataVerificationInfo;
using rocksdb::FileOptions;
using rocksdb::FSWritableFile;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

IOStatus Full() { return IOStatus::NoSpace("injected", "no space left on device"); }

class FailingFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FailingFile(std::unique_ptr<FSWritableFile> f, const std::atomic<bool>* fail)
      : FSWritableFileOwnerWrapper(std::move(f)), fail_(fail) {}

  IOStatus Append(const Slice& data, const IOOptions& o, IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::Append(data, o, d);
  }
  IOStatus Append(const Slice& data, const IOOptions& o, const DataVerificationInfo& v,
                  IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::Append(data, o, v, d);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t off, const IOOptions& o,
                            IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::PositionedAppend(data, off, o, d);
  }
  IOStatus Flush(const IOOptions& o, IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::Flush(o, d);
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::Sync(o, d);
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::Fsync(o, d);
  }
  IOStatus RangeSync(uint64_t off, uint64_t n, const IOOptions& o, IODebugContext* d) override {
    return failing() ? Full() : FSWritableFileOwnerWrapper::RangeSync(off, n, o, d);
  }

 private:
  bool failing() const { return fail_->load(std::memory_order_relaxed); }
  const std::atomic<bool>* fail_;
};

class FailingFs : public rocksdb::FileSystemWrapper {
 public:
  FailingFs(const std::shared_ptr<rocksdb::FileSystem>& base, const std::atomic<bool>* fail)
      : FileSystemWrapper(base), fail_(fail) {}
  const char* Name() const override { return "CorpexFailingFs"; }

  IOStatus NewWritableFile(const std::string& f, const FileOptions& fo,
                           std::unique_ptr<FSWritableFile>* r, IODebugContext* d) override {
    return Wrap(FileSystemWrapper::NewWritableFile(f, fo, r, d), r);
  }
  IOStatus ReopenWritableFile(const std::string& f, const FileOptions& fo,
                              std::unique_ptr<FSWritableFile>* r, IODebugContext* d) override {
    return Wrap(FileSystemWrapper::ReopenWritableFile(f, fo, r, d), r);
  }
  IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const FileOptions& fo,
                             std::unique_ptr<FSWritableFile>* r, IODebugContext* d) override {
    return Wrap(FileSystemWrapper::ReuseWritableFile(f, old, fo, r, d), r);
  }

 private:
  IOStatus Wrap(IOStatus s, std::unique_ptr<FSWritableFile>* r) {
    if (!s.ok()) return s;
    if (fail_->load(std::memory_order_relaxed)) {
      r->reset();
      return Full();
    }
    *r = std::make_unique<FailingFile>(std::move(*r), fail_);
    return s;
  }
  const std::atomic<bool>* fail_;
};

}  // namespace

std::unique_ptr<rocksdb::Env> NewFaultInjectionEnv(const std::atomic<bool>* fail) {
  auto fs = std::make_shared<FailingFs>(rocksdb::FileSystem::Default(), fail);
  return rocksdb::NewCompositeEnv(fs);
}

}  // namespace corpex::storage
