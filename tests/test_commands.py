"""Every command that uses the database, given good arguments but a database it cannot use:
one line that says what is wrong, exit code 1, no traceback (claims.management)."""

import pytest

from .conftest import DATA, SEED, run_cli

# Arguments a working database would accept; "{tmp}" is the test's own folder.
COMMANDS = {
    "import_faq": ["import_faq", str(SEED), "--slug", "seed"],
    "export_claims": ["export_claims", "seed"],
    "export_all": ["export_all", "{tmp}/backup.json"],
    "import_all": ["import_all", "{tmp}/backup.json"],
    "demo": ["demo"],
    "reextract": ["reextract", "seed"],
    "evaluate_extraction": [
        "evaluate_extraction",
        "seed",
        str(DATA / "oklahoma-ice-benefits-faq.gold.json"),
    ],
    "generate_corpus": ["generate_corpus", "--documents", "2"],
    "generate_corpus in 2 processes": ["generate_corpus", "--documents", "2", "--jobs", "2"],
}
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE = "postgres://postgres@127.0.0.1:1/claimtracker"


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """A real backup (of a migrated, empty database) for import_all to be handed."""
    folder = tmp_path_factory.mktemp("backup")
    code, _, err, _ = run_cli("migrate", "-v0", tmp_path=folder)
    assert code == 0, err
    code, _, err, _ = run_cli("export_all", str(folder / "backup.json"), tmp_path=folder)
    assert code == 0, err
    return (folder / "backup.json").read_bytes()


def run(name, tmp_path, backup, **options):
    if name == "import_all":
        (tmp_path / "backup.json").write_bytes(backup)
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in COMMANDS[name]]
    code, out, err, _ = run_cli(*args, tmp_path=tmp_path, **options)
    assert "Traceback" not in out + err
    assert code == 1, (out, err)
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("name", COMMANDS)
def test_a_database_without_tables_is_one_line_saying_to_migrate(name, tmp_path, backup):
    err = run(name, tmp_path, backup)
    assert err.startswith("CommandError: ")
    assert "run `manage.py migrate` first" in err
    assert not (tmp_path / "backup.json").exists() or name == "import_all"


@pytest.mark.parametrize("name", COMMANDS)
def test_a_database_that_cannot_be_reached_is_one_line_saying_so(name, tmp_path, backup):
    err = run(name, tmp_path, backup, database_url=UNREACHABLE)
    assert err.startswith("CommandError: database error: connection failed: ")
    assert "127.0.0.1" in err and "port 1" in err
