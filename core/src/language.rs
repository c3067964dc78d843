//! Languages: grammar loading, detection by extension and shebang, and the one per-language table
//! of node kinds (units, identifiers, literals, calls, attributes, comparisons, strings…).
//!
//! Everything language-specific lives in the `SPEC_*` tables at the bottom of this file; the rest
//! of the crate reads them through [`KindTable`], which resolves names to tree-sitter ids once.

use std::path::Path;
use std::sync::OnceLock;

use tree_sitter::Node;

use crate::error::{Error, Result};
use crate::hash;
use crate::unit::UnitKind;

/// A source language with a tree-sitter grammar compiled into the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Python 3.
    Python,
    /// JavaScript (ES2023, JSX).
    JavaScript,
    /// TypeScript.
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Java.
    Java,
    /// Kotlin.
    Kotlin,
    /// Go.
    Go,
    /// Rust.
    Rust,
    /// C.
    C,
    /// C++.
    Cpp,
}

impl Language {
    /// Every supported language, in a fixed order.
    pub const ALL: [Language; 10] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Java,
        Language::Kotlin,
        Language::Go,
        Language::Rust,
        Language::C,
        Language::Cpp,
    ];

    /// The canonical lowercase name (`"python"`, `"tsx"`, `"cpp"`…).
    pub const fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::C => "c",
            Language::Cpp => "cpp",
        }
    }

    /// Parses a language name or common alias (`py`, `js`, `ts`, `kt`, `golang`, `rs`, `c++`…),
    /// case-insensitively.
    pub fn from_name(name: &str) -> Result<Language> {
        let lower = name.trim().to_ascii_lowercase();
        let lang = match lower.as_str() {
            "python" | "py" | "python3" => Language::Python,
            "javascript" | "js" | "jsx" | "node" | "ecmascript" => Language::JavaScript,
            "typescript" | "ts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "java" => Language::Java,
            "kotlin" | "kt" | "kts" => Language::Kotlin,
            "go" | "golang" => Language::Go,
            "rust" | "rs" => Language::Rust,
            "c" => Language::C,
            "cpp" | "c++" | "cxx" | "cc" => Language::Cpp,
            _ => return Err(Error::UnknownLanguage(name.to_string())),
        };
        Ok(lang)
    }

    /// The language of a file extension (without the dot), if any.
    pub fn from_extension(ext: &str) -> Option<Language> {
        let lang = match ext.to_ascii_lowercase().as_str() {
            "py" | "pyw" | "pyi" => Language::Python,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "java" => Language::Java,
            "kt" | "kts" => Language::Kotlin,
            "go" => Language::Go,
            "rs" => Language::Rust,
            "c" | "h" => Language::C,
            "cc" | "cpp" | "cxx" | "c++" | "hpp" | "hh" | "hxx" | "h++" | "ipp" => Language::Cpp,
            _ => return None,
        };
        Some(lang)
    }

    /// The language named by a `#!` line (`#!/usr/bin/env python3`, `#!/usr/bin/node`…), if any.
    pub fn from_shebang(text: &[u8]) -> Option<Language> {
        let first = text.split(|&b| b == b'\n').next()?;
        let line = std::str::from_utf8(first.strip_prefix(b"#!")?).ok()?;
        let mut words = line.split_whitespace();
        let mut prog = words.next()?.rsplit('/').next()?;
        if prog == "env" {
            prog = words.find(|w| !w.starts_with('-'))?;
        }
        let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        match prog {
            "python" | "pypy" => Some(Language::Python),
            "node" | "nodejs" | "deno" | "bun" => Some(Language::JavaScript),
            "ts-node" | "tsx" => Some(Language::TypeScript),
            "kotlin" | "kscript" => Some(Language::Kotlin),
            _ => None,
        }
    }

    /// Detects the language of a file from its extension, then from a shebang line.
    pub fn detect(path: &Path, text: &[u8]) -> Option<Language> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Language::from_extension)
            .or_else(|| Language::from_shebang(text))
    }

    /// The tree-sitter grammar.
    pub fn grammar(self) -> tree_sitter::Language {
        let f = match self {
            Language::Python => tree_sitter_python::LANGUAGE,
            Language::JavaScript => tree_sitter_javascript::LANGUAGE,
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX,
            Language::Java => tree_sitter_java::LANGUAGE,
            Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE,
            Language::Go => tree_sitter_go::LANGUAGE,
            Language::Rust => tree_sitter_rust::LANGUAGE,
            Language::C => tree_sitter_c::LANGUAGE,
            Language::Cpp => tree_sitter_cpp::LANGUAGE,
        };
        f.into()
    }

    pub(crate) fn spec(self) -> &'static Spec {
        match self {
            Language::Python => &SPEC_PYTHON,
            Language::JavaScript => &SPEC_JAVASCRIPT,
            Language::TypeScript | Language::Tsx => &SPEC_TYPESCRIPT,
            Language::Java => &SPEC_JAVA,
            Language::Kotlin => &SPEC_KOTLIN,
            Language::Go => &SPEC_GO,
            Language::Rust => &SPEC_RUST,
            Language::C => &SPEC_C,
            Language::Cpp => &SPEC_CPP,
        }
    }

    /// The resolved kind table of this language (built once per process).
    pub(crate) fn table(self) -> &'static KindTable {
        static TABLES: [OnceLock<KindTable>; 10] = [const { OnceLock::new() }; 10];
        let idx = Language::ALL.iter().position(|&l| l == self).unwrap_or(0);
        TABLES[idx].get_or_init(|| KindTable::build(self))
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Language::from_name(s)
    }
}

// ---------------------------------------------------------------------------------------------
// Static per-language specification.

/// Which child of a node a rule talks about.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Child {
    /// The child in this field.
    Field(&'static str),
    /// The first named child.
    FirstNamed,
    /// The last named child.
    LastNamed,
    /// The first named child, only when there are at least two (Kotlin `name = value`).
    FirstOfMany,
    /// The first named child of this kind.
    Kind(&'static str),
}

impl Child {
    /// Selects the child of `node` this rule names.
    pub(crate) fn select<'t>(self, node: Node<'t>) -> Option<Node<'t>> {
        match self {
            Child::Field(f) => node.child_by_field_name(f),
            Child::FirstNamed => node.named_child(0),
            Child::LastNamed => node.named_child(node.named_child_count().checked_sub(1)? as u32),
            Child::FirstOfMany => {
                if node.named_child_count() >= 2 {
                    node.named_child(0)
                } else {
                    None
                }
            }
            Child::Kind(k) => {
                let mut c = node.walk();
                let found = node.named_children(&mut c).find(|n| n.kind() == k);
                found
            }
        }
    }
}

/// How the name of a unit is found.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NameRule {
    /// The text of a child (or its first identifier).
    Child(Child),
    /// Follow `declarator` fields down to the declared name (C and C++ functions).
    Declarator,
    /// A fixed name (`constructor`, `<lambda>`).
    Fixed(&'static str),
    /// Named by the parent node (`f = lambda: …`); the unit only exists when named.
    FromParent,
}

/// One kind of node that forms a unit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UnitRule {
    pub kind: &'static str,
    pub unit: UnitKind,
    pub name: NameRule,
    /// The node is a unit only when this field is present (a struct *definition*, not a use).
    pub requires_field: Option<&'static str>,
    /// The node is a unit only when this field's node has the given kind (Go `type_spec`).
    pub field_kind: Option<(&'static str, &'static str)>,
}

const fn unit(kind: &'static str, unit: UnitKind, name: NameRule) -> UnitRule {
    UnitRule {
        kind,
        unit,
        name,
        requires_field: None,
        field_kind: None,
    }
}
const NAME: NameRule = NameRule::Child(Child::Field("name"));

/// What an anchored position means; all are kept by name in fingerprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The function part of a call.
    Callee,
    /// The name part of an attribute or member access.
    Attribute,
    /// A keyword-argument or option-key name.
    Keyword,
}

/// The per-language table. Node kind names are tree-sitter's.
pub(crate) struct Spec {
    pub units: &'static [UnitRule],
    pub identifiers: &'static [&'static str],
    /// Literal nodes, abstracted to their kind and never descended into.
    pub literals: &'static [&'static str],
    /// The string literals among `literals`.
    pub strings: &'static [&'static str],
    pub comments: &'static [&'static str],
    /// Wrappers that do not change meaning when they hold one expression.
    pub parens: &'static [&'static str],
    /// Call-like nodes and the child that names the callee.
    pub calls: &'static [(&'static str, Child)],
    /// Attribute-like nodes and the child that holds the attribute name.
    pub attributes: &'static [(&'static str, Child)],
    /// Keyword-argument-like nodes and the child that holds the keyword.
    pub keyword_args: &'static [(&'static str, Child)],
    /// Imports and includes: whole subtree anchored.
    pub imports: &'static [&'static str],
    /// Qualified paths, decorators, annotations: whole subtree anchored.
    pub paths: &'static [&'static str],
    /// Comparisons (`==`, `<`, `is`…): their operator tokens become features.
    pub comparisons: &'static [&'static str],
    /// Other operator nodes whose operator tokens become features.
    pub operators: &'static [&'static str],
    /// Parents that give a name to an anonymous function child (`f = lambda: …`).
    pub namers: &'static [(&'static str, Child)],
    /// Parents climbed through when looking for a namer (Go `expression_list`).
    pub namer_passthrough: &'static [&'static str],
    /// Method names that make a method a constructor.
    pub constructor_names: &'static [&'static str],
}

static SPEC_PYTHON: Spec = Spec {
    units: &[
        unit("function_definition", UnitKind::Function, NAME),
        unit("class_definition", UnitKind::Class, NAME),
        unit("lambda", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier"],
    literals: &[
        "string",
        "concatenated_string",
        "integer",
        "float",
        "true",
        "false",
        "none",
        "ellipsis",
    ],
    strings: &["string", "concatenated_string"],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call", Child::Field("function"))],
    attributes: &[("attribute", Child::Field("attribute"))],
    keyword_args: &[("keyword_argument", Child::Field("name"))],
    imports: &[
        "import_statement",
        "import_from_statement",
        "future_import_statement",
    ],
    paths: &["decorator"],
    comparisons: &["comparison_operator"],
    operators: &[
        "binary_operator",
        "boolean_operator",
        "augmented_assignment",
        "unary_operator",
        "not_operator",
    ],
    namers: &[("assignment", Child::Field("left"))],
    namer_passthrough: &[],
    constructor_names: &["__init__", "__new__"],
};

const JS_UNITS: &[UnitRule] = &[
    unit("function_declaration", UnitKind::Function, NAME),
    unit("generator_function_declaration", UnitKind::Function, NAME),
    unit("method_definition", UnitKind::Method, NAME),
    unit("class_declaration", UnitKind::Class, NAME),
    unit("class", UnitKind::Class, NameRule::FromParent),
    unit("arrow_function", UnitKind::Lambda, NameRule::FromParent),
    unit(
        "function_expression",
        UnitKind::Lambda,
        NameRule::FromParent,
    ),
    unit("function", UnitKind::Lambda, NameRule::FromParent),
    unit("generator_function", UnitKind::Lambda, NameRule::FromParent),
];

static SPEC_JAVASCRIPT: Spec = Spec {
    units: JS_UNITS,
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
    ],
    literals: &[
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "null",
        "undefined",
        "regex",
    ],
    strings: &["string", "template_string"],
    comments: &["comment", "html_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("constructor")),
    ],
    attributes: &[("member_expression", Child::Field("property"))],
    keyword_args: &[("pair", Child::Field("key"))],
    imports: &["import_statement"],
    paths: &["decorator"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "augmented_assignment_expression",
        "update_expression",
    ],
    namers: &[
        ("variable_declarator", Child::Field("name")),
        ("assignment_expression", Child::Field("left")),
        ("pair", Child::Field("key")),
        ("field_definition", Child::Field("property")),
    ],
    namer_passthrough: &[],
    constructor_names: &["constructor"],
};

static SPEC_TYPESCRIPT: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit("generator_function_declaration", UnitKind::Function, NAME),
        unit("method_definition", UnitKind::Method, NAME),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("abstract_class_declaration", UnitKind::Class, NAME),
        unit("class", UnitKind::Class, NameRule::FromParent),
        unit("interface_declaration", UnitKind::Interface, NAME),
        unit("enum_declaration", UnitKind::Enum, NAME),
        unit("internal_module", UnitKind::Namespace, NAME),
        unit("arrow_function", UnitKind::Lambda, NameRule::FromParent),
        unit(
            "function_expression",
            UnitKind::Lambda,
            NameRule::FromParent,
        ),
        unit("generator_function", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "private_property_identifier",
        "type_identifier",
    ],
    literals: &[
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "null",
        "undefined",
        "regex",
    ],
    strings: &["string", "template_string"],
    comments: &["comment", "html_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("constructor")),
    ],
    attributes: &[("member_expression", Child::Field("property"))],
    keyword_args: &[("pair", Child::Field("key"))],
    imports: &["import_statement"],
    paths: &["decorator", "nested_type_identifier"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "augmented_assignment_expression",
        "update_expression",
    ],
    namers: &[
        ("variable_declarator", Child::Field("name")),
        ("assignment_expression", Child::Field("left")),
        ("pair", Child::Field("key")),
        ("public_field_definition", Child::Field("name")),
    ],
    namer_passthrough: &[],
    constructor_names: &["constructor"],
};

static SPEC_JAVA: Spec = Spec {
    units: &[
        unit("method_declaration", UnitKind::Method, NAME),
        unit("constructor_declaration", UnitKind::Constructor, NAME),
        unit(
            "compact_constructor_declaration",
            UnitKind::Constructor,
            NAME,
        ),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("record_declaration", UnitKind::Class, NAME),
        unit("interface_declaration", UnitKind::Interface, NAME),
        unit("annotation_type_declaration", UnitKind::Interface, NAME),
        unit("enum_declaration", UnitKind::Enum, NAME),
        unit("lambda_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier", "type_identifier"],
    literals: &[
        "string_literal",
        "text_block",
        "character_literal",
        "decimal_integer_literal",
        "hex_integer_literal",
        "octal_integer_literal",
        "binary_integer_literal",
        "decimal_floating_point_literal",
        "hex_floating_point_literal",
        "true",
        "false",
        "null_literal",
    ],
    strings: &["string_literal", "text_block"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("method_invocation", Child::Field("name")),
        ("method_invocation", Child::Field("object")),
        ("object_creation_expression", Child::Field("type")),
    ],
    attributes: &[("field_access", Child::Field("field"))],
    keyword_args: &[],
    imports: &["import_declaration", "package_declaration"],
    paths: &[
        "annotation",
        "marker_annotation",
        "scoped_identifier",
        "scoped_type_identifier",
    ],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_expression",
        "update_expression",
    ],
    namers: &[("variable_declarator", Child::Field("name"))],
    namer_passthrough: &[],
    constructor_names: &[],
};

static SPEC_KOTLIN: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit(
            "secondary_constructor",
            UnitKind::Constructor,
            NameRule::Fixed("constructor"),
        ),
        unit("class_declaration", UnitKind::Class, NAME),
        unit("object_declaration", UnitKind::Class, NAME),
        unit(
            "companion_object",
            UnitKind::Class,
            NameRule::Fixed("Companion"),
        ),
        unit("lambda_literal", UnitKind::Lambda, NameRule::FromParent),
        unit("anonymous_function", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &["identifier"],
    literals: &[
        "string_literal",
        "multiline_string_literal",
        "number_literal",
        "float_literal",
        "character_literal",
    ],
    strings: &["string_literal", "multiline_string_literal"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::FirstNamed),
        ("constructor_invocation", Child::FirstNamed),
    ],
    attributes: &[("navigation_expression", Child::LastNamed)],
    keyword_args: &[("value_argument", Child::FirstOfMany)],
    imports: &["import", "package_header"],
    paths: &["annotation", "qualified_identifier"],
    comparisons: &[
        "binary_expression",
        "equality_expression",
        "comparison_expression",
    ],
    operators: &["unary_expression", "prefix_expression", "assignment"],
    namers: &[("property_declaration", Child::Kind("variable_declaration"))],
    namer_passthrough: &[],
    constructor_names: &[],
};

static SPEC_GO: Spec = Spec {
    units: &[
        unit("function_declaration", UnitKind::Function, NAME),
        unit("method_declaration", UnitKind::Method, NAME),
        UnitRule {
            kind: "type_spec",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: None,
            field_kind: Some(("type", "struct_type")),
        },
        UnitRule {
            kind: "type_spec",
            unit: UnitKind::Interface,
            name: NAME,
            requires_field: None,
            field_kind: Some(("type", "interface_type")),
        },
        unit("func_literal", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "package_identifier",
    ],
    literals: &[
        "interpreted_string_literal",
        "raw_string_literal",
        "int_literal",
        "float_literal",
        "imaginary_literal",
        "rune_literal",
        "true",
        "false",
        "nil",
        "iota",
    ],
    strings: &["interpreted_string_literal", "raw_string_literal"],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[("call_expression", Child::Field("function"))],
    attributes: &[("selector_expression", Child::Field("field"))],
    keyword_args: &[("keyed_element", Child::Field("key"))],
    imports: &["import_declaration", "package_clause"],
    paths: &["qualified_type"],
    comparisons: &["binary_expression"],
    operators: &[
        "unary_expression",
        "assignment_statement",
        "inc_statement",
        "dec_statement",
    ],
    namers: &[
        ("short_var_declaration", Child::Field("left")),
        ("assignment_statement", Child::Field("left")),
        ("var_spec", Child::Field("name")),
    ],
    namer_passthrough: &["expression_list"],
    constructor_names: &[],
};

static SPEC_RUST: Spec = Spec {
    units: &[
        unit("function_item", UnitKind::Function, NAME),
        unit(
            "impl_item",
            UnitKind::Impl,
            NameRule::Child(Child::Field("type")),
        ),
        unit("struct_item", UnitKind::Struct, NAME),
        unit("union_item", UnitKind::Struct, NAME),
        unit("enum_item", UnitKind::Enum, NAME),
        unit("trait_item", UnitKind::Interface, NAME),
        UnitRule {
            kind: "mod_item",
            unit: UnitKind::Namespace,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        unit("closure_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "shorthand_field_identifier",
    ],
    literals: &[
        "string_literal",
        "raw_string_literal",
        "char_literal",
        "integer_literal",
        "float_literal",
        "boolean_literal",
    ],
    strings: &["string_literal", "raw_string_literal"],
    comments: &["line_comment", "block_comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("macro_invocation", Child::Field("macro")),
    ],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[("field_initializer", Child::Field("field"))],
    imports: &["use_declaration", "extern_crate_declaration"],
    paths: &[
        "scoped_identifier",
        "scoped_type_identifier",
        "attribute_item",
    ],
    comparisons: &["binary_expression"],
    operators: &["unary_expression", "compound_assignment_expr"],
    namers: &[("let_declaration", Child::Field("pattern"))],
    namer_passthrough: &[],
    constructor_names: &[],
};

const C_LITERALS: &[&str] = &[
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

static SPEC_C: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator,
        ),
        UnitRule {
            kind: "struct_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "union_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "enum_specifier",
            unit: UnitKind::Enum,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
    ],
    literals: C_LITERALS,
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

static SPEC_CPP: Spec = Spec {
    units: &[
        unit(
            "function_definition",
            UnitKind::Function,
            NameRule::Declarator,
        ),
        UnitRule {
            kind: "class_specifier",
            unit: UnitKind::Class,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "struct_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "union_specifier",
            unit: UnitKind::Struct,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "enum_specifier",
            unit: UnitKind::Enum,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        UnitRule {
            kind: "namespace_definition",
            unit: UnitKind::Namespace,
            name: NAME,
            requires_field: Some("body"),
            field_kind: None,
        },
        unit("lambda_expression", UnitKind::Lambda, NameRule::FromParent),
    ],
    identifiers: &[
        "identifier",
        "field_identifier",
        "type_identifier",
        "statement_identifier",
        "namespace_identifier",
    ],
    literals: C_LITERALS,
    strings: &[
        "string_literal",
        "concatenated_string",
        "raw_string_literal",
    ],
    comments: &["comment"],
    parens: &["parenthesized_expression"],
    calls: &[
        ("call_expression", Child::Field("function")),
        ("new_expression", Child::Field("type")),
    ],
    attributes: &[("field_expression", Child::Field("field"))],
    keyword_args: &[],
    imports: &["preproc_include", "using_declaration"],
    paths: &["qualified_identifier", "template_function"],
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

// ---------------------------------------------------------------------------------------------
// The resolved table: kind ids → flags, so the hot loop does array lookups, not string compares.

pub(crate) const F_IDENT: u16 = 1;
pub(crate) const F_LITERAL: u16 = 1 << 1;
pub(crate) const F_STRING: u16 = 1 << 2;
pub(crate) const F_COMMENT: u16 = 1 << 3;
pub(crate) const F_PAREN: u16 = 1 << 4;
pub(crate) const F_IMPORT: u16 = 1 << 5;
pub(crate) const F_PATH: u16 = 1 << 6;
pub(crate) const F_COMPARISON: u16 = 1 << 7;
pub(crate) const F_OPERATOR: u16 = 1 << 8;
pub(crate) const F_UNIT: u16 = 1 << 9;
pub(crate) const F_ANCHOR_PARENT: u16 = 1 << 10;
pub(crate) const F_NAMER: u16 = 1 << 11;
/// Code inside a string literal: an f-string `{…}`, a template literal `${…}`, a Kotlin `${…}`.
pub(crate) const F_SUBSTITUTION: u16 = 1 << 12;

/// Node kinds that hold code inside a string literal (in every grammar that has one).
const SUBSTITUTIONS: &[&str] = &["interpolation", "template_substitution"];

/// Kind-id–indexed view of a [`Spec`].
pub(crate) struct KindTable {
    pub language: Language,
    /// Flags per kind id.
    pub flags: Vec<u16>,
    /// Stable hash of each kind's name.
    pub kind_hash: Vec<u64>,
    /// Unit rules per kind id (usually zero or one).
    pub unit_rules: Vec<Vec<UnitRule>>,
    /// Anchor rules per parent kind id.
    pub anchor_rules: Vec<Vec<(Child, Anchor)>>,
    /// Namer rules per parent kind id.
    pub namer_rules: Vec<Option<Child>>,
    /// Kind ids of namer pass-through parents.
    pub passthrough: Vec<bool>,
    pub spec: &'static Spec,
}

impl KindTable {
    fn build(language: Language) -> KindTable {
        let grammar = language.grammar();
        let spec = language.spec();
        let n = grammar.node_kind_count();
        let mut t = KindTable {
            language,
            flags: vec![0; n],
            kind_hash: Vec::with_capacity(n),
            unit_rules: vec![Vec::new(); n],
            anchor_rules: vec![Vec::new(); n],
            namer_rules: vec![None; n],
            passthrough: vec![false; n],
            spec,
        };
        for id in 0..n {
            let name = grammar.node_kind_for_id(id as u16).unwrap_or("");
            let named = grammar.node_kind_is_named(id as u16);
            t.kind_hash.push(hash::tagged(TAG_KIND, name));
            let has = |list: &[&str]| named && list.contains(&name);
            let mut f = 0;
            if has(spec.identifiers) {
                f |= F_IDENT;
            }
            if has(spec.literals) {
                f |= F_LITERAL;
            }
            if has(spec.strings) {
                f |= F_STRING;
            }
            if has(spec.comments) {
                f |= F_COMMENT;
            }
            if has(spec.parens) {
                f |= F_PAREN;
            }
            if has(spec.imports) {
                f |= F_IMPORT;
            }
            if has(spec.paths) {
                f |= F_PATH;
            }
            if has(spec.comparisons) {
                f |= F_COMPARISON;
            }
            if has(spec.operators) {
                f |= F_OPERATOR;
            }
            if has(SUBSTITUTIONS) {
                f |= F_SUBSTITUTION;
            }
            if named {
                for r in spec.units.iter().filter(|r| r.kind == name) {
                    t.unit_rules[id].push(*r);
                    f |= F_UNIT;
                }
                let anchors = spec
                    .calls
                    .iter()
                    .map(|&(k, c)| (k, c, Anchor::Callee))
                    .chain(
                        spec.attributes
                            .iter()
                            .map(|&(k, c)| (k, c, Anchor::Attribute)),
                    )
                    .chain(
                        spec.keyword_args
                            .iter()
                            .map(|&(k, c)| (k, c, Anchor::Keyword)),
                    );
                for (k, c, a) in anchors {
                    if k == name {
                        t.anchor_rules[id].push((c, a));
                        f |= F_ANCHOR_PARENT;
                    }
                }
                if let Some(&(_, c)) = spec.namers.iter().find(|(k, _)| *k == name) {
                    t.namer_rules[id] = Some(c);
                    f |= F_NAMER;
                }
                t.passthrough[id] = spec.namer_passthrough.contains(&name);
            }
            t.flags[id] = f;
        }
        t
    }

    #[inline]
    pub(crate) fn flags(&self, kind_id: u16) -> u16 {
        self.flags.get(kind_id as usize).copied().unwrap_or(0)
    }

    /// The unit kind of `node`, if it is a unit node (the name is resolved separately).
    pub(crate) fn unit_rule(&self, node: Node<'_>) -> Option<&UnitRule> {
        let rules = self.unit_rules.get(node.kind_id() as usize)?;
        rules.iter().find(|r| {
            r.requires_field
                .is_none_or(|f| node.child_by_field_name(f).is_some())
                && r.field_kind
                    .is_none_or(|(f, k)| node.child_by_field_name(f).is_some_and(|c| c.kind() == k))
        })
    }
}

/// Domain tags that keep the hash spaces of different feature families apart.
pub(crate) const TAG_KIND: u64 = 0x4b49_4e44; // "KIND"

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Language::from_name(&s).map_err(serde::de::Error::custom)
    }
}
