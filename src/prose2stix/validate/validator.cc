// The validator parses with RapidJSON's SAX Reader in iterative mode (constant C stack at any
// nesting) and routes the events through a Router: events of one element of the top-level
// "objects" array (or of a top-level array, or of a lone top-level object) build a small DOM in a
// pooled allocator; when the element closes it is checked against its type's schema and the
// semantic rules, then the pool is cleared for the next element. Members of a bundle other than
// "objects" build a second small DOM, checked as the bundle envelope at the end.
//
// Bytes are checked before the parser sees them: one pass finds the first NUL byte or ill-formed
// UTF-8 sequence (8 bytes at a time over ASCII) and the parser sees the input truncated there,
// so it stops exactly at that byte and the error names it. This replaces RapidJSON's
// kParseValidateEncodingFlag, which would disable its SIMD string scanning. Escaped lone low
// low surrogates ("\udc00"), which RapidJSON decodes without complaint, are found by the same
// pass, which follows backslash escapes. Strings in memory are parsed in situ (no copies); files are
// read through a fixed double buffer.
#include "prose2stix/validate/validator.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <rapidjson/allocators.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "prose2stix/validate/schema_store.h"
#include "prose2stix/validate/semantic_checks.h"
#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::validate {

namespace {

using Value = rapidjson::Value;
using SizeType = rapidjson::SizeType;
using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using SV = std::string_view;

constexpr uint64_t kNoOffset = std::numeric_limits<uint64_t>::max();
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;
constexpr size_t kPoolBuffer = size_t{256} << 10;
constexpr size_t kPoolChunk = size_t{256} << 10;
constexpr size_t kRootBuffer = size_t{4} << 10;  // a bundle's envelope is a few members

// ---- byte pre-check ---------------------------------------------------------------------------

// Finds the first NUL byte or ill-formed UTF-8 sequence over consecutive chunks.
class ByteScanner {
 public:
  enum class Problem { kNone, kNul, kUtf8, kSurrogate };

  // `p[0]` is at absolute offset `base`. Returns the absolute offset of the first bad byte (the
  // start of the bad sequence) or kNoOffset.
  uint64_t Feed(const char* p, size_t n, uint64_t base) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    size_t i = 0;
    while (i < n) {
      if (need_ == 0) {
#if defined(__SSE2__)
        // 16 bytes at a time while they are ASCII, not NUL and not a backslash.
        while (esc_ == 0 && i + 16 <= n) {
          __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(u + i));
          __m128i special =
              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
          int mask = _mm_movemask_epi8(_mm_or_si128(special, v));  // v's top bits mark non-ASCII bytes
          if (mask != 0) {
            i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
            break;
          }
          i += 16;
        }
#endif
        while (esc_ == 0 && i + 8 <= n) {
          uint64_t w;
          std::memcpy(&w, u + i, 8);
          constexpr uint64_t kHigh = 0x8080808080808080ull, kOnes = 0x0101010101010101ull;
          constexpr uint64_t kBackslashes = 0x5C5C5C5C5C5C5C5Cull;
          uint64_t b = w ^ kBackslashes;
          if ((w & kHigh) != 0 || ((w - kOnes) & ~w & kHigh) != 0 || ((b - kOnes) & ~b & kHigh) != 0) break;
          i += 8;
        }
        if (i >= n) break;
        unsigned char c = u[i];
        if (c < 0x80) {
          if (c == 0) return Fail(Problem::kNul, base + i, c);
          if (c == '\\' || esc_ != 0) {
            if (!Escape(c, base + i)) return Fail(Problem::kSurrogate, esc_start_, c);
          }
          ++i;
          continue;
        }
        if (esc_ != 0) esc_ = 0;  // the parser reports the bad escape
        seq_start_ = base + i;
        lead_ = c;
        lo_ = 0x80;
        hi_ = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
          need_ = 1;
        } else if (c == 0xE0) {
          need_ = 2, lo_ = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
          need_ = 2;
        } else if (c == 0xED) {
          need_ = 2, hi_ = 0x9F;
        } else if (c == 0xF0) {
          need_ = 3, lo_ = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
          need_ = 3;
        } else if (c == 0xF4) {
          need_ = 3, hi_ = 0x8F;
        } else {
          return Fail(Problem::kUtf8, base + i, c);
        }
        ++i;
      } else {
        unsigned char c = u[i];
        if (c < lo_ || c > hi_) return Fail(Problem::kUtf8, seq_start_, lead_);
        lo_ = 0x80;
        hi_ = 0xBF;
        --need_;
        ++i;
      }
    }
    return kNoOffset;
  }
  // At the end of input: a sequence still open is truncated.
  uint64_t Finish() { return need_ != 0 ? Fail(Problem::kUtf8, seq_start_, lead_) : kNoOffset; }

  Problem problem() const { return problem_; }
  unsigned char byte() const { return byte_; }
  // True once a \u0000 escape was fed: only then can a parsed string hold a NUL.
  bool nul_escape() const { return nul_escape_; }

 private:
  // Follows backslash escapes (which only occur inside strings of well-formed JSON) and returns
  // false at a \u escape of a low surrogate that does not directly follow a high one. RapidJSON
  // reports a high surrogate without its low half itself, and other malformed escapes too.
  bool Escape(unsigned char c, uint64_t at) {
    if (esc_ == 0) {  // c is the backslash
      esc_ = 1;
      esc_start_ = at;
      return true;
    }
    if (esc_ == 1) {
      esc_ = c == 'u' ? 2 : 0;
      code_ = 0;
      return true;
    }
    int digit = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
    if (digit < 0) {
      esc_ = 0;
      return true;
    }
    code_ = code_ * 16 + static_cast<unsigned>(digit);
    if (++esc_ < 6) return true;
    esc_ = 0;
    if (code_ == 0) nul_escape_ = true;
    if (code_ >= 0xD800 && code_ <= 0xDBFF) high_end_ = at + 1;
    return !(code_ >= 0xDC00 && code_ <= 0xDFFF && esc_start_ != high_end_);
  }

  uint64_t Fail(Problem p, uint64_t at, unsigned char byte) {
    problem_ = p;
    byte_ = byte;
    return at;
  }
  int need_ = 0;
  int esc_ = 0;  // 0 none, 1 after a backslash, 2-5 reading the hex digits of \u
  unsigned code_ = 0;
  uint64_t esc_start_ = 0;
  uint64_t high_end_ = kNoOffset;  // just after the last high-surrogate escape
  unsigned char lo_ = 0x80, hi_ = 0xBF, lead_ = 0;
  uint64_t seq_start_ = 0;
  Problem problem_ = Problem::kNone;
  unsigned char byte_ = 0;
  bool nul_escape_ = false;
};

// ---- input positions --------------------------------------------------------------------------

struct Position {
  uint64_t line = 0;    // 1-based; 0 when unknown
  uint64_t column = 0;  // 1-based, in bytes
};

// What the router and the error reporter need from a stream, off the hot path.
class Locator {
 public:
  virtual ~Locator() = default;
  virtual uint64_t Offset() const = 0;
  virtual Position Locate(uint64_t offset) const = 0;
  // The byte at `offset`, or -1 when it is no longer (or not yet) in memory.
  virtual int ByteAt(uint64_t offset) const = 0;
  // Called after each element: inputs may release what the parser has consumed.
  virtual void Consumed() {}
};

// A regular file mapped read-only, followed by a zero page so that it is NUL-terminated for
// rapidjson::StringStream (which then scans strings and whitespace with SIMD). Pages the parser
// has left behind are released with MADV_DONTNEED, so resident memory stays small whatever the
// file size; they are read again from the page cache only to locate an error.
class MappedInput final : public Locator {
 public:
  static constexpr size_t kRelease = size_t{4} << 20;  // release in steps of this many bytes

  // Maps `size` bytes of `fd`; false when mapping is impossible (the caller then streams).
  bool Map(int fd, size_t size) {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_ = size;
    span_ = (size / page_ + 2) * page_;
    void* base = mmap(nullptr, span_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return false;
    base_ = static_cast<char*>(base);
    if (mmap(base_, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) return false;
    // Bytes past the end of the file up to the page boundary read as zero, and the anonymous
    // page after it too: data()[size] is a NUL.
    return true;
  }
  ~MappedInput() override {
    if (base_ != nullptr) munmap(base_, span_);
  }
  const char* data() const { return base_; }
  void set_stream(rapidjson::StringStream* stream) { stream_ = stream; }

  // Scans the whole file for NUL bytes and ill-formed UTF-8, releasing pages as it goes.
  uint64_t Prescan(ByteScanner* scanner) {
    for (size_t pos = 0; pos < size_; pos += kRelease) {
      size_t n = std::min(kRelease, size_ - pos);
      uint64_t bad = scanner->Feed(base_ + pos, n, pos);
      Release(pos, n);
      if (bad != kNoOffset) return bad;
    }
    return scanner->Finish();
  }

  uint64_t Offset() const override { return stream_ != nullptr ? stream_->Tell() : 0; }
  Position Locate(uint64_t offset) const override {
    offset = std::min<uint64_t>(offset, size_);
    Position p{1, 1};
    const char* d = base_;
    p.line += static_cast<uint64_t>(std::count(d, d + offset, '\n'));
    const void* last = offset > 0 ? memrchr(d, '\n', static_cast<size_t>(offset)) : nullptr;
    uint64_t line_start = last == nullptr ? 0 : static_cast<uint64_t>(static_cast<const char*>(last) - d) + 1;
    p.column = offset - line_start + 1;
    return p;
  }
  int ByteAt(uint64_t offset) const override {
    return offset < size_ ? static_cast<unsigned char>(base_[offset]) : -1;
  }
  void Consumed() override {
    uint64_t at = Offset();
    if (at < released_ + 2 * kRelease) return;
    size_t upto = static_cast<size_t>(at - kRelease) / page_ * page_;
    Release(released_, upto - released_);
    released_ = upto;
  }

 private:
  void Release(size_t from, size_t n) {
    size_t start = from / page_ * page_;
    size_t end = std::min(from + n, size_) / page_ * page_;
    if (end > start) madvise(base_ + start, end - start, MADV_DONTNEED);
  }

  char* base_ = nullptr;
  size_t size_ = 0, span_ = 0, page_ = 4096;
  size_t released_ = 0;
  rapidjson::StringStream* stream_ = nullptr;
};

// In-memory input: a NUL-terminated copy parsed in situ.
class MemoryInput final : public Locator {
 public:
  MemoryInput(size_t size, rapidjson::InsituStringStream* stream) : size_(size), stream_(stream) {}
  uint64_t Offset() const override { return stream_->Tell(); }
  Position Locate(uint64_t offset) const override {
    offset = std::min<uint64_t>(offset, size_);
    Position p{1, 1};
    uint64_t line_start = 0;
    for (uint64_t i = 0; i < offset; ++i) {
      if (original_[i] == '\n') {
        ++p.line;
        line_start = i + 1;
      }
    }
    p.column = offset - line_start + 1;
    return p;
  }
  int ByteAt(uint64_t offset) const override {
    return offset < size_ ? static_cast<unsigned char>(original_[offset]) : -1;
  }
  // In-situ parsing rewrites the buffer, so positions are computed on the caller's original.
  void set_original(const char* original) { original_ = original; }

 private:
  size_t size_;
  rapidjson::InsituStringStream* stream_;
  const char* original_ = nullptr;
};

// A file read through two fixed buffers, checked for NUL and UTF-8 as it is read. Implements the
// RapidJSON input stream concept. The previous buffer is kept so that an error reported a few
// bytes back can still be located.
class FileInput final : public Locator {
 public:
  using Ch = char;
  static constexpr size_t kChunk = size_t{1} << 18;

  explicit FileInput(std::FILE* file) : file_(file) {
    for (Chunk& c : chunks_) c.data.reset(new char[kChunk + 1]);
    Load();
  }

  Ch Peek() const { return *cur_; }
  Ch Take() {
    Ch c = *cur_;
    if (cur_ < last_) {
      ++cur_;
    } else if (!eof_) {
      Next();
    }
    return c;
  }
  size_t Tell() const {
    return static_cast<size_t>(Current().base + static_cast<uint64_t>(cur_ - Current().data.get()));
  }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

  uint64_t Offset() const override { return Tell(); }
  Position Locate(uint64_t offset) const override {
    for (const Chunk* c : {&Current(), &Previous()}) {
      if (!c->valid || offset < c->base || offset > c->base + c->size) continue;
      const char* d = c->data.get();
      size_t n = static_cast<size_t>(offset - c->base);
      Position p{c->lines_before + 1, 0};
      uint64_t line_start = c->line_start_before;
      for (size_t i = 0; i < n; ++i) {
        if (d[i] == '\n') {
          ++p.line;
          line_start = c->base + i + 1;
        }
      }
      p.column = offset - line_start + 1;
      return p;
    }
    return Position{};
  }
  int ByteAt(uint64_t offset) const override {
    for (const Chunk* c : {&Current(), &Previous()}) {
      if (c->valid && offset >= c->base && offset < c->base + c->size) {
        return static_cast<unsigned char>(c->data[static_cast<size_t>(offset - c->base)]);
      }
    }
    return -1;
  }

  const uint64_t& limit() const { return limit_; }
  const ByteScanner& scanner() const { return scanner_; }
  bool io_error() const { return io_error_; }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    uint64_t base = 0;
    size_t size = 0;
    uint64_t lines_before = 0;       // newlines in [0, base)
    uint64_t line_start_before = 0;  // offset just after the last newline before base
    bool valid = false;
  };
  Chunk& Current() { return chunks_[cur_chunk_]; }
  const Chunk& Current() const { return chunks_[cur_chunk_]; }
  const Chunk& Previous() const { return chunks_[cur_chunk_ ^ 1]; }

  void Next() {
    const Chunk& old = Current();
    uint64_t lines = old.lines_before, line_start = old.line_start_before;
    const char* d = old.data.get();
    size_t newlines = static_cast<size_t>(std::count(d, d + old.size, '\n'));
    if (newlines > 0) {
      lines += newlines;
      const void* last = memrchr(d, '\n', old.size);
      line_start = old.base + static_cast<uint64_t>(static_cast<const char*>(last) - d) + 1;
    }
    uint64_t next_base = old.base + old.size;
    cur_chunk_ ^= 1;
    Chunk& c = Current();
    c.base = next_base;
    c.lines_before = lines;
    c.line_start_before = line_start;
    Load();
  }

  void Load() {
    Chunk& c = Current();
    c.valid = true;
    size_t got = 0;
    if (!stopped_) {
      got = std::fread(c.data.get(), 1, kChunk, file_);
      if (got < kChunk && std::ferror(file_)) io_error_ = true;
      uint64_t bad = got > 0 ? scanner_.Feed(c.data.get(), got, c.base) : scanner_.Finish();
      if (bad != kNoOffset) {
        limit_ = bad;
        stopped_ = true;
        got = bad > c.base ? static_cast<size_t>(bad - c.base) : 0;
      }
      if (got == 0) stopped_ = true;
    }
    c.size = got;
    c.data[got] = '\0';
    cur_ = c.data.get();
    if (got == 0) {
      eof_ = true;
      last_ = cur_;
    } else {
      last_ = cur_ + got - 1;
    }
  }

  std::FILE* file_;
  Chunk chunks_[2];
  int cur_chunk_ = 0;
  char* cur_ = nullptr;
  char* last_ = nullptr;
  bool eof_ = false;
  bool stopped_ = false;
  bool io_error_ = false;
  uint64_t limit_ = kNoOffset;
  ByteScanner scanner_;
};

// ---- DOM building -----------------------------------------------------------------------------

// A SAX handler that builds a rapidjson::Value tree in a pool. Counts passed to End* are
// ignored: the builder keeps its own frames, so a caller may withhold members (the bundle's
// streamed "objects").
class DomBuilder {
 public:
  // The stacks are the caller's (reused between runs, see RunBuffers) and must outlive the builder.
  DomBuilder(Pool* pool, std::vector<Value>* stack, std::vector<size_t>* frames)
      : pool_(pool), stack_(*stack), frames_(*frames) {
    Reset();
  }

  void Reset() {
    stack_.clear();
    frames_.clear();
  }
  // Scalars are constructed in place on the stack (a temporary moved in would be written in
  // pieces and read back whole, which stalls on store forwarding).
  bool Null() { return Emplace(); }
  bool Bool(bool b) { return Emplace(b); }
  bool Int(int i) { return Emplace(i); }
  bool Uint(unsigned u) { return Emplace(u); }
  bool Int64(int64_t i) { return Emplace(i); }
  bool Uint64(uint64_t u) { return Emplace(u); }
  bool Double(double d) { return Emplace(d); }
  bool RawNumber(const char* s, SizeType n, bool copy) { return String(s, n, copy); }
  bool String(const char* s, SizeType n, bool copy) {
    if (copy) return Emplace(s, n, *pool_);
    return Emplace(rapidjson::StringRef(s, n));
  }
  bool Key(const char* s, SizeType n, bool copy) { return String(s, n, copy); }
  bool StartObject() {
    frames_.push_back(stack_.size());
    return true;
  }
  bool EndObject(SizeType) {
    size_t base = frames_.back();
    frames_.pop_back();
    Value obj(rapidjson::kObjectType);
    for (size_t i = base; i + 1 < stack_.size(); i += 2) obj.AddMember(stack_[i], stack_[i + 1], *pool_);
    stack_.resize(base);
    return Push(std::move(obj));
  }
  bool StartArray() {
    frames_.push_back(stack_.size());
    return true;
  }
  bool EndArray(SizeType) {
    size_t base = frames_.back();
    frames_.pop_back();
    Value arr(rapidjson::kArrayType);
    arr.Reserve(static_cast<SizeType>(stack_.size() - base), *pool_);
    for (size_t i = base; i < stack_.size(); ++i) arr.PushBack(stack_[i], *pool_);
    stack_.resize(base);
    return Push(std::move(arr));
  }
  // The finished value; valid once every container is closed.
  Value& Root() { return stack_.front(); }
  bool Done() const { return frames_.empty() && stack_.size() == 1; }

 private:
  bool Push(Value&& v) {
    stack_.emplace_back(std::move(v));
    return true;
  }
  template <typename... Args>
  bool Emplace(Args&&... args) {
    stack_.emplace_back(std::forward<Args>(args)...);
    return true;
  }
  Pool* pool_;
  std::vector<Value>& stack_;
  std::vector<size_t>& frames_;
};

// What a validation run allocates whatever the document: the element pool's first block, the
// builders' stacks, and the in-memory copy of a string input. Each thread keeps one set between
// runs, so that validating many small documents (the converter validates every bundle it
// writes) does not allocate and fault in these again each time; a run that starts while the
// thread's set is taken (a sink that validates) gets a private set. Buffers grown past a few
// megabytes by a large input are released after the run rather than kept.
struct RunBuffers {
  std::unique_ptr<char[]> elem_block{new char[kPoolBuffer]};
  std::unique_ptr<char[]> root_block{new char[kRootBuffer]};
  std::vector<Value> elem_stack, root_stack;
  std::vector<size_t> elem_frames, root_frames;
  std::unique_ptr<char[]> input;  // in-situ copy of ValidateString's input
  size_t input_capacity = 0;
  bool in_use = false;

  // A buffer of at least `n` bytes for the input copy; its contents are not kept.
  char* Input(size_t n) {
    if (input_capacity < n) {
      input.reset(new char[n]);
      input_capacity = n;
    }
    return input.get();
  }
  void Trim() {
    constexpr size_t kKeepBytes = size_t{4} << 20;
    if (input_capacity > kKeepBytes) {
      input.reset();
      input_capacity = 0;
    }
    for (std::vector<Value>* v : {&elem_stack, &root_stack}) {
      if (v->capacity() * sizeof(Value) > kKeepBytes) std::vector<Value>().swap(*v);
    }
  }
};

// The calling thread's RunBuffers for the length of one run (or a private set, see RunBuffers).
class BuffersLease {
 public:
  BuffersLease() {
    thread_local RunBuffers buffers;
    if (buffers.in_use) {
      own_ = std::make_unique<RunBuffers>();
      buffers_ = own_.get();
    } else {
      buffers_ = &buffers;
    }
    buffers_->in_use = true;
  }
  ~BuffersLease() {
    buffers_->in_use = false;
    buffers_->Trim();
  }
  BuffersLease(const BuffersLease&) = delete;
  BuffersLease& operator=(const BuffersLease&) = delete;
  RunBuffers* get() const { return buffers_; }

 private:
  std::unique_ptr<RunBuffers> own_;
  RunBuffers* buffers_;
};

}  // namespace

// ---- the validator ------------------------------------------------------------------------------

namespace internal {
// The immutable configuration shared by every validation run.
struct Engine {
  ValidatorOptions options;
  CheckFilter filter;
  std::unique_ptr<SchemaStore> schemas;
};
}  // namespace internal

struct Validator::Impl {
  internal::Engine engine;
};

namespace {

// Number of members of object `v` named `name`.
size_t CountMembers(const Value& v, SV name) {
  size_t n = 0;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (it->name.GetStringLength() == name.size() && std::memcmp(it->name.GetString(), name.data(), name.size()) == 0) {
      ++n;
    }
  }
  return n;
}

// Everything one validation run owns.
class Run {
 public:
  Run(const internal::Engine& impl, ValidationReport* report, const DiagnosticSink* sink, RunBuffers* buffers)
      : impl_(impl),
        report_(report),
        sink_(sink),
        reporter_(&impl.filter, impl.options.strict, &report->diagnostics),
        state_(impl.options.enforce_refs),
        elem_pool_(buffers->elem_block.get(), kPoolBuffer, kPoolChunk),
        root_pool_(buffers->root_block.get(), kRootBuffer, kPoolChunk),
        elem_(&elem_pool_, &buffers->elem_stack, &buffers->elem_frames),
        root_(&root_pool_, &buffers->root_stack, &buffers->root_frames) {}

  Reporter* reporter() { return &reporter_; }
  DocumentState* state() { return &state_; }
  // The scanner that checks the bytes before the parser sees them (it has seen every byte of
  // the element being checked): it tells whether strings may hold NUL characters.
  void set_scanner(const ByteScanner* scanner) { scanner_ = scanner; }

  // Hands the diagnostics gathered so far to the sink, if there is one.
  void Flush() {
    if (sink_ == nullptr || !*sink_) return;
    for (const Diagnostic& d : report_->diagnostics) {
      ++(d.severity == Severity::kError ? report_->streamed_errors : report_->streamed_warnings);
      (*sink_)(d);
    }
    report_->diagnostics.clear();
  }

  // Checks one element (or the lone top-level object).
  void CheckElement(const Value& v, const std::string& pointer) {
    ++report_->objects;
    SV type;
    if (v.IsObject()) {
      auto it = v.FindMember("type");
      if (it != v.MemberEnd() && it->value.IsString())
        type = SV(it->value.GetString(), it->value.GetStringLength());
    }
    bool has_schema = !type.empty() && impl_.schemas->HasSchema(type);
    size_t mark = reporter_.size();
    CheckObject(v, pointer, has_schema, &state_, &reporter_);
    if (has_schema) {
      // The lean schemas leave out the patterns CheckObject() has just enforced: exact when it
      // found no error and read the only id (see SchemaStore::Checks).
      const SchemaStore::Checks checks = !reporter_.HasErrorSince(mark) && CountMembers(v, "id") == 1
                                             ? SchemaStore::Checks::kLean
                                             : SchemaStore::Checks::kFull;
      SchemaStore::SchemaError error;
      const bool may_hold_nul = scanner_ == nullptr || scanner_->nul_escape();
      if (!impl_.schemas->Validate(v, type, &error, checks, may_hold_nul)) {
        std::string at = pointer + error.pointer;
        if (!reporter_.HasErrorAt(at, mark)) {
          std::vector<Diagnostic> one;
          Reporter local(&impl_.filter, impl_.options.strict, &one);
          auto id = v.FindMember("id");
          SV id_text = id != v.MemberEnd() && id->value.IsString()
                           ? SV(id->value.GetString(), id->value.GetStringLength())
                           : SV();
          local.Add(10, id_text, at,
                    error.message + (error.keyword.empty() ? std::string()
                                                           : " (schema keyword '" + error.keyword + "')"));
          report_->diagnostics.insert(report_->diagnostics.begin() + static_cast<std::ptrdiff_t>(mark),
                                      std::make_move_iterator(one.begin()),
                                      std::make_move_iterator(one.end()));
        }
      }
    }
    Flush();
  }

  const internal::Engine& impl_;
  ValidationReport* report_;
  const DiagnosticSink* sink_;
  const ByteScanner* scanner_ = nullptr;
  Reporter reporter_;
  DocumentState state_;
  Pool elem_pool_;
  Pool root_pool_;
  DomBuilder elem_;
  DomBuilder root_;
};

// Routes SAX events: elements of the top-level objects array (or top-level array) to the element
// builder, the rest of a top-level object to the root builder.
class Router {
 public:
  Router(Run* run, Locator* locator) : run_(run), locator_(locator) {}

  bool Null() {
    return Scalar([&](DomBuilder& b) { return b.Null(); });
  }
  bool Bool(bool v) {
    return Scalar([&](DomBuilder& b) { return b.Bool(v); });
  }
  bool Int(int v) {
    return Scalar([&](DomBuilder& b) { return b.Int(v); });
  }
  bool Uint(unsigned v) {
    return Scalar([&](DomBuilder& b) { return b.Uint(v); });
  }
  bool Int64(int64_t v) {
    return Scalar([&](DomBuilder& b) { return b.Int64(v); });
  }
  bool Uint64(uint64_t v) {
    return Scalar([&](DomBuilder& b) { return b.Uint64(v); });
  }
  bool Double(double v) {
    return Scalar([&](DomBuilder& b) { return b.Double(v); });
  }
  bool RawNumber(const char* s, SizeType n, bool copy) { return String(s, n, copy); }

  bool String(const char* s, SizeType n, bool copy) {
    if (in_element_) return run_->elem_.String(s, n, copy);
    if (depth_ == 1 && root_is_object_ && last_key_is_type_) root_type_.assign(s, n);
    return Scalar([&](DomBuilder& b) { return b.String(s, n, copy); });
  }

  bool Key(const char* s, SizeType n, bool copy) {
    if (in_element_) return run_->elem_.Key(s, n, copy);
    if (depth_ == 1 && root_is_object_) {
      SV key(s, n);
      last_key_is_type_ = key == "type";
      if (key == "objects" && !objects_streamed_ && (root_type_.empty() || root_type_ == "bundle")) {
        pending_objects_key_ = true;
        return true;
      }
    }
    return run_->root_.Key(s, n, copy);
  }

  bool StartObject() { return Start(true); }
  bool StartArray() { return Start(false); }

  bool EndObject(SizeType n) { return End(true, n); }
  bool EndArray(SizeType n) { return End(false, n); }

  // After the parse.
  bool root_is_object() const { return root_is_object_; }
  bool root_is_array() const { return root_is_array_; }
  bool objects_streamed() const { return objects_streamed_; }
  const std::string& root_type() const { return root_type_; }
  // Set when the router stopped the parse; the message and offset of the reason.
  const std::string& abort_message() const { return abort_message_; }
  uint64_t abort_offset() const { return abort_offset_; }
  // The JSON pointer of the element being parsed, or "" outside elements.
  std::string CurrentPointer() const {
    return in_element_ || AtElementLevel() ? ElementPointer() : std::string();
  }
  bool root_scalar() const { return root_scalar_; }

 private:
  template <typename F>
  bool Scalar(F&& emit) {
    if (pending_objects_key_) FlushPendingKey();
    if (in_element_) return emit(run_->elem_);
    if (depth_ == 0) {
      root_scalar_ = true;
      return true;
    }
    if (AtElementLevel()) {
      // A non-object where a STIX object belongs: build it alone and let the checks say so.
      run_->elem_pool_.Clear();
      run_->elem_.Reset();
      emit(run_->elem_);
      run_->CheckElement(run_->elem_.Root(), ElementPointer());
      run_->elem_.Reset();
      ++index_;
      return true;
    }
    return emit(run_->root_);
  }

  bool AtElementLevel() const { return (objects_open_ && depth_ == 2) || (root_is_array_ && depth_ == 1); }

  bool Start(bool object) {
    if (pending_objects_key_) {
      pending_objects_key_ = false;
      if (!object && depth_ == 1) {
        objects_open_ = true;
        ++depth_;
        return true;
      }
      FlushPendingKeyNow();
    }
    if (++depth_ > kMaxNestingDepth) {
      abort_message_ = "nesting deeper than " + std::to_string(kMaxNestingDepth) + " levels";
      abort_offset_ = locator_->Offset();  // the bracket, not yet consumed
      return false;
    }
    if (in_element_) return object ? run_->elem_.StartObject() : run_->elem_.StartArray();
    if (depth_ == 1) {
      if (object) {
        root_is_object_ = true;
        return run_->root_.StartObject();
      }
      root_is_array_ = true;
      return true;
    }
    if ((objects_open_ && depth_ == 3) || (root_is_array_ && depth_ == 2)) {
      in_element_ = true;
      element_depth_ = depth_;
      run_->elem_pool_.Clear();
      run_->elem_.Reset();
      return object ? run_->elem_.StartObject() : run_->elem_.StartArray();
    }
    return object ? run_->root_.StartObject() : run_->root_.StartArray();
  }

  bool End(bool object, SizeType n) {
    if (in_element_) {
      bool ok = object ? run_->elem_.EndObject(n) : run_->elem_.EndArray(n);
      if (depth_ == element_depth_) {
        in_element_ = false;
        run_->CheckElement(run_->elem_.Root(), ElementPointer());
        run_->elem_.Reset();
        ++index_;
        locator_->Consumed();
      }
      --depth_;
      return ok;
    }
    if (!object && objects_open_ && depth_ == 2) {
      objects_open_ = false;
      objects_streamed_ = true;
      index_ = 0;
      --depth_;
      return true;
    }
    if (root_is_array_ && depth_ == 1) {
      --depth_;
      return true;
    }
    --depth_;
    return object ? run_->root_.EndObject(n) : run_->root_.EndArray(n);
  }

  void FlushPendingKey() {
    pending_objects_key_ = false;
    FlushPendingKeyNow();
  }
  void FlushPendingKeyNow() { run_->root_.Key("objects", 7, false); }

  std::string ElementPointer() const { return (root_is_array_ ? "/" : "/objects/") + std::to_string(index_); }

  Run* run_;
  Locator* locator_;
  int depth_ = 0;
  int element_depth_ = 0;
  bool in_element_ = false;
  bool objects_open_ = false;
  bool objects_streamed_ = false;
  bool pending_objects_key_ = false;
  bool root_is_object_ = false;
  bool root_is_array_ = false;
  bool root_scalar_ = false;
  bool last_key_is_type_ = false;
  size_t index_ = 0;
  std::string root_type_;
  std::string abort_message_;
  uint64_t abort_offset_ = 0;
};

std::string Where(const Locator& locator, uint64_t offset) {
  Position p = locator.Locate(offset);
  if (p.line == 0) return "at byte offset " + std::to_string(offset);
  return "at line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + " (byte offset " +
         std::to_string(offset) + ")";
}

// A person-friendly account of a RapidJSON parse error at `offset`.
std::string DescribeParseError(rapidjson::ParseErrorCode code, uint64_t offset, const Locator& locator) {
  int here = locator.ByteAt(offset);
  int before = -1;
  for (uint64_t k = offset; k > 0 && k + 64 > offset; --k) {
    int ch = locator.ByteAt(k - 1);
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') continue;
    before = ch;
    break;
  }
  if ((here == ']' || here == '}') && before == ',') {
    return std::string("trailing comma before '") + static_cast<char>(here) + "' (JSON allows none)";
  }
  if (code == rapidjson::kParseErrorValueInvalid) {
    if (here == 'N') return "NaN is not a JSON value";
    if (here == 'I' || (here == '-' && locator.ByteAt(offset + 1) == 'I'))
      return "Infinity is not a JSON value";
    if (here == '\'') return "strings must use double quotes";
  }
  switch (code) {
    case rapidjson::kParseErrorDocumentEmpty:
      return "the input is empty: no JSON value";
    case rapidjson::kParseErrorDocumentRootNotSingular:
      return "unexpected content after the end of the JSON value";
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
      return "a \\u escape holds a lone UTF-16 surrogate, which is not a character";
    case rapidjson::kParseErrorObjectMissName:
      return "expected a double-quoted property name";
    default:
      break;
  }
  std::string msg = rapidjson::GetParseError_En(code);
  if (!msg.empty() && msg.back() == '.') msg.pop_back();
  if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  return msg;
}

// Bundle envelope, lone object, or the message for an unsupported top level, once parsing
// succeeded.
void Finish(Run* run, const Router& router, ValidationReport* report) {
  Reporter* r = run->reporter();
  if (router.root_scalar()) {
    r->Add(2, "", "",
           "the top level is a JSON scalar; expected a STIX bundle, a STIX object or an array of objects");
  } else if (router.root_is_object() && run->root_.Done()) {
    const Value& root = run->root_.Root();
    bool bundle = router.objects_streamed() || router.root_type() == "bundle";
    if (!bundle) {
      run->CheckElement(root, "");
    } else {
      auto id_it = root.FindMember("id");
      SV id = id_it != root.MemberEnd() && id_it->value.IsString()
                  ? SV(id_it->value.GetString(), id_it->value.GetStringLength())
                  : SV();
      if (router.root_type() != "bundle") {
        r->Add(3, id, router.root_type().empty() ? "" : "/type",
               router.root_type().empty()
                   ? "the top-level object has an objects array but no type; a bundle needs type \"bundle\""
                   : "the top-level object has an objects array but its type is '" + router.root_type() +
                         "', not \"bundle\"");
      }
      std::string why;
      SV prefix;
      int version = 0;
      if (id_it == root.MemberEnd()) {
        r->Add(3, "", "", "the bundle has no id");
      } else if (id.empty() && !id_it->value.IsString()) {
        r->Add(3, "", "/id", "the bundle id must be a string");
      } else if (!ParseIdentifier(id, &prefix, &version, &why)) {
        r->Add(3, id, "/id", "bundle id '" + std::string(id) + "' is not a STIX identifier: " + why);
      } else if (prefix != "bundle") {
        r->Add(3, id, "/id", "bundle id prefix '" + std::string(prefix) + "' must be \"bundle\"");
      }
      auto objects = root.FindMember("objects");
      if (objects != root.MemberEnd() && !objects->value.IsArray()) {
        r->Add(3, id, "/objects", "the bundle's objects must be an array");
      }
      if (root.FindMember("spec_version") != root.MemberEnd()) {
        r->Add(304, id, "/spec_version",
               "a bundle spec_version is STIX 2.0; STIX 2.1 bundles have none (each object carries its own)");
      }
    }
  }
  run->state()->Finish(r);
  (void)report;
}

template <typename Stream>
void ParseAndCheck(Run* run, Stream& stream, Locator& locator, const uint64_t& limit,
                   const ByteScanner& scanner, ValidationReport* report) {
  Router router(run, &locator);
  run->set_scanner(&scanner);
  rapidjson::Reader reader;
  rapidjson::ParseResult result =
      reader.Parse<kParseFlags |
                   (std::is_same_v<Stream, rapidjson::InsituStringStream> ? rapidjson::kParseInsituFlag : 0)>(
          stream, router);
  if (result) Finish(run, router, report);
  if (result && limit == kNoOffset) {
    run->Flush();
    return;
  }
  report->parse_error = true;
  std::string message;
  uint64_t offset = result ? limit : result.Offset();
  if (!result && result.Code() == rapidjson::kParseErrorTermination && !router.abort_message().empty()) {
    offset = router.abort_offset();
    message = router.abort_message();
  } else if (limit != kNoOffset && offset >= limit) {
    offset = limit;
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X", scanner.byte());
    switch (scanner.problem()) {
      case ByteScanner::Problem::kNul:
        message = "a NUL byte; JSON text cannot contain one (is this a binary file?)";
        break;
      case ByteScanner::Problem::kSurrogate:
        message = "a \\u escape of a lone UTF-16 low surrogate, which is not a character";
        break;
      default:
        message = std::string("invalid UTF-8: byte ") + hex + " does not start a well-formed sequence";
    }
  } else {
    message = DescribeParseError(result.Code(), offset, locator);
  }
  if (!result) run->state()->Finish(run->reporter());
  std::string pointer = router.CurrentPointer();
  run->reporter()->Add(1, "", pointer, "malformed JSON " + Where(locator, offset) + ": " + message);
  run->Flush();
}

}  // namespace

Validator::Validator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Validator::~Validator() = default;

Result<std::unique_ptr<Validator>> Validator::Create(const ValidatorOptions& options) {
  auto holder = std::make_unique<Impl>();
  internal::Engine* impl = &holder->engine;
  impl->options = options;
  Result<CheckFilter> filter = CheckFilter::Make(options.enable, options.disable);
  if (!filter.ok()) return filter.status();
  impl->filter = *filter;
  auto store = options.schema_dir.empty() ? SchemaStore::LoadEmbedded()
                                          : SchemaStore::LoadDirectory(options.schema_dir);
  if (!store.ok()) return store.status();
  impl->schemas = std::move(*store);
  return std::unique_ptr<Validator>(new Validator(std::move(holder)));
}

ValidationReport Validator::ValidateString(std::string_view json, std::string_view name) const {
  return ValidateString(json, name, DiagnosticSink());
}

ValidationReport Validator::ValidateFile(const std::string& path) const {
  return ValidateFile(path, DiagnosticSink());
}

ValidationReport Validator::ValidateString(std::string_view json, std::string_view name,
                                           const DiagnosticSink& sink) const {
  ValidationReport report;
  report.name = std::string(name);
  // Find the first NUL or ill-formed UTF-8 byte; the parser sees the input up to there.
  ByteScanner scanner;
  uint64_t limit = scanner.Feed(json.data(), json.size(), 0);
  if (limit == kNoOffset) limit = scanner.Finish();
  size_t visible = limit == kNoOffset ? json.size() : static_cast<size_t>(limit);
  // RapidJSON's SSE2 scanners read whole aligned 16-byte blocks, up to 15 bytes past the NUL:
  // the copy is padded with zeros so that every byte they read is ours.
  constexpr size_t kSimdPadding = 16;
  BuffersLease buffers;
  char* copy = buffers.get()->Input(visible + 1 + kSimdPadding);
  if (visible > 0) std::memcpy(copy, json.data(), visible);
  std::memset(copy + visible, 0, 1 + kSimdPadding);
  rapidjson::InsituStringStream stream(copy);
  MemoryInput locator(json.size(), &stream);
  locator.set_original(json.data());
  Run run(impl_->engine, &report, &sink, buffers.get());
  ParseAndCheck(&run, stream, locator, limit, scanner, &report);
  return report;
}

ValidationReport Validator::ValidateFile(const std::string& path, const DiagnosticSink& sink) const {
  ValidationReport report;
  report.name = path;
  // A regular file is mapped and parsed like a string (SIMD scanning, no copy through a
  // buffer); standard input, pipes, and files with NUL or bad UTF-8 bytes are streamed through
  // FileInput, which stops the parser at the bad byte.
  if (path != "-") {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      MappedInput input;
      bool done = false;
      if (input.Map(fd, static_cast<size_t>(st.st_size))) {
        ByteScanner scanner;
        if (input.Prescan(&scanner) == kNoOffset) {
          rapidjson::StringStream stream(input.data());
          input.set_stream(&stream);
          BuffersLease buffers;
          Run run(impl_->engine, &report, &sink, buffers.get());
          uint64_t limit = kNoOffset;
          ParseAndCheck(&run, stream, input, limit, scanner, &report);
          done = true;
        }
      }
      close(fd);
      if (done) return report;
    } else if (fd >= 0) {
      close(fd);
    }
  }
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    report.read_error = true;
    Diagnostic d{Severity::kError, 1, "", "", "cannot open " + path + ": " + std::strerror(errno)};
    if (sink) {
      ++report.streamed_errors;
      sink(d);
    } else {
      report.diagnostics.push_back(std::move(d));
    }
    return report;
  }
  {
    FileInput stream(file);
    BuffersLease buffers;
    Run run(impl_->engine, &report, &sink, buffers.get());
    ParseAndCheck(&run, stream, stream, stream.limit(), stream.scanner(), &report);
    if (stream.io_error()) {
      report.read_error = true;
      report.diagnostics.push_back(Diagnostic{Severity::kError, 1, "", "", "read error in " + path});
      run.Flush();
    }
  }
  if (file != stdin) std::fclose(file);
  return report;
}

}  // namespace prose2stix::validate
