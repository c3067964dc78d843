"""Project: design-pattern instances across files, with participants, roles and string indices."""

from __future__ import annotations

import pytest

import codetable
from conftest import schema

# A TypeScript observer in three files; the interface's file starts with non-ASCII text, so
# its code-point indices differ from UTF-8 bytes and UTF-16 units.
LISTENER = "// écouteur 日本 😀\nexport interface Listener { fired(n: number): void; }\n"
LOGGER = "import { Listener } from './listener';\nexport class Logger implements Listener { fired(n: number): void {} }\n"
BUTTON = (
    "import { Listener } from './listener';\n"
    "export class Button {\n"
    "  private ls: Listener[] = [];\n"
    "  add(l: Listener): void { this.ls.push(l); } remove(l: Listener): void { this.ls = this.ls.filter((x) => x !== l); }\n"
    "  click(): void { for (const l of this.ls) { l.fired(1); } }\n"
    "}\n"
)


@pytest.fixture
def project() -> codetable.Project:
    engine = codetable.Engine()
    engine.select(["design"])
    p = codetable.Project(engine)
    p.set_document("src/listener.ts", LISTENER)
    p.set_document("src/logger.ts", LOGGER)
    p.set_document("src/button.ts", BUTTON)
    return p


def test_instances_name_the_pattern_and_every_participant(project: codetable.Project) -> None:
    assert project.paths == ["src/button.ts", "src/listener.ts", "src/logger.ts"] and len(project) == 3
    (obs,) = project.instances()
    assert obs.pattern.id == "design.gof.observer" and obs.summary == obs.pattern.summary
    assert obs.id.startswith("design.gof.observer@")
    assert [(p.role, p.name, p.path) for p in obs.participants] == [
        ("observer", "Listener", "src/listener.ts"),
        ("subject", "Button", "src/button.ts"),
        ("concrete-observer", "Logger", "src/logger.ts"),
    ]
    listener = obs.participants[0]
    # Indices are code points of the participant's own document.
    # (A TypeScript declaration starts at its keyword, after `export`.)
    assert LISTENER[listener.start_index:].startswith("interface Listener")
    assert listener.start_index == LISTENER.index("interface Listener")
    assert listener.start_index != len(LISTENER[: listener.start_index].encode())
    assert listener.start == (1, 7)
    assert obs.participant_at("src/button.ts", 3).name == "Button"
    assert obs.participant_at("src/button.ts", 40) is None
    d = obs.to_dict()
    assert d["pattern"] == "design.gof.observer" and len(d["participants"]) == 3


def test_findings_link_each_participant_to_its_instance(project: codetable.Project) -> None:
    found = project.findings()
    assert [f.role for f in found] == ["observer", "subject", "concrete-observer"]
    assert len({f.instance for f in found}) == 1
    for f in found:
        assert f.pattern.id == "design.gof.observer"
        text = project.text(f.path)
        assert text is not None
        kind = "interface" if f.role == "observer" else "class"
        assert text[f.start_index:f.end_index].split()[:2] == [kind, f.unit_name]
        parts = f.participants
        assert [p.role for p in parts] == ["observer", "subject", "concrete-observer"]
        mine = [p for p in parts if p.finding == f.id]
        assert len(mine) == 1 and mine[0].role == f.role and mine[0].start_index == f.start_index
        # core's record, schema and all
        d = f.to_dict()
        assert d["instance"] == f.instance and d["role"] == f.role and len(d["participants"]) == 3
    finding_schema = schema("finding")
    for f in found:
        finding_schema.validate(f.to_dict())
    schema("instance").validate(project.instances()[0].to_dict())


def test_replace_and_remove_documents(project: codetable.Project) -> None:
    # Replacing the concrete observer by a class that implements nothing drops that role only.
    project.set_document("src/logger.ts", "export class Logger { fired(n: number): void {} }\n")
    (obs,) = project.instances()
    assert [p.role for p in obs.participants] == ["observer", "subject"]
    # Removing the interface ends the instance; removing twice says so.
    assert project.remove_document("src/listener.ts") is True
    assert project.remove_document("src/listener.ts") is False
    assert project.instances() == [] and project.findings() == []
    project.set_document("src/listener.ts", LISTENER)
    project.set_document("src/logger.ts", LOGGER)
    assert len(project.instances()[0].participants) == 3


def test_errors_are_typed() -> None:
    p = codetable.Project()
    with pytest.raises(codetable.LanguageError):
        p.set_document("notes.unknown", "hello")
    with pytest.raises(codetable.LanguageError):
        p.set_document("a.ts", "x", language="cobol")
    with pytest.raises(ValueError):
        p.set_document("", "class A {}", language="java")
    assert p.text("nowhere.ts") is None and p.paths == []
    # An explicit language wins over the path; no engine selection means every pattern.
    p.set_document("Listener.txt", "interface Listener { void fired(); }", language="java")
    assert p.paths == ["Listener.txt"]


def test_an_engine_without_design_patterns_builds_nothing() -> None:
    engine = codetable.Engine()
    engine.select(["security"])
    p = codetable.Project(engine)
    p.set_document("src/listener.ts", LISTENER)
    assert p.instances() == [] and p.findings() == [] and p.engine is engine
