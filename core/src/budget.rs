//! The cost budget of one file: how long one step over it (parsing and finding its units; one
//! analysis) may take and how many syntax nodes it may visit, and the meter that enforces it.
//!
//! Memory is bounded before any is spent: tree-sitter's syntax tree is most of what a file
//! costs (10 MB of one-line JavaScript array took 700 MB to parse), and a parse cannot be
//! stopped by how much it allocated. So a document counts its tokens (exactly, and
//! incrementally on every edit: [`token_starts`]) and a step whose text would need more than
//! [`Budget::memory`] at [`BYTES_PER_TOKEN`] is refused before parsing.
//!
//! A [`Budget`] lives in its [`Document`](crate::Document) (so a [`Session`](crate::Session)
//! and every host that holds one carries it), and every step starts a fresh [`Meter`]: the walk
//! that finds units charges one node per tree node, the engine charges the nodes each unit's
//! rules collect and visit. A step past its budget fails with [`Error::OverBudget`]; nothing is
//! reported for a file past its budget, never a partial result. The node count is the
//! deterministic proxy for memory (each visited node costs a bounded amount of memory); the
//! time is checked every [`CHECK_EVERY`] nodes, so a check costs nothing measurable. On
//! `wasm32` there is no clock: only the node budget is enforced there.

use std::cell::Cell;
use std::time::Duration;

use crate::error::{Error, Result};

/// The time one step over a file may take by default.
pub const DEFAULT_TIME: Duration = Duration::from_secs(5);

/// The syntax nodes one step over a file may visit by default: ten times what the largest
/// file read by default (10 MiB of dense code, about 4 million nodes) needs, so it only stops
/// work that grows faster than the file.
pub const DEFAULT_NODES: u64 = 40_000_000;

/// The syntax-tree memory one file may need by default, estimated from its tokens
/// ([`BYTES_PER_TOKEN`] each): 64 MiB, about 335,000 tokens, some 1.3 MB of dense code. The
/// largest hand-written files we scan fit (CPython's `pydoc_data/topics.py`, 168,000 tokens;
/// `_pydecimal.py`, 52,000); what does not is generated or data (the 10 MB arrays and
/// 200,000-term chains of issue #20, Unicode tables, amalgamations such as `sqlite3.c`),
/// whose tree would cost 70–200× the file. Semgrep skips files over 1 MB by default for the
/// same reason. Raise it per host (`--max-file-memory`, the bindings' setters) to read them.
pub const DEFAULT_MEMORY: u64 = 64 << 20;

/// The memory a token costs at most, measured: the parse-only peak of dense inputs divided by
/// their tokens ([`token_starts`]) was 71 bytes for C (sqlite3.c), 112 for Python (CPython's
/// largest files), 131 for a flat JavaScript array of strings and 206 for one of numbers.
pub const BYTES_PER_TOKEN: u64 = 200;

/// How many nodes are charged between two looks at the clock.
pub const CHECK_EVERY: u64 = 4096;

/// What one step over a file may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Budget {
    /// Wall-clock time of one step (parse and unit walk; one analysis); `None`: no limit.
    pub time: Option<Duration>,
    /// Syntax nodes one step may visit; `None`: no limit.
    pub nodes: Option<u64>,
    /// Bytes of syntax tree the text may need, estimated before parsing as its tokens times
    /// [`BYTES_PER_TOKEN`]; `None`: no limit.
    pub memory: Option<u64>,
}

impl Budget {
    /// No limit at all.
    pub const UNLIMITED: Budget = Budget {
        time: None,
        nodes: None,
        memory: None,
    };

    /// This budget with another time limit.
    pub fn with_time(self, time: Option<Duration>) -> Budget {
        Budget { time, ..self }
    }

    /// This budget with another node limit.
    pub fn with_nodes(self, nodes: Option<u64>) -> Budget {
        Budget { nodes, ..self }
    }

    /// This budget with another memory limit (bytes).
    pub fn with_memory(self, memory: Option<u64>) -> Budget {
        Budget { memory, ..self }
    }

    /// The error for a text of `tokens` tokens ([`token_starts`]) when it needs more memory
    /// than this budget allows.
    pub fn check_tokens(&self, tokens: u64) -> Result<()> {
        match self.memory {
            Some(max) if tokens.saturating_mul(BYTES_PER_TOKEN) > max => {
                Err(Error::OverBudget(Exceeded::Memory(max)))
            }
            _ => Ok(()),
        }
    }
}

impl Default for Budget {
    /// [`DEFAULT_TIME`] and [`DEFAULT_NODES`].
    fn default() -> Budget {
        Budget {
            time: Some(DEFAULT_TIME),
            nodes: Some(DEFAULT_NODES),
            memory: Some(DEFAULT_MEMORY),
        }
    }
}

/// Which limit of a [`Budget`] a step ran over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exceeded {
    /// The time limit.
    Time(Duration),
    /// The node limit.
    Nodes(u64),
    /// The memory limit (bytes), for a text whose estimated syntax tree is larger.
    Memory(u64),
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exceeded::Time(d) => write!(f, "time budget of {d:?}"),
            Exceeded::Nodes(n) => write!(f, "budget of {n} syntax nodes"),
            Exceeded::Memory(m) if m % (1 << 20) == 0 && *m > 0 => write!(
                f,
                "memory budget of {} MiB (syntax tree estimated from its tokens)",
                m >> 20
            ),
            Exceeded::Memory(m) => write!(
                f,
                "memory budget of {m} bytes (syntax tree estimated from its tokens)"
            ),
        }
    }
}

/// How many tokens start at byte offsets `from..to` of `text` (clamped to its length): a token
/// starts at each byte that is neither whitespace nor part of a word (punctuation: one token per
/// byte) and at the first byte of each word (letters, digits, `_` and any non-ASCII byte). Whether
/// a token starts at `i` depends only on bytes `i - 1` and `i`, so an edit replacing `s..e` by
/// `n` bytes changes the count by `token_starts(new, s, s + n + 1) - token_starts(old, s, e + 1)`.
/// Comments and strings count their punctuation: the estimate errs towards more memory.
pub fn token_starts(text: &[u8], from: usize, to: usize) -> u64 {
    fn word(b: u8) -> bool {
        b >= 0x80 || b == b'_' || b.is_ascii_alphanumeric()
    }
    let to = to.min(text.len());
    if from >= to {
        return 0;
    }
    let mut prev_word = from > 0 && word(text[from - 1]);
    let mut n = 0u64;
    for &b in &text[from..to] {
        let w = word(b);
        if w {
            n += u64::from(!prev_word);
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
            n += 1;
        }
        prev_word = w;
    }
    n
}

/// Counts the work of one step against a [`Budget`]. Shared by reference (the counters are
/// cells); once over, it stays over, so code deep in a loop may stop early and let the caller
/// turn [`Meter::check`] into the error.
pub(crate) struct Meter {
    budget: Budget,
    #[cfg(not(target_arch = "wasm32"))]
    started: std::time::Instant,
    used: Cell<u64>,
    /// The count at which the clock is read next.
    next_check: Cell<u64>,
    over: Cell<Option<Exceeded>>,
}

impl Meter {
    /// Starts the clock of a step.
    pub(crate) fn new(budget: Budget) -> Meter {
        Meter {
            budget,
            #[cfg(not(target_arch = "wasm32"))]
            started: std::time::Instant::now(),
            used: Cell::new(0),
            next_check: Cell::new(CHECK_EVERY.min(budget.nodes.map_or(u64::MAX, |n| n + 1))),
            over: Cell::new(None),
        }
    }

    /// The time left (the whole time limit on `wasm32`, where there is no clock); `None`
    /// without a time limit.
    pub(crate) fn time_left(&self) -> Option<std::time::Duration> {
        #[cfg(not(target_arch = "wasm32"))]
        return self
            .budget
            .time
            .map(|t| t.saturating_sub(self.started.elapsed()));
        #[cfg(target_arch = "wasm32")]
        return self.budget.time;
    }

    /// Charges `n` nodes; an error once the budget is spent.
    #[inline]
    pub(crate) fn charge(&self, n: u64) -> Result<()> {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used < self.next_check.get() {
            return Ok(());
        }
        self.look(used)
    }

    /// Charges `n` nodes and says whether the budget still holds (for loops that cannot
    /// return an error: the caller checks afterwards).
    #[inline]
    pub(crate) fn ok(&self, n: u64) -> bool {
        self.charge(n).is_ok()
    }

    /// The error when the budget was spent, at any point of the step.
    pub(crate) fn check(&self) -> Result<()> {
        match self.over.get() {
            Some(e) => Err(Error::OverBudget(e)),
            None => Ok(()),
        }
    }

    #[cold]
    fn look(&self, used: u64) -> Result<()> {
        if self.over.get().is_none() {
            if let Some(max) = self.budget.nodes.filter(|&max| used > max) {
                self.over.set(Some(Exceeded::Nodes(max)));
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if self.over.get().is_none() {
            if let Some(t) = self.budget.time.filter(|&t| self.started.elapsed() > t) {
                self.over.set(Some(Exceeded::Time(t)));
            }
        }
        let next = used.saturating_add(CHECK_EVERY);
        let cap = self.budget.nodes.map_or(u64::MAX, |n| n.saturating_add(1));
        self.next_check
            .set(if used < cap { next.min(cap) } else { next });
        self.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_limit_is_exact_and_sticky() {
        let m = Meter::new(Budget::UNLIMITED.with_nodes(Some(10)));
        assert!(m.charge(10).is_ok());
        assert!(matches!(
            m.charge(1),
            Err(Error::OverBudget(Exceeded::Nodes(10)))
        ));
        assert!(m.check().is_err());
    }

    #[test]
    fn tokens_are_counted_exactly_through_edits() {
        assert_eq!(token_starts(b"foo(bar, 12) + x_1", 0, usize::MAX), 8);
        assert_eq!(token_starts("é = «a»".as_bytes(), 0, usize::MAX), 3);
        // Any replacement, counted through the window, equals a recount.
        let old = b"let a = [1, 22, 333];".to_vec();
        for (s, e, ins) in [
            (0, 3, "const"),
            (9, 10, " 7,8 "),
            (8, 21, ""),
            (21, 21, "x"),
            (4, 5, "ab"),
        ] {
            let mut new = old.clone();
            new.splice(s..e, ins.bytes());
            let delta = token_starts(&new, s, s + ins.len() + 1) as i64
                - token_starts(&old, s, e + 1) as i64;
            assert_eq!(
                token_starts(&old, 0, usize::MAX) as i64 + delta,
                token_starts(&new, 0, usize::MAX) as i64,
                "{s}..{e} -> {ins:?}"
            );
        }
    }

    #[test]
    fn memory_is_checked_from_tokens() {
        let b = Budget::UNLIMITED.with_memory(Some(1000));
        assert!(b.check_tokens(1000 / BYTES_PER_TOKEN).is_ok());
        assert!(matches!(
            b.check_tokens(1000 / BYTES_PER_TOKEN + 1),
            Err(Error::OverBudget(Exceeded::Memory(1000)))
        ));
        assert!(Budget::UNLIMITED.check_tokens(u64::MAX).is_ok());
    }

    #[test]
    fn an_unlimited_meter_never_stops() {
        let m = Meter::new(Budget::UNLIMITED);
        for _ in 0..10 {
            assert!(m.charge(u64::MAX / 4).is_ok());
        }
        assert!(m.check().is_ok());
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_zero_time_limit_stops_at_the_first_look() {
        let m = Meter::new(Budget::UNLIMITED.with_time(Some(Duration::ZERO)));
        std::thread::sleep(Duration::from_millis(1));
        assert!(m.charge(CHECK_EVERY - 1).is_ok());
        assert!(matches!(
            m.charge(1),
            Err(Error::OverBudget(Exceeded::Time(_)))
        ));
    }
}
