//! The one offset converter: byte offsets (what core speaks) to and from UTF-16 code units
//! (JVM, JavaScript) and code points (Python), and to line/column.
//!
//! Bindings build a [`LineIndex`] once per text and convert through it; nothing else in the
//! project counts characters.

use crate::unit::Position;

/// Line starts of a text, with the UTF-16 and code-point offsets of each line start.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of each line start.
    line_starts: Vec<usize>,
    /// UTF-16 offset of each line start.
    utf16_starts: Vec<usize>,
    /// Code-point offset of each line start.
    char_starts: Vec<usize>,
    len: usize,
    ascii: bool,
}

/// Which unit a host counts string offsets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetUnit {
    /// UTF-8 bytes (Rust, C).
    Byte,
    /// UTF-16 code units (JVM, JavaScript).
    Utf16,
    /// Unicode scalar values (Python `str` indices).
    CodePoint,
}

impl OffsetUnit {
    /// What the unit counts, for messages (`"bytes"`, `"UTF-16 code units"`, `"code points"`).
    pub const fn name(self) -> &'static str {
        match self {
            OffsetUnit::Byte => "bytes",
            OffsetUnit::Utf16 => "UTF-16 code units",
            OffsetUnit::CodePoint => "code points",
        }
    }
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut utf16_starts = vec![0];
        let mut char_starts = vec![0];
        let ascii = text.is_ascii();
        if ascii {
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    line_starts.push(i + 1);
                    utf16_starts.push(i + 1);
                    char_starts.push(i + 1);
                }
            }
        } else {
            let (mut u16s, mut chars) = (0usize, 0usize);
            for (i, c) in text.char_indices() {
                u16s += c.len_utf16();
                chars += 1;
                if c == '\n' {
                    line_starts.push(i + 1);
                    utf16_starts.push(u16s);
                    char_starts.push(chars);
                }
            }
        }
        LineIndex {
            line_starts,
            utf16_starts,
            char_starts,
            len: text.len(),
            ascii,
        }
    }

    /// Number of lines (a text without a newline has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where zero-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    fn line_of(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Line and byte column of a byte offset (clamped to the text).
    pub fn position(&self, byte: usize) -> Position {
        let byte = byte.min(self.len);
        let line = self.line_of(byte);
        Position {
            line: line as u32,
            column: (byte - self.line_starts[line]) as u32,
        }
    }

    /// Converts a byte offset in `text` to an offset in `unit`. Offsets inside a character
    /// count up to the start of that character.
    pub fn from_byte(&self, text: &str, byte: usize, unit: OffsetUnit) -> usize {
        let byte = byte.min(self.len);
        if self.ascii || unit == OffsetUnit::Byte {
            return byte;
        }
        let line = self.line_of(byte);
        let ls = self.line_starts[line];
        let seg = text.get(ls..).unwrap_or("");
        let mut n = 0;
        for (i, c) in seg.char_indices() {
            if ls + i >= byte {
                break;
            }
            n += match unit {
                OffsetUnit::Utf16 => c.len_utf16(),
                _ => 1,
            };
        }
        n + match unit {
            OffsetUnit::Utf16 => self.utf16_starts[line],
            _ => self.char_starts[line],
        }
    }

    /// Converts an offset in `unit` to a byte offset in `text`, or `None` when it is past the
    /// end or falls inside a character (the middle of a UTF-16 surrogate pair).
    pub fn to_byte(&self, text: &str, offset: usize, unit: OffsetUnit) -> Option<usize> {
        if unit == OffsetUnit::Byte {
            return (offset <= self.len && text.is_char_boundary(offset)).then_some(offset);
        }
        if self.ascii {
            return (offset <= self.len).then_some(offset);
        }
        let starts = match unit {
            OffsetUnit::Utf16 => &self.utf16_starts,
            _ => &self.char_starts,
        };
        let line = match starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let mut n = starts[line];
        let ls = self.line_starts[line];
        for (i, c) in text.get(ls..)?.char_indices() {
            if n == offset {
                return Some(ls + i);
            }
            n += match unit {
                OffsetUnit::Utf16 => c.len_utf16(),
                _ => 1,
            };
            if n > offset {
                return None;
            }
        }
        (n == offset).then_some(self.len)
    }

    /// Length of the text in `unit`.
    pub fn len_in(&self, text: &str, unit: OffsetUnit) -> usize {
        self.from_byte(text, self.len, unit)
    }

    /// Line and column of a byte offset, with the column counted in `unit`.
    pub fn position_in(&self, text: &str, byte: usize, unit: OffsetUnit) -> Position {
        let p = self.position(byte);
        let line_start = self.line_starts[p.line as usize];
        let col = self.from_byte(text, byte, unit) - self.from_byte(text, line_start, unit);
        Position {
            line: p.line,
            column: col as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_non_ascii() {
        let text = "a = \"日本\"\n# 😀 é\nb";
        let idx = LineIndex::new(text);
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            for unit in [OffsetUnit::Utf16, OffsetUnit::CodePoint, OffsetUnit::Byte] {
                let o = idx.from_byte(text, byte, unit);
                assert_eq!(idx.to_byte(text, o, unit), Some(byte), "{unit:?} {byte}");
            }
        }
        let emoji = text.find('😀').unwrap();
        assert_eq!(idx.from_byte(text, emoji, OffsetUnit::Utf16), 11);
        assert_eq!(idx.from_byte(text, emoji + 4, OffsetUnit::Utf16), 13);
        assert_eq!(idx.from_byte(text, emoji + 4, OffsetUnit::CodePoint), 12);
        assert_eq!(
            idx.to_byte(text, 12, OffsetUnit::Utf16),
            None,
            "inside a surrogate pair"
        );
        assert_eq!(
            idx.position_in(text, emoji + 4, OffsetUnit::Utf16),
            Position { line: 1, column: 4 }
        );
        assert_eq!(idx.to_byte(text, 100, OffsetUnit::CodePoint), None);
    }
}
