//! C: names and extensions, grammar, node-kind table (C++ builds on it) and the wrappers rule
//! templates are parsed in. `#include` binds no names; the file's constants (object-like
//! `#define`s of literals, `const` globals initialized with literals) are bound to
//! [`FILE_CONSTANT`] in the import table ([`file_constants`], C++ too).

use tree_sitter::Node;

use super::imports::NodeText;
use super::kinds::{unit, unit_with_body, unit_with_field, Child, NameRule, Spec, NAME};
use super::{
    FlowFacts, ImportTable, Language, LanguageDef, ParamType, RuleFacts, TemplateQuirks,
    UnitQuirks, FILE_CONSTANT,
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
}
