//! The cost budget of one file: how long one step over it (parsing and finding its units; one
//! analysis) may take and how many syntax nodes it may visit, and the meter that enforces it.
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

/// How many nodes are charged between two looks at the clock.
pub const CHECK_EVERY: u64 = 4096;

/// What one step over a file may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Budget {
    /// Wall-clock time of one step (parse and unit walk; one analysis); `None`: no limit.
    pub time: Option<Duration>,
    /// Syntax nodes one step may visit; `None`: no limit.
    pub nodes: Option<u64>,
}

impl Budget {
    /// No limit at all.
    pub const UNLIMITED: Budget = Budget {
        time: None,
        nodes: None,
    };

    /// This budget with another time limit.
    pub fn with_time(self, time: Option<Duration>) -> Budget {
        Budget { time, ..self }
    }

    /// This budget with another node limit.
    pub fn with_nodes(self, nodes: Option<u64>) -> Budget {
        Budget { nodes, ..self }
    }
}

impl Default for Budget {
    /// [`DEFAULT_TIME`] and [`DEFAULT_NODES`].
    fn default() -> Budget {
        Budget {
            time: Some(DEFAULT_TIME),
            nodes: Some(DEFAULT_NODES),
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
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exceeded::Time(d) => write!(f, "time budget of {d:?}"),
            Exceeded::Nodes(n) => write!(f, "budget of {n} syntax nodes"),
        }
    }
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
