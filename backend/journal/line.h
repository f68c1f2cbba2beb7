// journal::Line: the growable byte buffer journal lines are written into (journal.h), also the
// file persistor's buffer, so that a line is built where it will be written from.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <string_view>
#include <vector>

namespace st::journal {

// Memory aligned to a page: a file persistor hands its buffer to the disk as it is (O_DIRECT
// wants aligned memory; DirectAppend in backend/core/direct_append.h).
template <class T>
struct PageAligned {
  using value_type = T;
  static constexpr std::align_val_t kAlign{4096};
  PageAligned() = default;
  template <class U>
  PageAligned(const PageAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlign); }
  friend bool operator==(const PageAligned&, const PageAligned&) { return true; }
};

// The text of one journal line being built: a plain growable byte buffer whose appends are
// inline (one capacity compare and a copy), cleared and reused for every entry. (std::string's
// appends go through out-of-line library calls; a line takes 10-30 of them.)
class Line {
 public:
  void clear() { size_ = 0; }
  // Drops the bytes from `size` on (size <= size()).
  void truncate(std::size_t size) { size_ = size; }
  const char* data() const { return data_.data(); }
  char* data() { return data_.data(); }
  void reserve(std::size_t n) {
    if (data_.size() < n) data_.resize(n);
  }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.data(), size_}; }
  void push_back(char c) {
    if (size_ == data_.size()) grow(1);
    data_[size_++] = c;
  }
  void append(const char* p, std::size_t n) {
    if (data_.size() - size_ < n) grow(n);
    std::memcpy(data_.data() + size_, p, n);
    size_ += n;
  }
  void append(const char* first, const char* last) { append(first, static_cast<std::size_t>(last - first)); }
  Line& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  // Room for `n` more bytes, written through the returned pointer; then end_at(one past the
  // last byte written). One capacity check for a whole field instead of one per piece.
  char* room(std::size_t n) {
    if (data_.size() - size_ < n) grow(n);
    return data_.data() + size_;
  }
  void end_at(const char* end) { size_ = static_cast<std::size_t>(end - data_.data()); }

 private:
  void grow(std::size_t n) { data_.resize(std::max(data_.size() * 2, std::max<std::size_t>(size_ + n, 512))); }
  std::vector<char, PageAligned<char>> data_;
  std::size_t size_ = 0;
};

}  // namespace st::journal
