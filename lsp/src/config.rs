//! The client's settings: what `initializationOptions` and `workspace/didChangeConfiguration`
//! carry (the pattern database, the selection merged over the project configuration's, the
//! groups shown, the minimum severity, the workspace scan, the debounce), read
//! leniently: a bad value is reported and ignored, never fatal.
//!
//! The same keys are accepted bare (`{"minSeverity": "high"}`) or under a `codetable` section
//! (`{"codetable": {...}}`, what VS Code and most clients send for `settings`).

use std::path::PathBuf;
use std::time::Duration;

use codetable::config::HostSelection;
use codetable::{PatternSheet, Severity, GROUPS};
use serde_json::Value;

/// What the client asked for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Settings {
    /// A pattern database file instead of the one the server was started with.
    pub(crate) database: Option<PathBuf>,
    /// Selectors merged over the project configuration's, as the command line's `--select`,
    /// `--extend-select` and `--ignore` (`select`, `extendSelect`, `ignore`): levels
    /// (`pedantic`, `info`), groups, id prefixes, ids or symbols.
    pub(crate) selection: HostSelection,
    /// The groups whose findings are shown (all when `None`).
    pub(crate) groups: Option<Vec<String>>,
    /// Findings below this severity are not shown.
    pub(crate) min_severity: Option<Severity>,
    /// Analyse every source file of the workspace folders in the background, and publish the
    /// diagnostics of files that are not open.
    pub(crate) workspace_scan: bool,
    /// How long after a document's last change its diagnostics are published (`debounceMs`,
    /// 0 to 5000; [`crate::DEBOUNCE`] by default).
    pub(crate) debounce: Duration,
    /// The workspace scan reads and writes the result cache (`resultCache`; the folder is
    /// `$XDG_CACHE_HOME/codetable/results`, else `~/.cache/codetable/results`).
    pub(crate) result_cache: bool,
    /// Test hook (`testAnalysisDelayMs`, honoured only in builds with the `test-hooks`
    /// feature, which the crate's own tests enable): every analysis, of an open document or of
    /// a scanned file, first waits this long and logs `test: analysing <uri>`, so that a test
    /// can act while an analysis is known to be running. Zero otherwise.
    pub(crate) analysis_delay: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            database: None,
            selection: HostSelection::default(),
            groups: None,
            min_severity: None,
            workspace_scan: true,
            debounce: crate::DEBOUNCE,
            result_cache: true,
            analysis_delay: Duration::ZERO,
        }
    }
}

impl Settings {
    /// The settings in `value` (missing keys keep their defaults), and a message for each value
    /// that was ignored.
    pub(crate) fn from_json(value: &Value) -> (Settings, Vec<String>) {
        let mut s = Settings::default();
        let mut problems = Vec::new();
        let section = value.get("codetable").unwrap_or(value);
        let Some(section) = section.as_object() else {
            if !section.is_null() {
                problems.push(format!("settings must be an object, not {section}"));
            }
            return (s, problems);
        };
        match section.get("database") {
            None | Some(Value::Null) => {}
            Some(Value::String(p)) if p.trim().is_empty() => {}
            Some(Value::String(p)) => s.database = Some(PathBuf::from(p)),
            Some(other) => problems.push(format!("`database` must be a path, not {other}")),
        }
        let mut selectors = |key: &str, into: &mut Vec<String>| match section.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_str().map(str::trim) {
                        Some(sel) if !sel.is_empty() => into.push(sel.to_string()),
                        _ => problems.push(format!("`{key}`: {item} is not a selector")),
                    }
                }
            }
            // One string of selectors, as the command line takes them ("Md, security").
            Some(Value::String(text)) => into.extend(codetable::Profile::split_selectors(text)),
            Some(other) => {
                problems.push(format!("`{key}` must be a list of selectors, not {other}"))
            }
        };
        selectors("select", &mut s.selection.select);
        selectors("extendSelect", &mut s.selection.extend_select);
        selectors("ignore", &mut s.selection.ignore);
        match section.get("groups") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                let mut groups = Vec::new();
                for item in items {
                    match item.as_str().map(|g| g.trim().to_ascii_lowercase()) {
                        Some(g) if GROUPS.contains(&g.as_str()) => groups.push(g),
                        _ => problems.push(format!(
                            "`groups`: {item} is not a group (groups: {})",
                            GROUPS.join(", ")
                        )),
                    }
                }
                // An empty list means "every group", as an unset one does: a client that sends
                // `[]` for "nothing chosen" should not silence the server.
                if !groups.is_empty() {
                    s.groups = Some(groups);
                }
            }
            Some(other) => problems.push(format!("`groups` must be a list, not {other}")),
        }
        match section.get("minSeverity") {
            None | Some(Value::Null) => {}
            Some(Value::String(name)) => match Severity::from_name(&name.to_ascii_lowercase()) {
                Some(sev) => s.min_severity = Some(sev),
                None => problems.push(format!(
                    "`minSeverity`: {name:?} is not a severity (info, low, medium, high, critical)"
                )),
            },
            Some(other) => problems.push(format!("`minSeverity` must be a name, not {other}")),
        }
        match section.get("workspaceScan") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => s.workspace_scan = *b,
            Some(other) => problems.push(format!(
                "`workspaceScan` must be true or false, not {other}"
            )),
        }
        match section.get("resultCache") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => s.result_cache = *b,
            Some(other) => {
                problems.push(format!("`resultCache` must be true or false, not {other}"))
            }
        }
        match section.get("debounceMs") {
            None | Some(Value::Null) => {}
            Some(v) => match v.as_u64().filter(|ms| *ms <= 5000) {
                Some(ms) => s.debounce = Duration::from_millis(ms),
                None => problems.push(format!(
                    "`debounceMs` must be a number of milliseconds from 0 to 5000, not {v}"
                )),
            },
        }
        #[cfg(feature = "test-hooks")]
        if let Some(ms) = section.get("testAnalysisDelayMs").and_then(Value::as_u64) {
            s.analysis_delay = Duration::from_millis(ms.min(60_000));
        }
        (s, problems)
    }

    /// Whether a finding of pattern `sheet`, reported with `severity` (the profile's: overrides
    /// and context applied), is shown: as the command line's `--group` and `--min-severity`.
    pub(crate) fn shows(&self, sheet: &PatternSheet, severity: Severity) -> bool {
        self.min_severity.is_none_or(|m| severity >= m)
            && self
                .groups
                .as_ref()
                .is_none_or(|groups| groups.contains(&sheet.group))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_bare_or_in_a_section_and_bad_values_reported() {
        let (s, problems) = Settings::from_json(&json!({
            "codetable": {"database": "/x/my.ctdb", "groups": ["Security", "nope"],
                          "minSeverity": "High", "workspaceScan": false,
                          "select": ["security", " "], "extendSelect": "pedantic, Md",
                          "ignore": ["Sh"]}
        }));
        assert_eq!(s.selection.select, ["security"]);
        assert_eq!(s.selection.extend_select, ["pedantic", "Md"]);
        assert_eq!(s.selection.ignore, ["Sh"]);
        assert_eq!(s.database, Some(PathBuf::from("/x/my.ctdb")));
        assert_eq!(s.groups, Some(vec!["security".to_string()]));
        assert_eq!(s.min_severity, Some(Severity::High));
        assert!(!s.workspace_scan);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`select`"), "{problems:?}");
        assert!(problems[1].contains("\"nope\""), "{problems:?}");

        let (bare, problems) = Settings::from_json(&json!({"minSeverity": "medium"}));
        assert_eq!(bare.min_severity, Some(Severity::Medium));
        assert!(bare.workspace_scan && bare.groups.is_none() && problems.is_empty());
        let (quick, _) = Settings::from_json(&json!({"debounceMs": 0}));
        assert_eq!(quick.debounce, Duration::ZERO);
        let (slow, problems) = Settings::from_json(&json!({"debounceMs": 9000}));
        assert_eq!(slow.debounce, crate::DEBOUNCE);
        assert_eq!(problems.len(), 1);

        let (d, problems) =
            Settings::from_json(&json!({"minSeverity": 3, "groups": [], "database": ""}));
        assert_eq!(d, Settings::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(
            Settings::from_json(&Value::Null),
            (Settings::default(), vec![])
        );
    }
}
