"""The command line as a whole: a cache it cannot use is one clear message, never a trace."""


def test_a_cache_path_that_cannot_be_created_is_a_clear_error(cli):
    result = cli("--db", "/proc/no/such/dir/x.db", "report", "org/model")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: cannot read or write")


def test_a_file_that_is_not_sqlite_is_a_clear_error(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = cli("--db", junk, "report", "org/model")
    assert result.code == 1 and "is not a database" in result.err
    assert "Traceback" not in result.err
