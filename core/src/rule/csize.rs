//! C/C++ size and input reasoning inside one function, for the rule keys
//! [`fits`](crate::rule::RuleSpec::fits), [`unbounded`](crate::rule::RuleSpec::unbounded) and
//! [`severity_without_input`](crate::rule::RuleSpec::severity_without_input). It reads the
//! unit's own nodes and the file's table only (struct field sizes, `#define` values, small
//! integer typedefs, and what every call of a `static` function passes, bound by
//! `language::c`), so a unit's verdict changes only when the unit or a name it spells changes.
//! Sound-ish, never clever: whatever it cannot show stays unknown, and unknown means "report".
//!
//! What counts as evidence that a copy fits (each documented with its function):
//! - capacities: arrays declared in the unit (locals and array-typed parameters), struct fields
//!   of the file, allocations of a constant size, `sizeof`, numbers and `#define` numbers;
//! - lengths: string literals, the capacity of a source array (its string is shorter),
//!   `ctime`/`asctime` texts (33 bytes from normalized fields, 68 from any `struct tm`), and
//!   a local of the unit only ever given such values;
//! - a check of the source's length before the copy (`if (strlen(s) >= sizeof d) return`,
//!   `if (len > MAX) goto fail` with `len = strlen(s)`), or the copy inside such an `if`;
//! - a check against the destination's declared size before the copy;
//! - the destination allocated (or grown) for the source's length above the copy, under
//!   another plain name too (`void *ptr = uh`), past a header counted in the same sum
//!   (`calloc(sizeof(H) + strlen(s) + 1)` for `ptr + sizeof(H)`), as the trailing array of a
//!   block of `sizeof(T) + len`, or `strdup` of the source itself. A NULL check of an
//!   allocation is no length check.
//!
//! What bounds a size factor: a constant, a local of constant definitions, a check or an
//! assertion against a constant before it, an integer type of at most 16 bits, a parameter
//! of a `static` function that every call in the file gives a constant, and (heap sizes only)
//! the length of an object in memory.

use tree_sitter::Node;

use crate::language::{ImportTable, CALL_ARGUMENTS};

/// Prefix of a `#define` (or `const` global) bound with its integer value (`#constant=64`).
pub(crate) const CONSTANT_VALUE: &str = "#constant=";
/// Prefix of a struct field of the file bound with its array size (`#field=128`, `#field=N`;
/// `#field=?` when two structs of the file disagree).
pub(crate) const FIELD_SIZE: &str = "#field=";

/// Nodes visited at most by one walk over a unit (a very large function gives up: unknown).
const MAX_WALK: usize = 20_000;
/// The longest text a `%d`-like conversion prints (a 64-bit integer in octal, sign included).
const NUMBER_WIDTH: u64 = 24;

/// The reasoning context: the document's text, its constant table and the unit's node.
pub(crate) struct Sizes<'a, 't> {
    text: &'t str,
    file: &'a ImportTable,
    root: Node<'t>,
}

impl<'a, 't> Sizes<'a, 't> {
    /// Reasoning over the unit whose node is `root`.
    pub(crate) fn new(text: &'t str, file: &'a ImportTable, root: Node<'t>) -> Self {
        Sizes { text, file, root }
    }

    fn src(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    /// True when the copy `call` of `src` into `dst` is known to fit: `strcpy`/`strcat`
    /// (`src` is the source), `sprintf` (`src` is the format; the arguments follow it).
    pub(crate) fn copy_fits(&self, call: Node<'t>, src: Node<'t>, dst: Node<'t>) -> bool {
        let callee = call
            .child_by_field_name("function")
            .map(|f| self.src(f))
            .unwrap_or("");
        let name = callee.rsplit("::").next().unwrap_or(callee);
        let args = self.format_args(src);
        let appends = name.contains("strcat");
        // Capacity against length: only for a copy from the start of the destination.
        if !appends {
            if let Some(cap) = self.capacity(dst) {
                let need = if name.contains("printf") {
                    self.format_need(src, &args)
                } else {
                    self.need(src)
                };
                if need.is_some_and(|n| n <= cap) {
                    return true;
                }
            }
        }
        let mut keys: Vec<&'t str> = Vec::new();
        for n in std::iter::once(src).chain(args.iter().copied()) {
            keys.extend(self.keys(n));
        }
        keys.retain(|k| !k.is_empty() && !k.starts_with('"'));
        if keys.is_empty() {
            return false;
        }
        let lens = self.length_locals(&keys, call.start_byte());
        self.checked_before(call, &keys, &lens)
            || self.sized_for(call, dst, &keys, &lens)
            || self.capacity_checked(call, dst)
    }

    /// True when a guard dominating the copy compares something with the destination's
    /// capacity, in the direction that keeps it below: inside `if (CAP > need)` (or `need <
    /// CAP`, `<=`, `>=`), or after an exiting `if (need >= CAP)`, where `CAP` is the size the
    /// destination array (the array a pointer into it starts from: `tword + len`) is declared
    /// with in the unit, or `sizeof dst` (hunspell's `if (… && (MAXWORDUTF8LEN + 4) > (len +
    /// appndl - stripl)) { strcpy(tword, appnd); … }`: the lengths are fields the copy does not
    /// name, the check is against the buffer). A comparison under `||` is no such guard.
    fn capacity_checked(&self, call: Node<'t>, dst: Node<'t>) -> bool {
        let Some(base) = leading_identifier(self.src(self.strip(dst))) else {
            return false;
        };
        let squash = |t: &str| t.split_whitespace().collect::<String>();
        let mut caps: Vec<String> = vec![
            format!("sizeof({base})"),
            format!("sizeof{base}"),
            format!("sizeof({base})-1"),
        ];
        self.walk(self.root, &mut |k| {
            if k.kind() == "array_declarator"
                && k.child_by_field_name("declarator").map(|d| self.src(d)) == Some(base)
            {
                if let Some(size) = k.child_by_field_name("size") {
                    caps.push(squash(self.src(size)));
                }
            }
            true
        });
        let is_cap = |n: Node<'t>| {
            let t = squash(self.src(self.strip(n)));
            caps.iter().any(|c| *c == t || t == format!("({c})"))
        };
        self.dominating(call, &mut |guard, cond| {
            let mut found = false;
            self.walk(cond, &mut |k| {
                if found || k.kind() != "binary_expression" {
                    return !found;
                }
                let op = k.child_by_field_name("operator").map(|o| self.src(o));
                if op == Some("||") {
                    return false;
                }
                let (Some(l), Some(r)) = (
                    k.child_by_field_name("left"),
                    k.child_by_field_name("right"),
                ) else {
                    return true;
                };
                found = match (guard, op) {
                    (Guard::Then, Some(">" | ">=")) | (Guard::Exit, Some("<" | "<=")) => is_cap(l),
                    (Guard::Then, Some("<" | "<=")) | (Guard::Exit, Some(">" | ">=")) => is_cap(r),
                    _ => false,
                };
                !found
            });
            found
        })
    }

    /// True when `n`, a factor of an allocation size, is bounded by a constant: a constant
    /// (number, `sizeof`, macro, file constant, a local whose every definition is one), a
    /// local checked or asserted against a constant before (`if (n > MAX) return`, the use
    /// inside `if (n <= MAX)`, `assert(n <= MAX)`), a value of a type of at most 16 bits, a
    /// parameter every call in the file gives a constant, or, in a heap allocation at `at`,
    /// the length of an object in memory. Every operand of an operator must be bounded.
    pub(crate) fn bounded(
        &self,
        n: Node<'t>,
        constant: &dyn Fn(Node<'t>) -> bool,
        at: Node<'t>,
    ) -> bool {
        let n = self.strip(n);
        if constant(n) {
            return true;
        }
        match n.kind() {
            "binary_expression" => {
                let op = n.child_by_field_name("operator").map(|o| self.src(o));
                if !matches!(op, Some("*" | "+" | "/" | "%" | ">>" | "&")) {
                    return false;
                }
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return false;
                };
                // `x % k` is below `k`; `x & k` at most `k` for a literal `k` (not `-256`).
                if op == Some("%") && constant(self.strip(r))
                    || op == Some("&")
                        && [l, r].iter().any(|k| {
                            let k = self.strip(*k);
                            k.kind() == "number_literal" && !self.src(k).starts_with('-')
                        })
                {
                    return true;
                }
                self.bounded(l, constant, at)
                    && (matches!(op, Some("/" | ">>")) || self.bounded(r, constant, at))
            }
            "identifier" | "field_expression" => {
                let key = self.src(n);
                self.checked_against_constant(key, at, constant)
                    || (n.kind() == "identifier"
                        && (self.small_typed(key)
                            || self.defined_bounded(key, constant, at)
                            || self.constant_at_every_call(key)))
            }
            // A length in memory bounds a heap size's product (it cannot wrap), never a stack
            // size: `alloca(strlen(s) + 1)` with a long `s` is the hazard itself.
            "call_expression" => self.in_memory_length(n) && !self.on_stack(at),
            _ => false,
        }
    }

    /// True when `name` is a parameter of the unit's function that every call in the file
    /// passes a constant (the file's [`CALL_ARGUMENTS`] binding of a `static` function, see
    /// `language::c::call_site_constants`), and the function never changes it (session 9's
    /// review: `copySubstring(…, n)` only ever called with `n = 4`).
    fn constant_at_every_call(&self, name: &str) -> bool {
        if self.root.kind() != "function_definition" {
            return false;
        }
        let mut d = self.root.child_by_field_name("declarator");
        while let Some(x) = d.filter(|x| x.kind() == "pointer_declarator") {
            d = x.child_by_field_name("declarator");
        }
        let Some(decl) = d.filter(|x| x.kind() == "function_declarator") else {
            return false;
        };
        let (Some(f), Some(params)) = (
            decl.child_by_field_name("declarator"),
            decl.child_by_field_name("parameters"),
        ) else {
            return false;
        };
        let Some(letters) = self
            .file
            .resolve(self.src(f))
            .and_then(|q| q.strip_prefix(CALL_ARGUMENTS))
            .and_then(|q| q.strip_prefix('='))
        else {
            return false;
        };
        let mut c = params.walk();
        let index = params
            .named_children(&mut c)
            .filter(|p| p.kind() == "parameter_declaration")
            .position(|p| {
                p.child_by_field_name("declarator")
                    .is_some_and(|d| d.kind() == "identifier" && self.src(d) == name)
            });
        if index.and_then(|i| letters.as_bytes().get(i)) != Some(&b'c') {
            return false;
        }
        // Never assigned, incremented or given away by address in the function.
        let mut changed = false;
        self.walk(self.root, &mut |k| {
            changed |= match k.kind() {
                "assignment_expression" => k
                    .child_by_field_name("left")
                    .is_some_and(|l| self.src(self.strip(l)) == name),
                "update_expression" => mentions(self.src(k), name),
                "pointer_expression" => {
                    self.src(k).starts_with('&')
                        && k.child_by_field_name("argument")
                            .is_some_and(|a| self.src(self.strip(a)) == name)
                }
                _ => false,
            };
            !changed
        });
        !changed
    }

    /// True when the matched code `at` reserves stack space: an `alloca`-like call or a
    /// declaration (a variable-length array).
    fn on_stack(&self, at: Node<'t>) -> bool {
        match at.kind() {
            "call_expression" => at
                .child_by_field_name("function")
                .is_some_and(|f| self.src(f).contains("alloca")),
            _ => true,
        }
    }

    /// True when `n` is the length of an object already in memory: `strlen(s)`, `wcslen(s)`,
    /// `strnlen(s, k)`, `s.size()`, `s.length()`. The object exists, so its length is far
    /// below the address space, and a product with an element size cannot wrap (session 9's
    /// review: `(strlen(str) + 1) * sizeof(AlphaChar)` reported as unbounded, 6 rows).
    fn in_memory_length(&self, n: Node<'t>) -> bool {
        let Some(f) = n.child_by_field_name("function") else {
            return false;
        };
        let name = self.src(f);
        let callee = name.rsplit("::").next().unwrap_or(name);
        if matches!(
            callee,
            "strlen" | "wcslen" | "strnlen" | "wcsnlen" | "_tcslen" | "lstrlenW" | "lstrlenA"
        ) {
            return true;
        }
        // `s.size()` / `s->length()`: a method without arguments on a container.
        f.kind() == "field_expression"
            && n.child_by_field_name("arguments")
                .is_some_and(|a| a.named_child_count() == 0)
            && f.child_by_field_name("field")
                .is_some_and(|m| matches!(self.src(m), "size" | "length"))
    }

    /// True when every declaration of `name` in the unit (parameters and locals) gives it an
    /// integer type of at most 16 bits (`unsigned short`, `uint8_t`, `USHORT`, `BYTE`, a
    /// typedef of the file to one of them): at most 65,535, so a product with an element
    /// size cannot wrap a 32-bit `size_t` (session 9's review: USHORT and `unsigned char`
    /// counts reported as unbounded). Pointers and arrays of such types are not small.
    fn small_typed(&self, name: &str) -> bool {
        let mut seen = false;
        let mut all_small = true;
        self.walk(self.root, &mut |k| {
            if !matches!(k.kind(), "parameter_declaration" | "declaration") {
                return all_small;
            }
            let Some(t) = k.child_by_field_name("type") else {
                return true;
            };
            let mut c = k.walk();
            for d in k.children_by_field_name("declarator", &mut c) {
                let target = match d.kind() {
                    "init_declarator" => d.child_by_field_name("declarator"),
                    _ => Some(d),
                };
                if target.is_some_and(|x| x.kind() == "identifier" && self.src(x) == name) {
                    seen = true;
                    all_small &= self.small_type(t);
                } else if mentions(self.src(d), name) && d.kind() != "init_declarator" {
                    // `unsigned short *name`, `name[4]`: not a small value.
                    seen = true;
                    all_small = false;
                }
            }
            all_small
        });
        seen && all_small
    }

    /// True when the type node `t` names an integer type of at most 16 bits (qualifiers are
    /// separate nodes in the grammar; `unsigned short` is one node).
    fn small_type(&self, t: Node<'t>) -> bool {
        crate::language::is_small_type(self.src(t), self.file)
    }

    /// True when every definition of the local `name` in the unit is bounded (`count =
    /// (rand() % 384) + 64`): no parameter of that name, no compound assignment, `++` or
    /// `--`, and at least one definition.
    fn defined_bounded(
        &self,
        name: &str,
        constant: &dyn Fn(Node<'t>) -> bool,
        at: Node<'t>,
    ) -> bool {
        let mut values: Vec<Node<'t>> = Vec::new();
        let mut unknown = false;
        self.walk(self.root, &mut |k| {
            match k.kind() {
                "parameter_declaration" | "update_expression" | "pointer_expression"
                    if mentions(self.src(k), name) =>
                {
                    unknown = true;
                }
                "assignment_expression" => {
                    let left = k.child_by_field_name("left").map(|l| self.src(l));
                    let op = k.child_by_field_name("operator").map(|o| self.src(o));
                    if left == Some(name) {
                        match (op, k.child_by_field_name("right")) {
                            (Some("="), Some(v)) => values.push(v),
                            _ => unknown = true,
                        }
                    }
                }
                "init_declarator" => {
                    if let Some((t, v)) = self.definition(k) {
                        if self.src(t) == name {
                            values.push(v);
                        }
                    }
                }
                _ => {}
            }
            !unknown
        });
        !unknown
            && !values.is_empty()
            && values.iter().all(|v| {
                // No recursion through names here: a value is bounded by its own form.
                let v = self.strip(*v);
                constant(v)
                    || v.kind() == "binary_expression"
                        && !mentions(self.src(v), name)
                        && self.bounded(v, constant, at)
            })
    }

    /// True when the value `key` is compared with a constant before `at` on every path: an
    /// exiting `if` whose condition says `key > C` (or `>=`, `C < key`), or `at` inside the
    /// branch of `if (key < C)` / `key <= C`.
    fn checked_against_constant(
        &self,
        key: &str,
        at: Node<'t>,
        constant: &dyn Fn(Node<'t>) -> bool,
    ) -> bool {
        // `exits`: the guard's branch exits, so the comparison must say "too large"
        // (`key > C`, `C < key`); otherwise the code is in the branch of "small enough".
        let compares = |cond: Node<'t>, exits: bool| -> bool {
            let mut found = false;
            self.walk(cond, &mut |k| {
                if found || k.kind() != "binary_expression" {
                    return !found;
                }
                let op = k.child_by_field_name("operator").map(|o| self.src(o));
                let (Some(l), Some(r)) = (
                    k.child_by_field_name("left"),
                    k.child_by_field_name("right"),
                ) else {
                    return true;
                };
                let (l, r) = (self.strip(l), self.strip(r));
                let key_left = self.src(l) == key && constant(r);
                let key_right = self.src(r) == key && constant(l);
                found = match (op, exits) {
                    (Some(">" | ">="), true) | (Some("<" | "<="), false) => key_left,
                    (Some("<" | "<="), true) | (Some(">" | ">="), false) => key_right,
                    _ => false,
                };
                !found
            });
            found
        };
        self.dominating(at, &mut |kind, cond| match kind {
            Guard::Exit => compares(cond, true),
            Guard::Then => compares(cond, false),
            Guard::Else => false,
        })
    }

    /// True when an `if` before `at` (exiting), or around it, checks the length of one of
    /// `keys` (or a local holding such a length).
    fn checked_before(&self, at: Node<'t>, keys: &[&'t str], lens: &[&'t str]) -> bool {
        self.dominating(at, &mut |_, cond| self.speaks_of_length(cond, keys, lens))
    }

    /// Calls `f(guard, condition)` for the guards dominating `at` in the unit: each `if` without
    /// an `else` before it in an enclosing block whose branch exits, and each `if` whose
    /// branch holds it; true when `f` says so once.
    fn dominating(&self, at: Node<'t>, f: &mut dyn FnMut(Guard, Node<'t>) -> bool) -> bool {
        let mut child = at;
        let mut budget = MAX_WALK;
        while let Some(p) = child.parent() {
            match p.kind() {
                "compound_statement" | "translation_unit" => {
                    let mut c = p.walk();
                    for s in p.named_children(&mut c) {
                        budget = match budget.checked_sub(1) {
                            Some(b) => b,
                            None => return false,
                        };
                        if s.start_byte() >= child.start_byte() {
                            break;
                        }
                        // `assert(n <= MAX);`: past it the condition holds, as in the branch
                        // of `if (n <= MAX)`; `BUG_ON(n > MAX);` as an exiting `if`.
                        if let Some((guard, cond)) = self.assertion(s) {
                            if f(guard, cond) {
                                return true;
                            }
                        }
                        if s.kind() == "if_statement"
                            && s.child_by_field_name("alternative").is_none()
                            && s.child_by_field_name("consequence")
                                .is_some_and(|b| self.exits(b))
                        {
                            if let Some(cond) = s.child_by_field_name("condition") {
                                if f(Guard::Exit, cond) {
                                    return true;
                                }
                            }
                        }
                    }
                }
                "if_statement" => {
                    if let Some(cond) = p.child_by_field_name("condition") {
                        let in_then = p
                            .child_by_field_name("consequence")
                            .is_some_and(|b| b.id() == child.id());
                        let in_else = p
                            .child_by_field_name("alternative")
                            .is_some_and(|b| b.id() == child.id());
                        if in_then && f(Guard::Then, cond) || in_else && f(Guard::Else, cond) {
                            return true;
                        }
                    }
                }
                _ => {}
            }
            if p.id() == self.root.id() {
                break;
            }
            child = p;
        }
        false
    }

    /// The condition of an assertion statement (`assert(c);`, `CHECK(c)`, `DCHECK(c)`,
    /// `g_assert(c)`, `g_return_val_if_fail(c, v)`: `Then`, the code after it runs only when
    /// `c` holds; `BUG_ON(c)`: `Exit`, the code after it runs only when `c` does not).
    fn assertion(&self, s: Node<'t>) -> Option<(Guard, Node<'t>)> {
        let call = s
            .named_child(0)
            .filter(|c| s.kind() == "expression_statement" && c.kind() == "call_expression")?;
        let name = self.src(call.child_by_field_name("function")?);
        let guard = match name {
            "assert"
            | "_assert"
            | "ASSERT"
            | "CHECK"
            | "DCHECK"
            | "g_assert"
            | "Py_ASSERT"
            | "assert_se"
            | "RELEASE_ASSERT"
            | "MOZ_ASSERT"
            | "g_return_if_fail"
            | "g_return_val_if_fail" => Guard::Then,
            "BUG_ON" => Guard::Exit,
            _ => return None,
        };
        let args = call.child_by_field_name("arguments")?;
        Some((guard, args.named_child(0)?))
    }

    /// True when a statement leaves the block: `return`, `goto`, `break`, `continue`, `throw`,
    /// a call of `abort`/`exit`-like functions, or a block ending with one.
    fn exits(&self, s: Node<'t>) -> bool {
        match s.kind() {
            "return_statement" | "goto_statement" | "break_statement" | "continue_statement"
            | "throw_statement" => true,
            "expression_statement" => {
                let Some(call) = s.named_child(0).filter(|c| c.kind() == "call_expression") else {
                    return false;
                };
                let name = call
                    .child_by_field_name("function")
                    .map(|f| self.src(f))
                    .unwrap_or("");
                matches!(
                    name,
                    "abort"
                        | "exit"
                        | "_exit"
                        | "_Exit"
                        | "err"
                        | "errx"
                        | "croak"
                        | "Py_FatalError"
                ) || name.ends_with("_fatal")
                    || name.ends_with("Fatal")
            }
            "compound_statement" => {
                let mut c = s.walk();
                let last = s
                    .named_children(&mut c)
                    .filter(|k| k.kind() != "comment")
                    .last();
                last.is_some_and(|l| self.exits(l))
            }
            _ => false,
        }
    }

    /// True when `n` holds a length of one of `keys`: a call whose name says so (`strlen`,
    /// `xmlStrlen`, `wcslen`, `strnlen`, `_vscprintf`, `*_size`) with an argument naming the
    /// key, `key.size()` / `key.length()`, or a local of `lens`.
    fn speaks_of_length(&self, n: Node<'t>, keys: &[&'t str], lens: &[&'t str]) -> bool {
        let mut found = false;
        self.walk(n, &mut |k| {
            match k.kind() {
                "call_expression" => {
                    let f = k.child_by_field_name("function");
                    let name = f.map(|f| self.src(f)).unwrap_or("").to_ascii_lowercase();
                    let args = k
                        .child_by_field_name("arguments")
                        .map(|a| self.src(a))
                        .unwrap_or("");
                    let whole = self.src(k);
                    if (name.contains("len") || name.contains("size") || name.contains("printf"))
                        && keys.iter().any(|key| mentions(args, key))
                    {
                        found = true;
                    }
                    // `key.size()`, `key.length()`, `key->len`
                    if keys.iter().any(|key| {
                        whole.starts_with(key)
                            && matches!(
                                &whole[key.len()..],
                                ".size()" | ".length()" | "->size()" | "->length()"
                            )
                    }) {
                        found = true;
                    }
                }
                "identifier" | "field_expression" if lens.contains(&self.src(k)) => {
                    found = true;
                }
                _ => {}
            }
            !found
        });
        found
    }

    /// The locals defined in the unit before `before` with a value that holds a length of one
    /// of `keys` (`size_t n = strlen(s) + 1;`, `len += strlen(s);`), two hops deep
    /// (`total = n + 1`).
    fn length_locals(&self, keys: &[&'t str], before: usize) -> Vec<&'t str> {
        let mut lens: Vec<&'t str> = Vec::new();
        for _ in 0..2 {
            let mut add = Vec::new();
            self.walk(self.root, &mut |k| {
                if k.start_byte() >= before {
                    return false;
                }
                if let Some((target, value)) = self.definition(k) {
                    if matches!(target.kind(), "identifier" | "field_expression")
                        && !lens.contains(&self.src(target))
                        && !self.is_allocation(value)
                        && self.speaks_of_length(value, keys, &lens)
                    {
                        add.push(self.src(target));
                    }
                }
                true
            });
            if add.is_empty() {
                break;
            }
            lens.extend(add);
        }
        lens
    }

    /// True when `v` (casts aside) is an allocation (`calloc(1, strlen(s) + 1)`, `new
    /// char[n]`): a pointer, not a length, so `if (!p) return` after it checks nothing about
    /// the copy's length.
    fn is_allocation(&self, v: Node<'t>) -> bool {
        let v = self.strip(v);
        v.kind() == "new_expression"
            || v.kind() == "call_expression"
                && v.child_by_field_name("function").is_some_and(|f| {
                    let f = self.src(f).to_ascii_lowercase();
                    f.contains("alloc") || f.ends_with("dup")
                })
    }

    /// (target, value) of an assignment (`=`, `+=`) or an initialized declarator.
    fn definition(&self, k: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        match k.kind() {
            "assignment_expression" => Some((
                self.strip(k.child_by_field_name("left")?),
                k.child_by_field_name("right")?,
            )),
            "init_declarator" => {
                let mut t = k.child_by_field_name("declarator")?;
                while matches!(t.kind(), "pointer_declarator" | "reference_declarator") {
                    t = t
                        .child_by_field_name("declarator")
                        .or_else(|| t.named_child(0))?;
                }
                Some((t, k.child_by_field_name("value")?))
            }
            _ => None,
        }
    }

    /// True when, before `call`, the destination was allocated or grown for the length of
    /// one of `keys`: `d = malloc(strlen(s) + 1)`, `char *d = xmalloc(n)` with `n` a length
    /// local, `char d[strlen(s) + 1]`, `new char[s.size() + 1]`, or a call growing a buffer
    /// the destination names (`buffer_expand(b, strlen(s) + 1)` for `b->str`).
    fn sized_for(&self, call: Node<'t>, dst: Node<'t>, keys: &[&'t str], lens: &[&'t str]) -> bool {
        let dst = self.strip(dst);
        let base = leading_identifier(self.src(dst));
        let before = call.start_byte();
        // `ptr + sizeof(struct hdr)`: the block of `ptr` must hold the offset and the copy.
        let (dst, offset) = match (dst.kind(), dst.child_by_field_name("operator")) {
            ("binary_expression", Some(o)) if self.src(o) == "+" => {
                match (
                    dst.child_by_field_name("left"),
                    dst.child_by_field_name("right"),
                ) {
                    (Some(l), Some(r)) if self.strip(l).kind() == "identifier" => {
                        (self.strip(l), Some(r))
                    }
                    _ => (dst, None),
                }
            }
            _ => (dst, None),
        };
        // `result->c_string` of `result = malloc(sizeof(SIZED_STRING) + length)`: a trailing
        // array of a block allocated for its struct and the string (yara's `ss_new`); the copy
        // starts inside the struct, so `sizeof(T)` covers its offset and its NUL.
        let whole = self.src(dst);
        let (dst, flex) = match (dst.kind(), dst.child_by_field_name("argument")) {
            ("field_expression", Some(a))
                if offset.is_none()
                    && self.strip(a).kind() == "identifier"
                    && dst
                        .child_by_field_name("operator")
                        .is_some_and(|o| self.src(o) == "->") =>
            {
                (self.strip(a), true)
            }
            _ => (dst, false),
        };
        let dst_text = self.src(dst);
        let names = self.aliases(dst_text, before);
        let is_dst = |t: &str| names.contains(&t);
        // An allocation's size argument holds the copy: a length of the source, and the
        // offset as a term of the same sum when the copy starts past the block's start.
        let holds = |k: Node<'t>| match offset {
            None if flex => k.child_by_field_name("arguments").is_some_and(|a| {
                let mut c = a.walk();
                let args: Vec<Node<'t>> = a.named_children(&mut c).collect();
                args.iter().any(|x| {
                    let terms = self.sum_terms(*x);
                    terms.iter().any(|t| t.kind() == "sizeof_expression")
                        && terms.iter().any(|t| self.speaks_of_length(*t, keys, lens))
                })
            }),
            None => self.speaks_of_length(k, keys, lens),
            Some(off) => k.child_by_field_name("arguments").is_some_and(|a| {
                let mut c = a.walk();
                let args: Vec<Node<'t>> = a.named_children(&mut c).collect();
                args.iter().any(|x| {
                    let terms = self.sum_terms(*x);
                    let squash = |t: &str| t.split_whitespace().collect::<String>();
                    let off = squash(self.src(self.strip(off)));
                    terms.iter().any(|t| squash(self.src(*t)) == off)
                        && terms.iter().any(|t| self.speaks_of_length(*t, keys, lens))
                })
            }),
        };
        let mut found = false;
        self.walk(self.root, &mut |k| {
            if k.start_byte() >= before || found {
                return false;
            }
            match k.kind() {
                "array_declarator" => {
                    let name = k.child_by_field_name("declarator").map(|d| self.src(d));
                    if name == Some(dst_text)
                        && k.child_by_field_name("size")
                            .is_some_and(|s| self.speaks_of_length(s, keys, lens))
                    {
                        found = true;
                    }
                }
                "call_expression" => {
                    let name = k
                        .child_by_field_name("function")
                        .map(|f| self.src(f).to_ascii_lowercase())
                        .unwrap_or_default();
                    let grows = ["alloc", "expand", "grow", "reserve", "ensure", "resize"]
                        .iter()
                        .any(|w| name.contains(w));
                    let assigned = self
                        .assigned_to(k)
                        .is_some_and(|(t, _)| is_dst(self.src(t)));
                    // `p->name = malloc(strlen(s) + 1)` for `strcpy(p->name, s)`.
                    let to_field = flex
                        && self
                            .assigned_to(k)
                            .is_some_and(|(t, _)| self.src(t) == whole);
                    if grows && to_field && self.speaks_of_length(k, keys, lens) {
                        found = true;
                    } else if grows && holds(k) {
                        // An allocation assigned to the destination, or a call given it.
                        let given = offset.is_none()
                            && !flex
                            && k.child_by_field_name("arguments")
                                .is_some_and(|a| base.is_some_and(|b| mentions(self.src(a), b)));
                        found = assigned || given;
                    }
                    // `d = strdup(s); … strcpy(d, s)`: a block of exactly the source's size.
                    let dup = name.ends_with("strdup") || name.ends_with("strndup");
                    if dup && offset.is_none() && !flex && assigned {
                        found = k.child_by_field_name("arguments").is_some_and(|a| {
                            a.named_child(0)
                                .is_some_and(|x| keys.contains(&self.src(self.strip(x))))
                        });
                    }
                }
                "new_expression"
                    if self.assigned_to(k).is_some_and(|(t, _)| {
                        is_dst(self.src(t)) && holds(k)
                            || flex && self.src(t) == whole && self.speaks_of_length(k, keys, lens)
                    }) =>
                {
                    found = true;
                }
                _ => {}
            }
            !found
        });
        found
    }

    /// The definition (target, value) whose value is `k`, casts and parentheses around it aside.
    fn assigned_to(&self, k: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let mut p = k.parent()?;
        while matches!(p.kind(), "cast_expression" | "parenthesized_expression") {
            p = p.parent()?;
        }
        self.definition(p)
    }

    /// `name` and the locals that are plain copies of it before `before` (`void *ptr = (void
    /// *) uh;`, one hop either way): the same block under another name (c10-held review,
    /// uwsgi router_uwsgi.c row 45).
    fn aliases(&self, name: &'t str, before: usize) -> Vec<&'t str> {
        let mut out = vec![name];
        self.walk(self.root, &mut |k| {
            if k.start_byte() >= before {
                return false;
            }
            if let Some((t, v)) = self.definition(k) {
                let v = self.strip(v);
                let op_plain = k.kind() == "init_declarator"
                    || k.child_by_field_name("operator")
                        .is_some_and(|o| self.src(o) == "=");
                if op_plain && v.kind() == "identifier" && t.kind() == "identifier" {
                    let (t, v) = (self.src(t), self.src(v));
                    if t == name && !out.contains(&v) {
                        out.push(v);
                    } else if v == name && !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            true
        });
        out
    }

    /// The terms of a sum (`a + b + (c + d)`: `a`, `b`, `c`, `d`; parentheses and casts aside).
    fn sum_terms(&self, n: Node<'t>) -> Vec<Node<'t>> {
        let n = self.strip(n);
        if n.kind() == "binary_expression"
            && n.child_by_field_name("operator").map(|o| self.src(o)) == Some("+")
        {
            if let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) {
                let mut out = self.sum_terms(l);
                out.extend(self.sum_terms(r));
                return out;
            }
        }
        vec![n]
    }

    /// The arguments after a format (`sprintf(buf, fmt, a, b)`: `a`, `b`).
    fn format_args(&self, fmt: Node<'t>) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let mut n = fmt.next_named_sibling();
        while let Some(k) = n {
            if k.kind() != "comment" {
                out.push(k);
            }
            n = k.next_named_sibling();
        }
        out
    }

    /// The texts a source is named by: itself, without `.c_str()`/`.data()`, and the array of
    /// an element (`names[i]` → `names`).
    fn keys(&self, n: Node<'t>) -> Vec<&'t str> {
        let n = self.strip(n);
        let t = self.src(n);
        let mut out = vec![t];
        for suffix in [".c_str()", ".data()", "->c_str()"] {
            if let Some(s) = t.strip_suffix(suffix) {
                out.push(s);
            }
        }
        if n.kind() == "subscript_expression" {
            if let Some(a) = n.child_by_field_name("argument") {
                out.push(self.src(a));
            }
        }
        // `*str`: the object's characters (`Nan::Utf8String str(v); … strcpy(buf, *str)`),
        // so `str.length()` speaks of its length (c10-held review, libpq row 25).
        if n.kind() == "pointer_expression" && t.starts_with('*') {
            if let Some(a) = n.child_by_field_name("argument") {
                out.push(self.src(self.strip(a)));
            }
        }
        out
    }

    /// Bytes a string copy of `n` writes at most (its terminating NUL included): a literal's
    /// length, the larger branch of `c ? "a" : "b"`, or the capacity of a source array.
    fn need(&self, n: Node<'t>) -> Option<u64> {
        self.need_in(n, true)
    }

    /// [`need`](Self::need), looking a local's definitions up only when `names` (one level:
    /// a definition's value is read without it, so two locals cannot send it round).
    fn need_in(&self, n: Node<'t>, names: bool) -> Option<u64> {
        let n = self.strip(n);
        match n.kind() {
            "string_literal" | "concatenated_string" if !self.has_macro_piece(n) => {
                Some(literal_len(self.src(n)) + 1)
            }
            "conditional_expression" => {
                let a = self.need_in(n.child_by_field_name("consequence")?, names)?;
                let b = self.need_in(n.child_by_field_name("alternative")?, names)?;
                Some(a.max(b))
            }
            // `asctime`/`ctime` write "Sun Sep 16 01:03:52 1973\n": 26 bytes for a 4-digit
            // year (C11 7.27.3.1), at most 33 when the fields come normalized from `ctime`,
            // `localtime` or `gmtime` (the year is an `int`: 11 characters with its sign, as
            // glibc prints it), and 68 for any `struct tm` (glibc's widest output, every
            // field an 11-character `int`). `_r` forms fill the caller's buffer instead.
            "call_expression" => {
                let f = self.src(n.child_by_field_name("function")?);
                match f.rsplit("::").next()? {
                    "ctime" => Some(33),
                    "asctime" => {
                        let arg = n.child_by_field_name("arguments")?.named_child(0)?;
                        let arg = self.strip(arg);
                        let normalized = arg.kind() == "call_expression"
                            && arg.child_by_field_name("function").is_some_and(|g| {
                                matches!(
                                    self.src(g),
                                    "localtime" | "gmtime" | "std::localtime" | "std::gmtime"
                                )
                            });
                        Some(if normalized { 33 } else { 68 })
                    }
                    _ => None,
                }
            }
            "identifier" if names => self.capacity(n).or_else(|| self.defined_need(self.src(n))),
            _ => self.capacity(n),
        }
    }

    /// The largest [`need`](Self::need) of the local `name` over its definitions in the unit,
    /// when every one is a literal or an `asctime`/`ctime` result (`char *p = asctime(tm);`)
    /// and nothing else changes it: no parameter of that name, no `+=`, `++` or `&name`.
    fn defined_need(&self, name: &str) -> Option<u64> {
        let mut most: Option<u64> = None;
        let mut unknown = false;
        // A local of the unit (a global may be changed by any call in between).
        let mut declared = false;
        self.walk(self.root, &mut |k| {
            match k.kind() {
                "declaration" => {
                    let mut c = k.walk();
                    for d in k.children_by_field_name("declarator", &mut c) {
                        let mut d = d;
                        while d.kind() == "pointer_declarator" {
                            match d.child_by_field_name("declarator") {
                                Some(x) => d = x,
                                None => break,
                            }
                        }
                        declared |= d.kind() == "identifier" && self.src(d) == name;
                    }
                }
                "parameter_declaration" | "update_expression" | "pointer_expression"
                    if mentions(self.src(k), name) =>
                {
                    unknown = true;
                }
                "assignment_expression" | "init_declarator" => {
                    if let Some((t, v)) = self.definition(k) {
                        let plain = k.kind() == "init_declarator"
                            || k.child_by_field_name("operator")
                                .is_some_and(|o| self.src(o) == "=");
                        if self.src(t) == name {
                            let v = self.strip(v);
                            declared |= k.kind() == "init_declarator";
                            match (plain, v.kind()) {
                                (true, "identifier") | (false, _) => unknown = true,
                                _ => match self.need_in(v, false) {
                                    Some(n) => most = Some(most.map_or(n, |m| m.max(n))),
                                    None => unknown = true,
                                },
                            }
                        }
                    }
                }
                _ => {}
            }
            !unknown
        });
        if unknown || !declared {
            None
        } else {
            most
        }
    }

    /// True when a concatenated string has a piece that is not a literal (`"%"PRIu64`): its
    /// length is not known here.
    fn has_macro_piece(&self, n: Node<'t>) -> bool {
        let mut c = n.walk();
        n.kind() == "concatenated_string"
            && n.named_children(&mut c)
                .any(|k| k.kind() != "string_literal")
    }

    /// Bytes `sprintf` writes at most for a literal format and its arguments (NUL included).
    fn format_need(&self, fmt: Node<'t>, args: &[Node<'t>]) -> Option<u64> {
        let fmt = self.strip(fmt);
        if fmt.kind() == "conditional_expression" {
            // `c ? "%d" : "%d %s"`: the longer of the two formats.
            let a = self.format_need(fmt.child_by_field_name("consequence")?, args)?;
            let b = self.format_need(fmt.child_by_field_name("alternative")?, args)?;
            return Some(a.max(b));
        }
        if !matches!(fmt.kind(), "string_literal" | "concatenated_string")
            || self.has_macro_piece(fmt)
        {
            return None;
        }
        let text = self.src(fmt);
        let body = literal_body(text);
        let b = body.as_bytes();
        let mut total = 1u64;
        let mut arg = 0usize;
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'%' {
                total += 1;
                i += 1;
                continue;
            }
            i += 1;
            if b.get(i) == Some(&b'%') {
                total += 1;
                i += 1;
                continue;
            }
            let mut width = 0u64;
            let mut precision: Option<u64> = None;
            while i < b.len() && b"-+ #0".contains(&b[i]) {
                i += 1;
            }
            while i < b.len() && b[i].is_ascii_digit() {
                width = width * 10 + u64::from(b[i] - b'0');
                i += 1;
            }
            if b.get(i) == Some(&b'.') {
                i += 1;
                let mut p = 0u64;
                while i < b.len() && b[i].is_ascii_digit() {
                    p = p * 10 + u64::from(b[i] - b'0');
                    i += 1;
                }
                precision = Some(p);
            }
            if matches!(b.get(i), Some(b'*')) {
                return None;
            }
            while i < b.len() && b"hlLqjzt".contains(&b[i]) {
                i += 1;
            }
            let conv = *b.get(i)?;
            i += 1;
            let value = match conv {
                b'd' | b'i' | b'u' | b'x' | b'X' | b'o' | b'p' => NUMBER_WIDTH,
                b'c' => 1,
                b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => 32,
                b'f' | b'F' => 330,
                b's' => {
                    let a = *args.get(arg)?;
                    precision.or_else(|| self.need(a).map(|n| n - 1))?
                }
                b'n' => 0,
                _ => return None,
            };
            arg += 1;
            total += value.max(width);
        }
        Some(total)
    }

    /// Bytes a buffer named by `n` holds: an array declared in the unit (locals and
    /// array-typed parameters, one size for every declaration of the name), a field of a
    /// struct of the file, or an allocation of a constant size assigned to it in the unit.
    fn capacity(&self, n: Node<'t>) -> Option<u64> {
        let n = self.strip(n);
        match n.kind() {
            "identifier" => {
                let name = self.src(n);
                let mut size: Option<Option<u64>> = None;
                self.walk(self.root, &mut |k| {
                    if k.kind() == "array_declarator"
                        && k.child_by_field_name("declarator").map(|d| self.src(d)) == Some(name)
                    {
                        let s = k
                            .child_by_field_name("size")
                            .and_then(|s| self.value(s))
                            .filter(|_| self.char_element(k));
                        size = Some(match size {
                            None => s,
                            Some(prev) if prev == s => s,
                            Some(_) => None,
                        });
                    }
                    // A pointer given an allocation of a constant size (`char *e = malloc(300)`)
                    // holds that many bytes; any other assignment makes its size unknown.
                    if let Some((t, v)) = self.definition(k) {
                        if self.src(t) == name {
                            let s = self.allocation_size(v);
                            size = Some(match size {
                                None => s,
                                Some(prev) if prev == s => s,
                                Some(_) => None,
                            });
                        }
                    }
                    true
                });
                size.flatten()
            }
            "field_expression" => {
                let field = n.child_by_field_name("field").map(|f| self.src(f))?;
                let bound = self.file.resolve(field)?.strip_prefix(FIELD_SIZE)?;
                self.value_text(bound)
            }
            _ => None,
        }
    }

    /// The constant size of `malloc(N)` / `calloc(N, 1)` (casts and parentheses aside).
    fn allocation_size(&self, v: Node<'t>) -> Option<u64> {
        let v = self.strip(v);
        if v.kind() != "call_expression" {
            return None;
        }
        let name = v.child_by_field_name("function").map(|f| self.src(f))?;
        let args = v.child_by_field_name("arguments")?;
        let mut c = args.walk();
        let a: Vec<Node<'t>> = args.named_children(&mut c).collect();
        match (name, a.as_slice()) {
            ("malloc" | "xmalloc" | "alloca", [n]) => self.value(*n),
            ("calloc" | "xcalloc", [n, m]) => self.value(*n)?.checked_mul(self.value(*m)?),
            _ => None,
        }
    }

    /// True when the array declarator `d` declares `char`-sized elements (its declaration's
    /// type is a character type or byte typedef, and the declarator is no array of pointers).
    fn char_element(&self, d: Node<'t>) -> bool {
        let mut p = d.parent();
        while let Some(k) = p {
            if k.kind() == "pointer_declarator" {
                return false;
            }
            if let Some(t) = k.child_by_field_name("type") {
                let t = self.src(t);
                return matches!(
                    t.trim_start_matches("const ")
                        .trim_start_matches("unsigned ")
                        .trim_start_matches("signed "),
                    "char"
                        | "gchar"
                        | "xmlChar"
                        | "uint8_t"
                        | "int8_t"
                        | "u_char"
                        | "UChar"
                        | "BYTE"
                        | "TCHAR"
                );
            }
            p = k.parent();
        }
        false
    }

    /// The value of an integer constant expression: numbers, `#define`d numbers of the file,
    /// `sizeof(char)`, and `+ - * /` over them.
    fn value(&self, n: Node<'t>) -> Option<u64> {
        let n = self.strip(n);
        match n.kind() {
            "number_literal" => parse_number(self.src(n)),
            "identifier" => self.value_text(self.src(n)),
            "sizeof_expression" => {
                let t = self.src(n);
                matches!(
                    t.replace(' ', "").as_str(),
                    "sizeof(char)" | "sizeof(unsignedchar)" | "sizeof(uint8_t)"
                )
                .then_some(1)
            }
            "binary_expression" => {
                let l = self.value(n.child_by_field_name("left")?)?;
                let r = self.value(n.child_by_field_name("right")?)?;
                match n.child_by_field_name("operator").map(|o| self.src(o))? {
                    "+" => l.checked_add(r),
                    "-" => l.checked_sub(r),
                    "*" => l.checked_mul(r),
                    "/" => l.checked_div(r),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A number, or a name the file binds to a number.
    fn value_text(&self, t: &str) -> Option<u64> {
        parse_number(t).or_else(|| {
            self.file
                .resolve(t)?
                .strip_prefix(CONSTANT_VALUE)
                .and_then(parse_number)
        })
    }

    /// Parentheses and casts around an expression taken off.
    fn strip(&self, mut n: Node<'t>) -> Node<'t> {
        loop {
            match n.kind() {
                "parenthesized_expression" => match n.named_child(0) {
                    Some(k) if n.named_child_count() == 1 => n = k,
                    _ => return n,
                },
                "cast_expression" => match n.child_by_field_name("value") {
                    Some(v) => n = v,
                    None => return n,
                },
                _ => return n,
            }
        }
    }

    /// Pre-order walk under `n` (itself included); `f` returns false to skip a node's children
    /// (and, once it has said so for a node starting at or after a limit, callers stop
    /// themselves). Bounded by [`MAX_WALK`] nodes.
    fn walk(&self, n: Node<'t>, f: &mut dyn FnMut(Node<'t>) -> bool) {
        let mut c = n.walk();
        let mut budget = MAX_WALK;
        loop {
            budget = match budget.checked_sub(1) {
                Some(b) => b,
                None => return,
            };
            let descend = f(c.node());
            if descend && c.goto_first_child() {
                continue;
            }
            loop {
                if c.node().id() == n.id() {
                    return;
                }
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    return;
                }
            }
        }
    }

    /// True when process or network input reaches one of `nodes` within the unit before
    /// `at`: `argv`/`envp`, `getenv(…)`, or a local filled by `fgets`, `fread`, `read`, `recv`,
    /// `recvfrom`, `gets`, `getline`, `scanf`-like calls, or defined (two hops) from any of those.
    pub(crate) fn input_reaches(&self, at: Node<'t>, nodes: &[Node<'t>]) -> bool {
        const INPUT_NAMES: &[&str] = &["argv", "envp", "environ"];
        const ENV_CALLS: &[&str] = &[
            "getenv",
            "secure_getenv",
            "_wgetenv",
            "GetEnvironmentVariable",
        ];
        const FILLING: &[&str] = &[
            "fgets", "fgetws", "fread", "read", "recv", "recvfrom", "recvmsg", "gets", "getline",
            "getdelim", "scanf", "fscanf", "sscanf", "ReadFile", "getpass",
        ];
        let mut names: Vec<&'t str> = Vec::new();
        let direct = std::cell::Cell::new(false);
        let collect = |n: Node<'t>, names: &mut Vec<&'t str>| {
            self.walk(n, &mut |k| {
                match k.kind() {
                    "identifier" => {
                        let t = self.src(k);
                        if INPUT_NAMES.contains(&t) {
                            direct.set(true);
                        } else if !names.contains(&t) {
                            names.push(t);
                        }
                    }
                    "call_expression" => {
                        let f = k
                            .child_by_field_name("function")
                            .map(|f| self.src(f))
                            .unwrap_or("");
                        if ENV_CALLS.contains(&f) {
                            direct.set(true);
                        }
                    }
                    _ => {}
                }
                true
            });
        };
        for &n in nodes {
            collect(n, &mut names);
        }
        if direct.get() {
            return true;
        }
        let before = at.start_byte();
        for _ in 0..3 {
            let mut more: Vec<Node<'t>> = Vec::new();
            let mut filled = false;
            self.walk(self.root, &mut |k| {
                if k.start_byte() >= before || filled {
                    return false;
                }
                if k.kind() == "call_expression" {
                    let f = k
                        .child_by_field_name("function")
                        .map(|f| self.src(f))
                        .unwrap_or("");
                    if FILLING.contains(&f) {
                        if let Some(a) = k.child_by_field_name("arguments") {
                            let mut c = a.walk();
                            filled = a.named_children(&mut c).any(|x| {
                                let t = self.src(self.strip(x));
                                let t = t.trim_start_matches('&');
                                names.iter().any(|n| leading_identifier(t) == Some(n))
                            });
                        }
                    }
                }
                if let Some((t, v)) = self.definition(k) {
                    if names.contains(&self.src(t)) {
                        more.push(v);
                    }
                }
                true
            });
            if filled {
                return true;
            }
            let before_len = names.len();
            for v in more {
                collect(v, &mut names);
            }
            if direct.get() {
                return true;
            }
            if names.len() == before_len {
                break;
            }
        }
        false
    }
}

/// Where a guard sits relative to the code it guards.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Guard {
    /// An `if` before the code whose branch exits.
    Exit,
    /// An `if` whose then-branch holds the code.
    Then,
    /// An `if` whose else-branch holds the code.
    Else,
}

/// True when `key` occurs in `hay` with no identifier character on either side.
fn mentions(hay: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(key).any(|(at, _)| {
        let end = at + key.len();
        !hay[..at].chars().next_back().is_some_and(word)
            && !hay[end..].chars().next().is_some_and(word)
    })
}

/// The identifier a text starts with (`b` of `b->str + b->len`).
fn leading_identifier(t: &str) -> Option<&str> {
    let t = t.trim_start_matches(['(', '*', '&', ' ']);
    let end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(t.len(), |(i, _)| i);
    (end > 0).then(|| &t[..end])
}

/// A C integer literal (`64`, `0x40`, `64u`, `1UL`), when it is one.
fn parse_number(t: &str) -> Option<u64> {
    let t = t.trim().trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok();
    }
    t.parse().ok()
}

/// The text between the quotes of each piece of a (concatenated) string literal.
fn literal_body(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let mut end = None;
        let mut esc = false;
        for (i, c) in after.char_indices() {
            match c {
                '\\' if !esc => esc = true,
                '"' if !esc => {
                    end = Some(i);
                    break;
                }
                _ => esc = false,
            }
        }
        let Some(e) = end else { break };
        out.push_str(&after[..e]);
        rest = &after[e + 1..];
    }
    out
}

/// Bytes of a literal's characters: its source length between quotes is an upper bound
/// (an escape sequence is longer in the source than in memory).
fn literal_len(t: &str) -> u64 {
    literal_body(t).len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert!(mentions("strlen(name) + 1", "name"));
        assert!(!mentions("strlen(names)", "name"));
        assert_eq!(leading_identifier("b->str + b->len"), Some("b"));
        assert_eq!(parse_number("0x10u"), Some(16));
        assert_eq!(literal_len("\"ab\" \"c\""), 3);
    }
}
