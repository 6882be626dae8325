// The Picture option of ResolveRecipients, Search and Find (MaxSize,
// MaxPictures) and what it allows each entry of one answer: the photo, or
// the Status saying why not (MS-ASCMD 2.2.3.177: 173, 174, 175).
#pragma once

#include <cstdint>
#include <string_view>

namespace eas::core::directory {

enum PictureStatus { kPictureSent = 1, kNoPicture = 173, kPictureTooLarge = 174,
                     kPictureLimitReached = 175 };

// MS-ASCMD 2.2.3.105: MaxSize is at most 100 KB.
constexpr uint64_t kMaxPictureSize = 102400;

struct PictureRequest {
  bool asked = false;         // a Picture element came
  uint64_t max_size = 0;      // bytes; 0: up to kMaxPictureSize
  uint64_t max_pictures = 0;  // per answer; 0: any number
};

// Counts the pictures an answer sends.
class PictureBudget {
 public:
  explicit PictureBudget(const PictureRequest& request) : request_(request) {}

  // kPictureSent (and counted) when `jpeg` may go out; otherwise why not.
  // Empty bytes: the entry has no picture.
  int StatusFor(std::string_view jpeg) {
    const uint64_t limit = request_.max_size != 0 ? request_.max_size : kMaxPictureSize;
    if (jpeg.empty()) return kNoPicture;
    if (jpeg.size() > limit) return kPictureTooLarge;
    if (request_.max_pictures != 0 && sent_ >= request_.max_pictures) return kPictureLimitReached;
    ++sent_;
    return kPictureSent;
  }

 private:
  PictureRequest request_;
  uint64_t sent_ = 0;
};

}  // namespace eas::core::directory
