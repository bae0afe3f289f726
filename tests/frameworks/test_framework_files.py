"""Framework files as a hostile tester writes them: bounded YAML, duplicates refused and never
resolved in silence, ids that are safe slugs, ``frameworks show`` that reads back, and a
broken project file that stops commands with one message, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SAMPLE

from evalkit.cli.main import main
from evalkit.core.errors import FrameworkError
from evalkit.frameworks.registry import Registry, project_registry
from evalkit.frameworks.schema import load_framework_file, parse_framework

EVALKIT = [sys.executable, "-m", "evalkit"]
SMALL = """\
id: {id}
max_points: 100
scoring: {{method: band-percent}}
categories:
  - key: "1"
    items:
      - {{key: "1.1", points: 100}}
"""
SHEET = SAMPLE / "pmqa-2562_2562_assessor-1.csv"


def _small(framework_id: str = "small") -> str:
    return SMALL.format(id=framework_id)


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "frameworks"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def _problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


# --- YAML within a budget ---------------------------------------------------------------------

PEAK = """
import json, sys, time, tracemalloc
import yaml
from evalkit.core.safeyaml import load_yaml
text = sys.stdin.read()
tracemalloc.start()
try:
    load_yaml(text)
    said = ""
except (ValueError, yaml.YAMLError) as exc:
    said = str(exc)
print(json.dumps({"peak": tracemalloc.get_traced_memory()[1], "said": said}))
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- 1\n" * 500_000, "more than 50,000 values"),
        ("[" + "1," * 900_000 + "1]", "more than 50,000 values"),
        ("{a: " * 40 + "1" + "}" * 40, "nested more than 32 levels"),
        ("[" * 100_000 + "]" * 100_000, "maximum nesting depth"),
    ],
    ids=["many-lines", "one-long-list", "deep-mappings", "deep-lists"],
)
def test_yaml_within_the_size_cap_is_refused_early_and_for_its_real_reason(text, reason):
    """Before: a 2 MB list took 0.3-0.6 GB and two minutes, and was refused for "aliases"."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK], input=text, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["peak"] < 20 * 2**20
    assert reason in found["said"]
    assert "alias" not in found["said"]


def test_a_400_digit_integer_is_refused_with_its_line():
    text = _small().replace("max_points: 100", "max_points: " + "4" * 400)
    assert _problems(text) == ["line 2: found an integer of 400 digits; expected at most 15 digits"]


def test_a_huge_number_given_as_data_is_refused_not_a_traceback():
    data = {"id": "x", "max_points": 10**400, "scoring": {}, "categories": []}
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data, "x")
    problems = [str(p) for p in caught.value.problems]
    assert "max_points: found a number of 401 digits; expected a finite number" in problems


def test_a_repeated_key_is_refused_naming_the_key_and_both_lines():
    text = _small().replace("max_points: 100\n", "max_points: 100\nmax_points: 50\n")
    assert _problems(text) == [
        "line 3: found the key 'max_points' twice, on lines 2 and 3; "
        "expected each key once in a mapping"
    ]


def test_a_repeated_key_in_a_flow_mapping_too():
    text = _small().replace('{key: "1.1", points: 100}', '{key: "1.1", points: 100, points: 1}')
    assert "found the key 'points' twice, on lines 7 and 7" in _problems(text)[0]


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["x" * 65, "x" * 300, "Upper", "-dash-first", "a/b", "../up", "ไทย", "a b"]
)
def test_a_framework_id_is_a_safe_slug_of_bounded_length(bad):
    problems = _problems(_small(json.dumps(bad)))
    assert len(problems) == 1
    assert problems[0].startswith("line 1, id: found ")
    assert problems[0].endswith("at most 64 characters")


def test_a_300_character_id_in_a_project_stops_commands_with_one_message(tmp_path, capsys):
    project = _project(tmp_path, {"long.yaml": _small("x" * 300)})
    code = main(["validate", str(SHEET), "--project", str(project), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert "frameworks/long.yaml is not valid" in err
    assert "Traceback" not in err


# --- duplicates and .yml ----------------------------------------------------------------------


def test_two_project_files_with_one_id_are_refused_naming_both(tmp_path):
    project = _project(tmp_path, {"a.yaml": _small("twin"), "b.yml": _small("twin")})
    with pytest.raises(FrameworkError) as caught:
        project_registry(project)
    text = str(caught.value)
    assert "b.yml is not valid" in text
    assert "found the id 'twin', which" in text and "a.yaml declares too" in text


def test_a_yml_file_is_read_like_a_yaml_file(tmp_path):
    project = _project(tmp_path, {"mine.yml": _small("mine")})
    assert "mine" in project_registry(project)


def test_the_same_folder_named_twice_is_read_once(tmp_path):
    project = _project(tmp_path, {"mine.yaml": _small("mine")})
    assert "mine" in project_registry(project, [project / "frameworks"])


def test_a_project_file_overriding_a_packaged_id_is_allowed_and_said(tmp_path, capsys):
    text = (ROOT / "evalkit" / "frameworks" / "women-fund.yaml").read_text(encoding="utf-8")
    project = _project(tmp_path, {"women-fund.yaml": text})
    registry = project_registry(project)
    assert registry.overrides == {"women-fund": "evalkit/frameworks/women-fund.yaml"}
    assert main(["frameworks", "--project", str(project), "--lang", "en"]) == 0
    assert "overrides the packaged framework 'women-fund'" in capsys.readouterr().err


# --- frameworks show reads back ------------------------------------------------------------------


@pytest.mark.parametrize("framework_id", sorted(f.id for f in Registry()))
def test_show_prints_a_file_that_reads_back_as_the_same_framework(framework_id, capsys):
    assert main(["frameworks", "show", framework_id]) == 0
    shown = parse_framework(capsys.readouterr().out, "shown.yaml")
    assert shown == Registry().get(framework_id)


def test_show_redirected_into_the_project_does_not_break_it(tmp_path):
    """The shell creates frameworks/ID.yaml empty before evalkit starts: ``show`` leaves the
    empty file out, says so, and what it prints makes a valid override."""
    _project(tmp_path, {})
    env = {**os.environ, "EVALKIT_LANG": "en"}
    done = subprocess.run(
        [
            "sh",
            "-c",
            f"{sys.executable} -m evalkit frameworks show pmqa-2562 > frameworks/pmqa-2562.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "skipped (not a valid framework file)" in done.stderr
    after = subprocess.run(
        [*EVALKIT, "frameworks"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
    )
    assert after.returncode == 0, after.stderr
    assert "overrides the packaged framework 'pmqa-2562'" in after.stderr
    assert load_framework_file(tmp_path / "frameworks" / "pmqa-2562.yaml") == Registry().get(
        "pmqa-2562"
    )


def test_show_out_writes_the_file_whole_and_leaves_no_temporary(tmp_path, capsys):
    out = tmp_path / "frameworks" / "women-fund.yaml"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    assert main(["frameworks", "show", "women-fund", "--out", str(out)]) == 0
    assert load_framework_file(out) == Registry().get("women-fund")
    assert sorted(p.name for p in out.parent.iterdir()) == ["women-fund.yaml"]


def test_show_out_into_a_folder_is_one_sentence(tmp_path, capsys):
    assert main(["frameworks", "show", "women-fund", "--out", str(tmp_path), "--lang", "en"]) != 0
    assert "Traceback" not in capsys.readouterr().err


# --- a broken project file: one message, never a traceback ---------------------------------------

BROKEN = {
    "empty.yaml": "",
    "bigint.yaml": _small("bigint").replace("max_points: 100", "max_points: " + "9" * 400),
    "list.yaml": "- a\n- b\n",
    "twice.yaml": _small("twice") + "id: again\n",
    "latin1.yaml": None,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize(
    "command", [["validate", str(SHEET)], ["score", str(SHEET), "--out", "scores.csv"]]
)
def test_a_broken_project_file_stops_commands_with_one_message(tmp_path, capsys, name, command):
    project = _project(tmp_path, {})
    path = project / "frameworks" / name
    text = BROKEN[name]
    if text is None:
        path.write_bytes("id: ก\n".encode("cp874"))
    else:
        path.write_text(text, encoding="utf-8")
    assert main([*command, "--project", str(project), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert not (project / "scores.csv").exists()
    assert f"frameworks/{name} is not valid" in err
    assert "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_named_like_a_framework_file_is_refused_not_read(tmp_path, capsys):
    project = _project(tmp_path, {})
    os.mkfifo(project / "frameworks" / "pipe.yaml")
    assert main(["frameworks", "check", str(project / "frameworks" / "pipe.yaml")]) == 1
    assert "not a regular file" in capsys.readouterr().err


def test_frameworks_list_says_a_broken_file_and_fails(tmp_path, capsys):
    project = _project(tmp_path, {"bad.yaml": "id: [1\n"})
    assert main(["frameworks", "--project", str(project), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "skipped (not a valid framework file)" in captured.err
    assert "pmqa-2562" in captured.out


def test_the_packaged_framework_files_have_no_stray_copies():
    folder = ROOT / "evalkit" / "frameworks"
    assert not [p.name for p in folder.iterdir() if p.suffix in (".orig", ".rej")]
    assert shutil.which("sh")
