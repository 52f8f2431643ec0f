// UTF-8 decoding, case mapping and character segmentation for the string
// functions. cty leans on Go's unicode tables and a grapheme-cluster scanner;
// skiff carries the parts of those tables that job files realistically use
// (Latin, Greek, Cyrillic, Armenian, fullwidth ASCII) rather than all of
// Unicode, and approximates grapheme clusters (see split_characters).
#include "parser/functions/function_support.hpp"

namespace skiff::parser {

char32_t decode_utf8(std::string_view text, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0, min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, cp = lead & 0x1F, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, cp = lead & 0x0F, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, cp = lead & 0x07, min = 0x10000;
  if (length == 0 || pos + length > text.size()) {
    ++pos;
    return 0xFFFD;
  }
  for (size_t i = 1; i < length; ++i) {
    unsigned char c = byte(pos + i);
    if ((c & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return 0xFFFD;
  }
  pos += length;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool valid_utf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t before = pos;
    char32_t cp = decode_utf8(text, pos);
    // A real U+FFFD is three bytes; a decoding error advances by one.
    if (cp == 0xFFFD && pos - before != 3) return false;
  }
  return true;
}

bool is_unicode_space(char32_t c) {
  switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return c >= 0x2000 && c <= 0x200A;
  }
}

namespace {

// Marks that belong to the character before them.
bool is_extending(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489) || (c >= 0x0591 && c <= 0x05BD) ||
      (c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || (c >= 0x0900 && c <= 0x0903) ||
      (c >= 0x093A && c <= 0x094F) || (c >= 0x0951 && c <= 0x0957) || c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) ||
      (c >= 0x0E47 && c <= 0x0E4E) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
      (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) ||
      (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x200D;
}

bool is_regional_indicator(char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

}  // namespace

std::vector<std::string_view> split_characters(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    char32_t base = decode_utf8(text, pos);
    if (base == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    bool joined = false;  // the previous code point was a zero-width joiner
    bool flag_half = is_regional_indicator(base);
    while (pos < text.size()) {
      size_t next = pos;
      char32_t c = decode_utf8(text, next);
      if (is_extending(c) || joined || (flag_half && is_regional_indicator(c))) {
        joined = c == 0x200D;
        flag_half = false;
        pos = next;
        continue;
      }
      break;
    }
    out.push_back(text.substr(start, pos - start));
  }
  return out;
}

namespace {

enum class Case { kUpper, kLower, kTitle };

// In several Latin blocks capitals and small letters alternate; `upper_even`
// says whether the capital sits on the even code point.
bool alternating(char32_t c, char32_t first, char32_t last, bool upper_even, Case to, char32_t& out) {
  if (c < first || c > last) return false;
  bool is_upper = ((c % 2) == 0) == upper_even;
  if (to == Case::kLower) out = is_upper ? c + 1 : c;
  else out = is_upper ? c : c - 1;
  return true;
}

char32_t map_digraph(char32_t c, Case to) {
  // DŽ Dž dž, LJ Lj lj, NJ Nj nj, DZ Dz dz: three forms each, the middle one is
  // the title case.
  static constexpr char32_t kFirsts[] = {0x01C4, 0x01C7, 0x01CA, 0x01F1};
  for (char32_t first : kFirsts) {
    if (c >= first && c <= first + 2) {
      return to == Case::kUpper ? first : to == Case::kTitle ? first + 1 : first + 2;
    }
  }
  return 0;
}

char32_t to_upper_char(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 0x20;
  if (c < 0x80) return c;
  if (c == 0xB5) return 0x39C;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c == 0xFF) return 0x178;
  if (c == 0x131) return 'I';
  if (c == 0x17F) return 'S';
  if (c == 0x17A || c == 0x17C || c == 0x17E) return c - 1;
  if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 0x20;
  if (c == 0x3C2) return 0x3A3;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  if (c == 0x4CF) return 0x4C0;
  if (c >= 0x561 && c <= 0x586) return c - 0x30;
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0x20;
  return 0;
}

char32_t to_lower_char(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c < 0x80) return c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x178) return 0xFF;
  if (c == 0x130) return 'i';
  if (c == 0x179 || c == 0x17B || c == 0x17D) return c + 1;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c == 0x4C0) return 0x4CF;
  if (c >= 0x531 && c <= 0x556) return c + 0x30;
  if (c == 0x1E9E) return 0xDF;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 0x20;
  return 0;
}

char32_t map_case(char32_t c, Case to) {
  if (char32_t d = map_digraph(c, to)) return d;
  char32_t direct = to == Case::kLower ? to_lower_char(c) : to_upper_char(c);
  if (direct) return direct;
  char32_t out = c;
  // Blocks where capitals and small letters alternate (the singletons that
  // break the pattern are handled above).
  if (alternating(c, 0x100, 0x12F, true, to, out) || alternating(c, 0x132, 0x137, true, to, out) ||
      alternating(c, 0x139, 0x148, false, to, out) || alternating(c, 0x14A, 0x177, true, to, out) ||
      alternating(c, 0x1CD, 0x1DC, false, to, out) || alternating(c, 0x1DE, 0x1EF, true, to, out) ||
      alternating(c, 0x1F8, 0x21F, true, to, out) || alternating(c, 0x222, 0x233, true, to, out) ||
      alternating(c, 0x3D8, 0x3EF, true, to, out) || alternating(c, 0x460, 0x481, true, to, out) ||
      alternating(c, 0x48A, 0x4BF, true, to, out) || alternating(c, 0x4C1, 0x4CE, false, to, out) ||
      alternating(c, 0x4D0, 0x52F, true, to, out) || alternating(c, 0x1E00, 0x1E95, true, to, out) ||
      alternating(c, 0x1EA0, 0x1EFF, true, to, out)) {
    return out;
  }
  return c;
}

std::string map_text(std::string_view text, Case to) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) append_utf8(out, map_case(decode_utf8(text, pos), to));
  return out;
}

// Go's strings.Title: a letter is title-cased when the character before it
// is a separator. ASCII letters, digits and '_' are not separators, other
// ASCII is; beyond ASCII only spaces are.
bool is_title_separator(char32_t c) {
  if (c <= 0x7F) {
    bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return !word;
  }
  return is_unicode_space(c);
}

}  // namespace

std::string to_upper_text(std::string_view text) { return map_text(text, Case::kUpper); }
std::string to_lower_text(std::string_view text) { return map_text(text, Case::kLower); }

std::string to_title_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t previous = ' ';
  for (size_t pos = 0; pos < text.size();) {
    char32_t c = decode_utf8(text, pos);
    append_utf8(out, is_title_separator(previous) ? map_case(c, Case::kTitle) : c);
    previous = c;
  }
  return out;
}

}  // namespace skiff::parser
