//! C: names and extensions, grammar, node-kind table (C++ builds on it) and the wrappers rule
//! templates are parsed in. `#include` binds no names; the file's constants (object-like
//! `#define`s of literals, `const` globals initialized with literals) are bound to
//! [`FILE_CONSTANT`] in the import table ([`file_constants`], C++ too).

use tree_sitter::Node;

use super::imports::NodeText;
use super::kinds::{unit, unit_with_body, unit_with_field, Child, NameRule, Spec, NAME};
use super::{
    FlowFacts, ImportTable, Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks,
    UnitQuirks, CALL_ARGUMENTS, FILE_CONSTANT, SMALL_INTEGER,
};
use crate::unit::UnitKind;

/// C in the table of languages.
pub(super) static DEF: LanguageDef = LanguageDef {
    language: Language::C,
    name: "c",
    aliases: &[],
    extensions: &["c", "h"],
    interpreters: &[],
    grammar: || tree_sitter_c::LANGUAGE.into(),
    spec: &SPEC,
    units: UnitQuirks::NONE,
    imports: Some(file_constants),
    rules: RULES,
    templates: TemplateQuirks {
        wrappers: &[
            ("void __ct(void) {\n", "\n}"),
            ("void __ct(void) {\n", ";\n}"),
            ("", ""),
        ],
        param_type: Some(ParamType::Prefix),
        ..TemplateQuirks::NONE
    },
};

/// C and C++ flow: a declarator with an initializer or a plain `=` binds a local (through
/// pointer declarators, and array declarators of `const` arrays: a mutable array's contents
/// change without an assignment); parameters and `++`/`--` bind values flow does not follow.
/// Upper-case names nothing in the unit defines are macro or enum constants.
pub(super) const RULES: RuleFacts = RuleFacts {
    flow: FlowFacts {
        defs: &[
            ("init_declarator", "declarator", "value"),
            ("assignment_expression", "left", "right"),
        ],
        binders: &[
            ("parameter_declaration", "declarator"),
            ("update_expression", ""),
        ],
        operators: &["binary_expression"],
        constant_kinds: &[
            "sizeof_expression",
            "alignof_expression",
            "offsetof_expression",
        ],
        constant_calls: &[
            "arraysize",
            "arraylen",
            "arraylength",
            "arraycount",
            "countof",
            "nelem",
            "nelems",
            "nelements",
            "gnelements",
            "nitems",
            "lengthof",
            "elementsof",
            "numelements",
            "numberof",
            "sizeofarray",
            "abslarraysize",
        ],
        ..FlowFacts::NONE
    },
    upper_case_constants: true,
    ..RuleFacts::NONE
};

/// Binds the file constants of one top-level node (and of the preprocessor blocks it opens,
/// a few levels down: include guards wrap whole headers) to [`FILE_CONSTANT`].
pub(super) fn file_constants<'t>(
    table: &mut ImportTable,
    node: Node<'t>,
    src: &NodeText<'t>,
) -> bool {
    let mut stack = vec![(node, 0u8)];
    let mut budget = 4096u32;
    while let Some((n, depth)) = stack.pop() {
        budget = match budget.checked_sub(1) {
            Some(b) => b,
            None => break,
        };
        match n.kind() {
            "preproc_def" => {
                let (Some(name), Some(value)) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ) else {
                    continue;
                };
                if is_literal_text(src(value)) {
                    // An integer keeps its value for size reasoning (`rule::csize`).
                    let q = match integer_text(src(value)) {
                        Some(v) => format!("{FILE_CONSTANT}={v}"),
                        None => FILE_CONSTANT.to_string(),
                    };
                    table.bind(src(name), q);
                }
            }
            "declaration" => {
                bind_const_declaration(table, n, src);
                if let Some(t) = n.child_by_field_name("type") {
                    bind_field_sizes(table, t, src);
                }
            }
            "type_definition" => {
                if let Some(t) = n.child_by_field_name("type") {
                    bind_field_sizes(table, t, src);
                    bind_small_typedef(table, n, t, src);
                }
            }
            "struct_specifier" | "class_specifier" | "union_specifier" => {
                bind_field_sizes(table, n, src)
            }
            "preproc_if"
            | "preproc_ifdef"
            | "preproc_else"
            | "preproc_elif"
            | "linkage_specification"
            | "declaration_list"
                if depth < 4 =>
            {
                let mut c = n.walk();
                let kids: Vec<Node<'t>> = n.named_children(&mut c).collect();
                stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
            }
            _ => {}
        }
    }
    true
}

/// Static functions of the file that allocate (their body spells `alloc`) looked at, at most.
const MAX_CALLEES: usize = 64;
/// Uses of one such function looked at, at most (more: its parameters stay unknown).
const MAX_USES: usize = 256;

/// Facts about a file's own names that only the whole file shows, bound in its import table for
/// size reasoning (`rule::csize`) and flow. Each is about a `static` name, which no other file
/// can see, so the file's uses are all of them:
///
/// - each `static` function that allocates (its body spells `alloc`: `malloc`, `alloca`,
///   `realloc`…) is bound to [`CALL_ARGUMENTS`]`=` one letter per parameter: `c` when every
///   use of the function is a call passing a compile-time constant there (a number, a
///   character, `sizeof`, a `#define`d literal, an upper-case macro or enum name, operators
///   over those), `?` otherwise (its address taken, or a use in a macro body, makes every
///   parameter `?`);
/// - each `static` variable or pointer initialized with a literal (`static char *tag =
///   "mpz(";`) that nothing in the file assigns, increments or takes the address of is bound to
///   [`FILE_CONSTANT`] (with its value when it is an integer), as `const` ones are.
///
/// Rules read the bindings in units that spell the name, so an edit of any use re-analyses
/// them. Uses are found in one pass over the text's words, so a file without such names costs
/// one scan of its top level.
pub(crate) fn call_site_constants(table: &mut ImportTable, root: Node<'_>, text: &str) {
    let src = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("");
    let mut callees: Vec<(String, usize)> = Vec::new();
    // (name, the literal, where its declarator is)
    let mut statics: Vec<(String, String, usize)> = Vec::new();
    let mut c = root.walk();
    for f in root.named_children(&mut c) {
        let mut k = f.walk();
        let is_static = f
            .children(&mut k)
            .any(|x| x.kind() == "storage_class_specifier" && src(x) == "static");
        if !is_static || callees.len() + statics.len() >= MAX_CALLEES {
            continue;
        }
        if f.kind() == "declaration" {
            if let Some(found) = static_literal(f, &src) {
                if !statics.iter().any(|(n, _, _)| *n == found.0) {
                    statics.push(found);
                }
            }
            continue;
        }
        if f.kind() != "function_definition"
            || !f
                .child_by_field_name("body")
                .is_some_and(|b| src(b).contains("alloc"))
        {
            continue;
        }
        let mut d = f.child_by_field_name("declarator");
        while let Some(x) = d.filter(|x| x.kind() == "pointer_declarator") {
            d = x.child_by_field_name("declarator");
        }
        let Some(decl) = d.filter(|x| x.kind() == "function_declarator") else {
            continue;
        };
        let (Some(name), Some(params)) = (
            decl.child_by_field_name("declarator")
                .filter(|n| n.kind() == "identifier"),
            decl.child_by_field_name("parameters"),
        ) else {
            continue;
        };
        let mut p = params.walk();
        let arity = params
            .named_children(&mut p)
            .filter(|x| x.kind() == "parameter_declaration")
            .count();
        if arity > 0 && !callees.iter().any(|(n, _)| n == src(name)) {
            callees.push((src(name).to_string(), arity));
        }
    }
    if callees.is_empty() && statics.is_empty() {
        return;
    }
    // One pass over the text's words: each use of a name, in order.
    let names: Vec<&str> = callees
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(statics.iter().map(|(n, _, _)| n.as_str()))
        .collect();
    let index: std::collections::HashMap<&str, usize> =
        names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut uses: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        let w = &text[start..i];
        if let Some(&k) = index.get(w) {
            uses[k].push(start);
        }
    }
    let mut uses = uses.into_iter();
    for ((name, arity), at) in callees.into_iter().zip(uses.by_ref()) {
        let mut constant = vec![at.len() <= MAX_USES; arity];
        let mut calls = 0usize;
        for at in at.into_iter().take(MAX_USES) {
            let Some(id) = root.descendant_for_byte_range(at, at + name.len()) else {
                continue;
            };
            // Comments and strings mention it harmlessly; its definition and prototypes
            // declare it.
            if matches!(id.kind(), "comment" | "string_literal" | "string_content")
                || id
                    .parent()
                    .is_some_and(|p| p.kind() == "function_declarator")
            {
                continue;
            }
            let call = id.parent().filter(|p| {
                p.kind() == "call_expression"
                    && p.child_by_field_name("function").map(|f| f.id()) == Some(id.id())
            });
            let Some(args) = call.and_then(|c| c.child_by_field_name("arguments")) else {
                constant.fill(false);
                break;
            };
            calls += 1;
            let mut a = args.walk();
            let given: Vec<Node<'_>> = args
                .named_children(&mut a)
                .filter(|x| x.kind() != "comment")
                .collect();
            for (i, slot) in constant.iter_mut().enumerate() {
                *slot &= given
                    .get(i)
                    .is_some_and(|g| constant_argument(*g, table, &src));
            }
        }
        if calls == 0 || !constant.iter().any(|c| *c) {
            continue;
        }
        let letters: String = constant
            .iter()
            .map(|c| if *c { 'c' } else { '?' })
            .collect();
        table.bind(&name, format!("{CALL_ARGUMENTS}={letters}"));
    }
    for ((name, value, own), at) in statics.into_iter().zip(uses) {
        let written = at.len() > MAX_USES
            || at.into_iter().any(|at| {
                if at == own {
                    return false;
                }
                let Some(id) = root.descendant_for_byte_range(at, at + name.len()) else {
                    return true;
                };
                match id.kind() {
                    "comment" | "string_literal" | "string_content" => false,
                    "identifier" => writes(id),
                    _ => true,
                }
            });
        if !written && table.resolve(&name).is_none() {
            let q = match integer_text(&value) {
                Some(v) => format!("{FILE_CONSTANT}={v}"),
                None => FILE_CONSTANT.to_string(),
            };
            table.bind(&name, q);
        }
    }
}

/// `static T *name = LITERAL;` / `static T name = LITERAL;` (one declarator, not `const`: those
/// are bound anyway; not an array, whose contents change without naming it): the name, the
/// literal's text and where the name is declared.
fn static_literal<'t>(
    d: Node<'t>,
    src: &dyn Fn(Node<'t>) -> &'t str,
) -> Option<(String, String, usize)> {
    let mut c = d.walk();
    let decls: Vec<Node<'t>> = d.children_by_field_name("declarator", &mut c).collect();
    let [init] = decls.as_slice() else {
        return None;
    };
    let mut c = d.walk();
    if init.kind() != "init_declarator"
        || d.children(&mut c)
            .any(|k| k.kind() == "type_qualifier" && src(k) == "const")
    {
        return None;
    }
    let value = init.child_by_field_name("value")?;
    if !matches!(
        value.kind(),
        "string_literal" | "concatenated_string" | "number_literal" | "char_literal"
    ) {
        return None;
    }
    let mut target = init.child_by_field_name("declarator")?;
    while target.kind() == "pointer_declarator" {
        target = target.child_by_field_name("declarator")?;
    }
    (target.kind() == "identifier").then(|| {
        (
            src(target).to_string(),
            src(value).to_string(),
            target.start_byte(),
        )
    })
}

/// True when the identifier `id` is written where it stands: assigned (`x = …`, `x += …`),
/// incremented, its address taken, or declared again (a local of the same name).
fn writes(id: Node<'_>) -> bool {
    let Some(p) = id.parent() else {
        return false;
    };
    match p.kind() {
        "assignment_expression" => p.child_by_field_name("left").map(|l| l.id()) == Some(id.id()),
        "update_expression" => true,
        "pointer_expression" => p.child(0).is_some_and(|o| o.kind() == "&"),
        "init_declarator"
        | "pointer_declarator"
        | "array_declarator"
        | "parameter_declaration"
        | "declaration" => true,
        _ => false,
    }
}

/// True when an argument is a compile-time constant (see [`call_site_constants`]).
fn constant_argument<'t>(
    n: Node<'t>,
    table: &ImportTable,
    src: &dyn Fn(Node<'t>) -> &'t str,
) -> bool {
    match n.kind() {
        "number_literal" | "char_literal" | "sizeof_expression" => true,
        "parenthesized_expression" => n
            .named_child(0)
            .is_some_and(|k| constant_argument(k, table, src)),
        "binary_expression" => {
            let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return false;
            };
            constant_argument(l, table, src) && constant_argument(r, table, src)
        }
        "identifier" => {
            let t = src(n);
            let b = t.as_bytes();
            let upper = b.len() >= 2
                && b[0].is_ascii_uppercase()
                && b.iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_');
            upper
                || table
                    .resolve(t)
                    .is_some_and(|q| q.starts_with(FILE_CONSTANT))
        }
        _ => false,
    }
}

/// A plain decimal or hexadecimal integer (`64`, `0x40u`), as its value.
fn integer_text(t: &str) -> Option<u64> {
    let t = t.trim().trim_end_matches(['u', 'U', 'l', 'L']);
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => t.parse().ok(),
    }
}

/// The character-array fields of a struct, class or union defined in the file, bound by field
/// name to `#field=SIZE` (a number or a name; `#field=?` when two structs of the file give
/// the field different sizes), for size reasoning (`rule::csize`). Fields of other types
/// are not bound.
fn bind_field_sizes<'t>(table: &mut ImportTable, spec: Node<'t>, src: &NodeText<'t>) {
    const PREFIX: &str = "#field=";
    if !matches!(
        spec.kind(),
        "struct_specifier" | "class_specifier" | "union_specifier"
    ) {
        return;
    }
    let Some(body) = spec.child_by_field_name("body") else {
        return;
    };
    let mut c = body.walk();
    for f in body.named_children(&mut c) {
        if f.kind() != "field_declaration" {
            continue;
        }
        let char_like = f.child_by_field_name("type").is_some_and(|t| {
            matches!(
                src(t),
                "char"
                    | "unsigned char"
                    | "signed char"
                    | "gchar"
                    | "xmlChar"
                    | "uint8_t"
                    | "int8_t"
            )
        });
        let mut d = f.walk();
        for decl in f.children_by_field_name("declarator", &mut d) {
            if decl.kind() != "array_declarator" {
                continue;
            }
            let (Some(name), Some(size)) = (
                decl.child_by_field_name("declarator"),
                decl.child_by_field_name("size"),
            ) else {
                continue;
            };
            if name.kind() != "field_identifier" {
                continue;
            }
            // The size as a number: a literal, or a `#define` bound above (its value is in the
            // binding, so a changed `#define` rebinds the field's name too).
            let size = src(size).trim();
            let value = integer_text(size).or_else(|| {
                table
                    .resolve(size)?
                    .strip_prefix(FILE_CONSTANT)?
                    .strip_prefix('=')?
                    .parse()
                    .ok()
            });
            let q = match value.filter(|_| char_like) {
                Some(v) => format!("{PREFIX}{v}"),
                None => format!("{PREFIX}?"),
            };
            let q = match table.resolve(src(name)) {
                Some(old) if old != q => format!("{PREFIX}?"),
                _ => q,
            };
            table.bind(src(name), q);
        }
    }
}

/// Integer types of at most 16 bits as the standard, POSIX, Windows and GLib headers spell
/// them; `typedef`s of the file to one of them are bound to [`SMALL_INTEGER`].
pub(crate) const SMALL_TYPES: &[&str] = &[
    "char",
    "signed char",
    "unsigned char",
    "short",
    "short int",
    "signed short",
    "unsigned short",
    "unsigned short int",
    "bool",
    "_Bool",
    "uint8_t",
    "int8_t",
    "uint16_t",
    "int16_t",
    "u_char",
    "u_short",
    "u8",
    "u16",
    "s8",
    "s16",
    "__u8",
    "__u16",
    "uint8",
    "uint16",
    "int8",
    "int16",
    "UINT8",
    "UINT16",
    "INT8",
    "INT16",
    "BYTE",
    "UCHAR",
    "USHORT",
    "WORD",
    "SHORT",
    "CHAR",
    "guint8",
    "guint16",
    "gint8",
    "gint16",
    "guchar",
    "gushort",
    "gshort",
    "gchar",
];

/// True when a type's text (whitespace normalised) is a small integer type, or a typedef the
/// table already binds as one.
pub(crate) fn is_small_type(text: &str, table: &ImportTable) -> bool {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    SMALL_TYPES.contains(&t.as_str()) || table.resolve(&t) == Some(SMALL_INTEGER)
}

/// `typedef unsigned char TrieChar;`: binds `TrieChar` to [`SMALL_INTEGER`] (plain names only,
/// not pointers or arrays).
fn bind_small_typedef<'t>(table: &mut ImportTable, n: Node<'t>, t: Node<'t>, src: &NodeText<'t>) {
    if !is_small_type(src(t), table) {
        return;
    }
    let mut c = n.walk();
    for d in n.children_by_field_name("declarator", &mut c) {
        if d.kind() == "type_identifier" {
            table.bind(src(d), SMALL_INTEGER.to_string());
        }
    }
}

/// `const` declarations whose declarators are initialized with literals: the names of arrays,
/// plain values and pointers to `const` data (`static const char *sep = ":"`).
fn bind_const_declaration<'t>(table: &mut ImportTable, n: Node<'t>, src: &NodeText<'t>) {
    let mut c = n.walk();
    let is_const = n
        .children(&mut c)
        .any(|k| k.kind() == "type_qualifier" && src(k) == "const");
    if !is_const {
        return;
    }
    let mut c = n.walk();
    for d in n.children_by_field_name("declarator", &mut c) {
        if d.kind() != "init_declarator" {
            continue;
        }
        let (Some(mut target), Some(value)) = (
            d.child_by_field_name("declarator"),
            d.child_by_field_name("value"),
        ) else {
            continue;
        };
        if !matches!(
            value.kind(),
            "string_literal" | "concatenated_string" | "number_literal" | "char_literal"
        ) {
            continue;
        }
        while matches!(target.kind(), "pointer_declarator" | "array_declarator") {
            match target.child_by_field_name("declarator") {
                Some(t) => target = t,
                None => break,
            }
        }
        if target.kind() == "identifier" {
            table.bind(src(target), FILE_CONSTANT.to_string());
        }
    }
}

/// A `#define` body that is a literal or an expression of literals: a string or character
/// literal, or numbers with operators and parentheses (`64`, `(1u << 12)`, `0x7f`).
fn is_literal_text(body: &str) -> bool {
    let t = body.trim();
    if t.is_empty() {
        return false;
    }
    let b = t.as_bytes();
    let quoted = |q: u8| b.len() >= 2 && b[0] == q && b[b.len() - 1] == q;
    if quoted(b'"') || (quoted(b'\'') && b.len() <= 6) {
        return true;
    }
    // Numbers: every word starts with a digit (`0x7fUL`), the rest is operators and spaces.
    let mut prev_word = false;
    let mut any_digit = false;
    for &c in b {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
            if !prev_word && !c.is_ascii_digit() && c != b'.' {
                return false;
            }
            any_digit |= c.is_ascii_digit();
            prev_word = true;
        } else if b"+-*/%()<>|&^~ \t".contains(&c) {
            prev_word = false;
        } else {
            return false;
        }
    }
    any_digit
}

const LITERALS: &[&str] = &[
    "string_literal",
    "concatenated_string",
    "raw_string_literal",
    "char_literal",
    "number_literal",
    "true",
    "false",
    "null",
    "nullptr",
    "system_lib_string",
];

/// Also the base of C++'s table.
pub(super) static SPEC: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator(&["identifier", "field_identifier", "type_identifier"]),
        ),
        unit_with_body("struct_specifier", UnitKind::Struct, NAME),
        unit_with_body("union_specifier", UnitKind::Struct, NAME),
        unit_with_body("enum_specifier", UnitKind::Enum, NAME),
        unit_with_field("preproc_def", UnitKind::Macro, NAME, "value"),
        unit_with_field("preproc_function_def", UnitKind::Macro, NAME, "value"),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
    ],
    literals: LITERALS,
    strings: &[
        "string_literal",
        "concatenated_string",
        "raw_string_literal",
    ],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call_expression", Child::Field("function"))],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[],
    imports: &["preproc_include"],
    paths: &[],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_expression",
        "update_expression",
        "pointer_expression",
    ],
    namers: &[("init_declarator", Child::Field("declarator"))],
    namer_passthrough: &[],
    constructor_names: &[],
};

#[cfg(test)]
mod tests {
    use super::super::testing::{bindings, named, units};
    use crate::Language::C;
    use crate::UnitKind::*;

    #[test]
    fn functions_are_named_through_their_declarators() {
        let src = "static int f(int x) { return x; }\nint *g(void) { return 0; }\n\
                   int (*h(void))(int) { return 0; }\nstruct S { int a; };\nstruct S s;\n";
        let found = units(C, src);
        let expected = [
            (Module, ""),
            (Function, "f"),
            (Function, "g"),
            (Function, "h"),
            (Struct, "S"),
        ];
        assert_eq!(found, named(&expected));
    }

    #[test]
    fn includes_bind_no_names() {
        assert!(bindings(C, "#include <stdio.h>\n#include \"x.h\"\n").is_empty());
    }

    #[test]
    fn file_constants_are_bound() {
        let src = "#ifndef X_H\n#define X_H\n#define max_len 64\n#define mask (1u << 12)\n\
                   #define sep \":\"\n#define f(x) x\n#define alias other\n\
                   const static char* error = \":\";\nstatic const int slots[] = {1};\n\
                   static const int n = 4;\nchar *mutable_ptr = \"x\";\n#endif\n";
        let got = bindings(C, src);
        let names: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(names, ["error", "mask", "max_len", "n", "sep"]);
        assert!(got.iter().all(|(_, q)| q.starts_with(super::FILE_CONSTANT)));
        assert!(got.contains(&("max_len".to_string(), "#constant=64".to_string())));
    }

    #[test]
    fn static_calls_small_typedefs_and_unwritten_statics_are_bound() {
        let src = "typedef unsigned char Tc;\ntypedef Tc Tc2;\ntypedef long Wide;\n\
                   static char *tag = \"mpz(\";\nstatic char *label = \"x\";\n\
                   static int limit = 64;\nstatic int count = 0;\n\
                   static void *mk(size_t n, size_t m) { return malloc(n * m); }\n\
                   static void *quiet(size_t n) { return 0; }\n\
                   static void *taken(size_t n) { return malloc(n); }\n\
                   void set(char *l) { label = l; count++; }\n\
                   void use(size_t k) { mk(4, k); mk(sizeof(int), k); /* mk(k, k) */\n\
                   quiet(1); taken(2); void *(*f)(size_t) = taken; }\n";
        let got = bindings(C, src);
        let has = |l: &str, q: &str| got.contains(&(l.to_string(), q.to_string()));
        assert!(has("Tc", super::SMALL_INTEGER) && has("Tc2", super::SMALL_INTEGER));
        assert!(has("tag", "#constant") && has("limit", "#constant=64"));
        assert!(has("mk", "#args=c?"), "{got:?}");
        // Written statics, a wide typedef, a function that does not allocate and one whose
        // address is taken are not bound.
        for name in ["label", "count", "Wide", "quiet", "taken"] {
            assert!(!got.iter().any(|(l, _)| l == name), "{name} in {got:?}");
        }
    }
}
