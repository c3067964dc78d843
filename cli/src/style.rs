//! Terminal styling: whether to colour, and the colour of each severity.
//!
//! Colour is decided once per stream (a terminal, `NO_COLOR`, `--color`); every formatter asks a
//! [`Style`] and never writes escape codes itself, so piped output is always plain text.

use std::borrow::Cow;
use std::io::IsTerminal;

use codetable::Severity;

/// `--color`: when to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether escape codes are written, and which.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    color: bool,
}

impl Style {
    /// The style for standard output under `choice`.
    pub fn stdout(choice: ColorChoice) -> Style {
        Style::decide(choice, std::io::stdout().is_terminal())
    }

    /// The style for standard error under `choice`.
    pub fn stderr(choice: ColorChoice) -> Style {
        Style::decide(choice, std::io::stderr().is_terminal())
    }

    /// No colour at all.
    #[cfg(test)]
    pub fn plain() -> Style {
        Style { color: false }
    }

    fn decide(choice: ColorChoice, terminal: bool) -> Style {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Style { color }
    }

    /// True when escape codes are written.
    pub fn is_color(self) -> bool {
        self.color
    }

    fn paint(self, codes: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Bold text.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dimmed text.
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Text in the severity's foreground colour.
    pub fn severity(self, severity: Severity, text: &str) -> String {
        self.paint(fg(severity), text)
    }

    /// A table cell: the severity's background when `lit`, its foreground otherwise.
    pub fn cell(self, severity: Severity, lit: bool, text: &str) -> String {
        if lit {
            self.paint(&format!("1;30;{}", bg(severity)), text)
        } else {
            self.paint(fg(severity), text)
        }
    }

    /// A table cell that is not highlighted while others are: dimmed.
    pub fn faded(self, text: &str) -> String {
        self.paint("2", text)
    }
}

fn fg(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "1;35",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "34",
    }
}

fn bg(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "45",
        Severity::High => "41",
        Severity::Medium => "43",
        Severity::Low => "46",
        Severity::Info => "44",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_writes_no_escape_codes() {
        let s = Style::decide(ColorChoice::Never, true);
        assert_eq!(s.severity(Severity::High, "Md"), "Md");
        assert_eq!(s.cell(Severity::High, true, "Md"), "Md");
        let s = Style::decide(ColorChoice::Auto, false);
        assert!(!s.is_color());
    }

    #[test]
    fn colour_wraps_and_resets() {
        let s = Style::decide(ColorChoice::Always, false);
        assert_eq!(s.severity(Severity::High, "Md"), "\x1b[31mMd\x1b[0m");
    }
}

/// `s` safe for a terminal: control characters (escape sequences, newlines, carriage returns in
/// file names or code) are shown as `\u{1b}`-style escapes; tabs are kept. JSON and SARIF never go
/// through this: they stay exact.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() && c != '\t' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped_tabs_kept() {
        assert_eq!(printable("a\tb"), "a\tb");
        assert_eq!(printable("x\u{1b}[31my\n"), "x\\u{1b}[31my\\u{a}");
        assert_eq!(printable("é😀"), "é😀");
    }
}
